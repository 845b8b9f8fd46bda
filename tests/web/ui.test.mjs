// End-to-end test of the web UI served by `palimpsest serve`, in headless Chromium.
//
// Loads the correction scenario (the Air & Space Forces story captured on 2023-07-20, then again
// on 2023-07-25 after its July 24 Editor's Note) into a scratch archive, serves it on
// 127.0.0.1:0, and walks the UI as a reader would: document list → the story → its revision
// timeline → the diff with word-level highlights (side by side and inline) → the story as of
// 2023-07-23 → search. Screenshots go to $PALIMPSEST_WEB_OUT.
//
// Environment (CTest sets these; the defaults suit a run from tests/web after ./scripts/build):
//   PALIMPSEST_BINARY    the palimpsest executable   (../../build/cli/palimpsest)
//   PALIMPSEST_FIXTURES  tests/fixtures              (../fixtures)
//   PALIMPSEST_WEB_OUT   where screenshots go        (../../build/web-ui)
//   CHROMIUM             the browser                 (/usr/bin/chromium)
// Timeouts are failure guards only; nothing here asserts on timing.

import assert from 'node:assert/strict';
import {execFileSync, spawn} from 'node:child_process';
import {mkdirSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {fileURLToPath} from 'node:url';

import {chromium} from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const BINARY = process.env.PALIMPSEST_BINARY || path.join(here, '../../build/cli/palimpsest');
const FIXTURES = process.env.PALIMPSEST_FIXTURES || path.join(here, '../fixtures');
const OUT = process.env.PALIMPSEST_WEB_OUT || path.join(here, '../../build/web-ui');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const DOC = '001_c82fb13b72988b3d';
const GUARD_MS = 60_000;

let scratch;
let server;
let origin;
let context;
let page;
const problems = [];  // page errors, CSP violations, requests that left the server
const consoleErrors = [];

function palimpsest(...args) {
  return execFileSync(BINARY, ['--data', path.join(scratch, 'data'), ...args], {encoding: 'utf8'});
}

// Starts `palimpsest serve --listen 127.0.0.1:0` and resolves with its origin once it has printed
// `listening on HOST:PORT`.
function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(BINARY, ['--data', path.join(scratch, 'data'), 'serve', '--listen', '127.0.0.1:0'],
        {stdio: ['ignore', 'pipe', 'inherit']});
    let out = '';
    const guard = setTimeout(() => reject(new Error('serve did not start: ' + out)), GUARD_MS);
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error('serve exited with ' + code + ': ' + out)));
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /^listening on (127\.0\.0\.1:\d+)\n/.exec(out);
      if (m) {
        clearTimeout(guard);
        server = child;
        resolve('http://' + m[1]);
      }
    });
  });
}

// Runs `action` and waits until the UI has finished the render it causes.
async function settle(action) {
  const previous = await page.evaluate(() => {
    const view = document.getElementById('view');
    return view ? view.dataset.ready : undefined;
  });
  await action();
  await page.waitForFunction((prev) => {
    const ready = document.getElementById('view').dataset.ready;
    return ready !== undefined && ready !== prev;
  }, previous);
}

before(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), 'palimpsest-web-'));
  mkdirSync(OUT, {recursive: true});
  palimpsest('ingest', path.join(FIXTURES, DOC + '.before-correction.txt'), '--id', DOC,
      '--source', 'airandspaceforces', '--captured', '2023-07-20T12:00:00Z');
  palimpsest('ingest', path.join(FIXTURES, DOC + '.txt'), '--id', DOC,
      '--source', 'airandspaceforces', '--captured', '2023-07-25T12:00:00Z');
  palimpsest('ingest', path.join(FIXTURES, '000_99c9495df02aabac.txt'), '--captured', '2023-07-21T08:00:00Z');
  origin = await startServer();
  context = await chromium.launchPersistentContext(path.join(scratch, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: {width: 1400, height: 1000},
    timeout: GUARD_MS,
  });
  context.setDefaultTimeout(GUARD_MS);
  // Nothing may be fetched from anywhere but the server itself.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin + '/')) return route.continue();
    problems.push('request outside the server: ' + url);
    return route.abort();
  });
  page = context.pages()[0] || await context.newPage();
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    if (/Content Security Policy/i.test(msg.text())) problems.push('CSP: ' + msg.text());
    else consoleErrors.push(msg.text());
  });
});

after(async () => {
  if (context) await context.close();
  if (server) server.kill('SIGTERM');
  if (scratch) rmSync(scratch, {recursive: true, force: true});
});

test('the UI shell is served with its security headers', async () => {
  const res = await fetch(origin + '/');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/html/);
  assert.match(res.headers.get('content-security-policy'), /default-src 'none'/);
  assert.ok(res.headers.get('etag'));
});

test('document list → timeline → diff → as of a date', async () => {
  await settle(() => page.goto(origin + '/'));
  const title = JSON.parse(palimpsest('show', DOC, '--json')).title;
  const row = page.locator('table.documents tr', {hasText: DOC});
  assert.equal(await row.count(), 1);
  assert.match(await row.innerText(), /correction/i);
  await page.screenshot({path: path.join(OUT, 'ui-list.png'), fullPage: true});

  // The story: its timeline shows the correction with its note; rev 1 is the original.
  await settle(() => row.getByRole('link', {name: title}).click());
  assert.equal(await page.locator('#doc-title').innerText(), title);
  const rev2 = page.locator('.timeline li[data-rev="2"]');
  assert.ok((await rev2.getAttribute('class')).includes('kind-correction'));
  assert.match(await rev2.locator('.badge').first().innerText(), /correction/i);
  assert.match(await rev2.locator('.rev-note').innerText(),
      /This story was updated July 24 to clarify additional SETs that took place with Australia and South Korea\./);
  assert.match(await rev2.innerText(), /2023-07-24/);
  assert.match(await page.locator('.timeline li[data-rev="1"] .badge').first().innerText(), /original/i);
  assert.match(await page.locator('#viewing').innerText(), /Revision 2 of 2/);

  // Its diff: the SET sentence with word-level marks, and the added Editor's Note.
  await settle(() => rev2.getByRole('link', {name: 'What changed'}).click());
  const body = page.locator('#diff-body .diff-rows');
  assert.deepEqual(await body.locator('del.word').allInnerTexts(), ['Israel', 'Brazil.']);
  assert.deepEqual(await body.locator('ins.word').allInnerTexts(), ['Israel, Brazil, Australia,', 'South Korea.']);
  assert.match(await body.locator('.diff-cell.changed-before').innerText(),
      /held SETs with Israel and Brazil\./);
  assert.match(await body.locator('.diff-cell.changed-after').innerText(),
      /held SETs with Israel, Brazil, Australia, and South Korea\./);
  assert.match(await page.locator('.note-change.insert').innerText(), /updated July 24 to clarify/);
  assert.match(await page.locator('#diff-summary').innerText(), /\+5 words added/);
  assert.match(await page.locator('#diff-summary').innerText(), /−2 words removed/);
  await page.screenshot({path: path.join(OUT, 'ui-diff.png'), fullPage: true});

  // Inline: one column, deletions and insertions in reading order.
  await settle(() => page.getByRole('link', {name: 'Inline'}).click());
  const inline = page.locator('#diff-body .diff-cell.changed-after');
  assert.equal(await page.locator('#diff-body .diff-cell.changed-before').count(), 0);
  assert.deepEqual(await inline.locator('del.word').allInnerTexts(), ['Israel', 'Brazil.']);
  assert.deepEqual(await inline.locator('ins.word').allInnerTexts(), ['Israel, Brazil, Australia,', 'South Korea.']);
  assert.match(await inline.innerText(), /with Israel Israel, Brazil, Australia, and Brazil. South Korea\./);
  await page.screenshot({path: path.join(OUT, 'ui-diff-inline.png'), fullPage: true});

  // As of 2023-07-23 the story was still revision 1, without Australia and South Korea.
  await settle(() => page.getByRole('link', {name: 'Article'}).click());
  await page.locator('#as-of').fill('2023-07-23');
  await settle(() => page.locator('#as-of-form').getByRole('button', {name: 'Show'}).press('Enter'));
  assert.match(await page.locator('#viewing').innerText(), /Revision 1 of 2/);
  const article = await page.locator('article.article').innerText();
  assert.match(article, /held SETs with Israel and Brazil\./);
  assert.doesNotMatch(article, /South Korea/);
  assert.equal(await page.locator('.article-note').count(), 0);
  assert.ok((await page.locator('.timeline li[data-rev="1"]').getAttribute('class')).includes('selected'));
  await page.screenshot({path: path.join(OUT, 'ui-as-of.png'), fullPage: true});

  // Any revision through the selector, by keyboard.
  await settle(async () => {
    await page.locator('#rev-select').focus();
    await page.locator('#rev-select').selectOption('2');
  });
  assert.match(await page.locator('#viewing').innerText(), /Revision 2 of 2/);
  assert.match(await page.locator('.article-note').innerText(), /updated July 24/);
});

test('search finds the story (full-text, or the title filter on a server without search)', async () => {
  await settle(() => page.goto(origin + '/#/'));
  await page.locator('#search-q').fill('Space');
  await settle(() => page.locator('#search-q').press('Enter'));
  assert.match(page.url(), /#\/search\?q=Space/);
  const hit = page.locator('.results a.result-title', {hasText: 'Space'});
  assert.ok(await hit.count() >= 1);
  const hrefs = await page.locator('.results a.result-title').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.ok(hrefs.some((h) => h.startsWith('#/doc/' + DOC)), hrefs.join(' '));
  await page.screenshot({path: path.join(OUT, 'ui-search.png'), fullPage: true});
});

test('the sentence history view answers (blame, or a notice without it)', async () => {
  await settle(() => page.goto(origin + '/#/doc/' + DOC + '?view=blame'));
  const panel = await page.locator('#panel').innerText();
  assert.ok(/not available on this server/.test(panel) || await page.locator('.blame .sentence').count() > 0, panel);
});

test('the change feed view answers (changes, or a notice without them)', async () => {
  await settle(() => page.goto(origin + '/#/changes?since=2023-07-01'));
  const text = await page.locator('#view').innerText();
  assert.ok(/not available on this server/.test(text) || /\d+ changes?\./.test(text), text);
});

test('keyboard: the skip link comes first, and Enter opens a document', async () => {
  await settle(() => page.goto(origin + '/?fresh=1#/'));  // a fresh load: nothing focused yet
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to content');
  await page.locator('table.documents a[href="#/doc/' + DOC + '"]').focus();
  await settle(() => page.keyboard.press('Enter'));
  assert.match(page.url(), new RegExp('#/doc/' + DOC + '$'));
  // The new view's heading takes the focus, so a screen reader starts there.
  assert.equal(await page.evaluate(() => document.activeElement.id), 'doc-title');
});

// The routes the server may not have yet (/api/search, …/blame, /api/changes), answered in the
// shapes their contracts give, so the views that draw them are exercised either way.
test('search results, sentence history and change feed render their API shapes', async () => {
  const json = (body) => (route) => route.fulfill({status: 200, contentType: 'application/json', body: JSON.stringify(body)});
  await page.route(/\/api\/search\?/, json({query: 'Korea', results: [{id: DOC, rev: 2, title: 'Space Force Holds Forum',
    kind: 'correction', effective_at: '2023-07-24T00:00:00Z', snippet: '… with Israel, Brazil, Australia, and South Korea.', score: 1.5}]}));
  await page.route(/\/api\/documents\/[^/]+\/blame/, json({id: DOC, rev: 2, paragraphs: [{sentences: [
    {text: 'The Space Force has previously held SETs with Israel, Brazil, Australia, and South Korea.', rev: 2,
      kind: 'correction', note: 'This story was updated July 24.', effective_at: '2023-07-24T00:00:00Z'},
    {text: 'An unchanged sentence.', rev: 1, kind: 'original', note: '', effective_at: '2023-07-20T12:00:00Z'}]}]}));
  await page.route(/\/api\/changes\?/, json({changes: [
    {id: DOC, rev: 2, kind: 'correction', note: 'This story was updated July 24.', stealth: false,
      effective_at: '2023-07-24T00:00:00Z', recorded_at: '2023-07-25T12:00:00Z', title: 'Space Force Holds Forum'},
    {id: 'other-story', rev: 3, kind: 'update', note: '', stealth: true,
      effective_at: '2023-07-22T00:00:00Z', recorded_at: '2023-07-22T09:00:00Z', title: 'Quietly edited'}]}));
  try {
    await settle(() => page.goto(origin + '/#/search?q=Korea'));
    assert.equal(await page.locator('.notice.warn').count(), 0);
    assert.match(await page.locator('.results .snippet').innerText(), /South Korea/);
    assert.equal(await page.locator('.results .snippet mark').innerText(), 'Korea');

    await settle(() => page.goto(origin + '/#/doc/' + DOC + '?view=blame'));
    const later = page.locator('.blame .sentence.later');
    assert.equal(await later.count(), 1);
    assert.match(await later.getAttribute('title'), /Rev 2 · Correction · effective 2023-07-24/);
    // Diff links name the revision by its event's seq, which no backfill or merge changes.
    const rev2Seq = JSON.parse(palimpsest('history', DOC, '--json')).revisions[1].seq;
    assert.equal(await page.locator('.blame sup a').getAttribute('href'), '#/doc/' + DOC + '?view=diff&to_seq=' + rev2Seq);
    await page.screenshot({path: path.join(OUT, 'ui-blame.png'), fullPage: true});

    await settle(() => page.goto(origin + '/#/changes?since=2023-07-01'));
    const rows = page.locator('table.changes tbody tr');
    assert.equal(await rows.count(), 2);
    assert.match(await rows.nth(0).innerText(), /This story was updated July 24\./);
    assert.ok((await rows.nth(1).getAttribute('class')).includes('stealth'));
    assert.match(await rows.nth(1).innerText(), /stealth edit/i);
    assert.equal(await page.locator('.topnav a[aria-current="page"]').innerText(), 'Changes');
    await page.screenshot({path: path.join(OUT, 'ui-changes.png'), fullPage: true});
  } finally {
    await page.unrouteAll();
  }
});

test('no page error, CSP violation or outside request happened', () => {
  assert.deepEqual(problems, []);
  // The only console errors allowed are the 404s of optional API routes the server lacks.
  for (const text of consoleErrors) assert.match(text, /status of 404/, text);
});
