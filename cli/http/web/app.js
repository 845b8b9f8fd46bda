// Palimpsest web UI: a small hash-routed single page over the server's JSON API.
//
// Routes (all in the URL fragment, so every view is a link that can be bookmarked):
//   #/                               documents (?as_of=DATE lists the archive as it stood then)
//   #/search?q=TEXT[&all_revisions=1] search (falls back to a title/id filter without /api/search)
//   #/doc/ID[?seq=S | ?rev=N | ?as_of=DATE]   a document: its revision timeline and one
//                                    revision's text (links name a revision by the seq of the
//                                    event that introduced it, which no backfill renumbers)
//   #/doc/ID?view=diff&from=A&to=B&mode=side|inline   what changed, with word-level marks
//   #/doc/ID?view=blame[&rev=N]      which revision introduced each sentence (if the server has it)
//   #/changes?since=DATE[&until=DATE] the change feed (if the server has /api/changes)
//
// The DOM is built with createElement/textContent only: no HTML string from the API is ever
// parsed, and the page runs under a CSP without 'unsafe-inline'.
'use strict';

(() => {
  const view = document.getElementById('view');
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  let renderSeq = 0;  // bumps on every navigation; a stale async render stops drawing
  let firstRender = true;
  const loadId = Math.random().toString(36).slice(2);

  // ---------------------------------------------------------------------------------------------
  // DOM helpers

  // h('a', {href: '#/', class: 'x'}, 'text', child, [more]) → element. null/false children skip.
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'class') el.className = value;
      else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
      else if (value === true) el.setAttribute(key, '');
      else el.setAttribute(key, String(value));
    }
    append(el, children);
    return el;
  }

  // append(el, a, [b, c], null, 'text') → el, with every child appended in order.
  function append(el, ...children) {
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      if (Array.isArray(child)) append(el, ...child);
      else el.append(child instanceof Node ? child : String(child));
    }
    return el;
  }

  function clear(el) {
    while (el.firstChild) el.removeChild(el.firstChild);
    return el;
  }

  function notice(text, kind) {
    return h('p', {class: 'notice' + (kind ? ' ' + kind : ''), role: kind === 'error' ? 'alert' : 'status'}, text);
  }

  // ---------------------------------------------------------------------------------------------
  // Routing

  function parseHash() {
    let raw = location.hash.replace(/^#/, '');
    if (!raw) raw = '/';
    const q = raw.indexOf('?');
    const path = q < 0 ? raw : raw.slice(0, q);
    const params = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
    const parts = path.split('/').filter(Boolean).map((p) => {
      try { return decodeURIComponent(p); } catch { return p; }
    });
    return {parts, params};
  }

  // link(['doc', id], {view: 'diff', from: 1}) → '#/doc/id?view=diff&from=1' (empty values dropped)
  function link(parts, params) {
    const path = '#/' + parts.map(encodeURIComponent).join('/');
    const qs = new URLSearchParams();
    for (const [key, value] of Object.entries(params || {})) {
      if (value !== null && value !== undefined && value !== '') qs.set(key, String(value));
    }
    const s = qs.toString();
    return s ? path + '?' + s : path;
  }

  function go(href) {
    if (location.hash === href) render();
    else location.hash = href;
  }

  // ---------------------------------------------------------------------------------------------
  // API

  class ApiError extends Error {
    constructor(status, detail) {
      super(detail);
      this.status = status;
    }
    // The server has no such route at all (an older server): the feature is unavailable.
    get routeMissing() { return this.status === 404 && /^no route for/.test(this.message); }
  }

  async function api(path) {
    let res;
    try {
      res = await fetch(path, {headers: {Accept: 'application/json'}, credentials: 'same-origin'});
    } catch (e) {
      throw new ApiError(0, 'the server did not answer (' + e.message + ')');
    }
    let body = null;
    try { body = await res.json(); } catch { body = null; }
    if (!res.ok) {
      throw new ApiError(res.status, (body && body.detail) || res.status + ' ' + res.statusText);
    }
    return body;
  }

  const docPath = (id) => '/api/documents/' + encodeURIComponent(id);

  async function allDocuments(asOf) {
    const docs = [];
    let cursor = null;
    for (let page = 0; page < 50; page++) {
      const qs = new URLSearchParams({limit: '1000'});
      if (asOf) qs.set('as_of', asOf);
      if (cursor) qs.set('cursor', cursor);
      const r = await api('/api/documents?' + qs);
      docs.push(...r.documents);
      cursor = r.next_cursor;
      if (!cursor) break;
    }
    return docs;
  }

  // ---------------------------------------------------------------------------------------------
  // Formatting

  const KIND_LABELS = {
    original: 'Original', correction: 'Correction', clarification: 'Clarification',
    update: 'Update', editorial: 'Editorial', retraction: 'Retraction', empty: 'Empty',
  };

  function kindBadge(kind) {
    return h('span', {class: 'badge kind-' + String(kind).replace(/[^a-z]/g, '')}, KIND_LABELS[kind] || kind);
  }

  function stealthBadge() {
    return h('span', {class: 'badge stealth', title: 'The text changed without any note from the publisher'}, 'Stealth edit');
  }

  // RFC 3339 → "2023-07-24" (midnight UTC) or "2023-07-20 12:00 UTC".
  function fmtTime(t) {
    if (!t) return '—';
    const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d)(?::(\d\d)(?:\.\d+)?)?(Z|[+-]\d\d:?\d\d)?$/.exec(t);
    if (!m) return t;
    if (m[2] === '00:00' && (!m[3] || m[3] === '00') && (m[4] === 'Z' || !m[4])) return m[1];
    return m[1] + ' ' + m[2] + (m[4] === 'Z' || !m[4] ? ' UTC' : ' ' + m[4]);
  }

  function timeEl(t) {
    return t ? h('time', {datetime: t}, fmtTime(t)) : '—';
  }

  function plural(n, one, many) { return n + ' ' + (n === 1 ? one : many || one + 's'); }

  function paragraphs(text) {
    return String(text || '').split(/\n{2,}/).map((p) => p.trim()).filter(Boolean);
  }

  // Byte offset (UTF-8) into `text` → its UTF-16 index.
  function utf16Index(text, byteOffset) {
    if (byteOffset <= 0) return 0;
    let bytes = 0;
    let i = 0;
    while (i < text.length && bytes < byteOffset) {
      const cp = text.codePointAt(i);
      bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      i += cp > 0xffff ? 2 : 1;
    }
    return i;
  }

  function byteLength(text) { return encoder.encode(text).length; }

  // ---------------------------------------------------------------------------------------------
  // Marked text: a string with ranges rendered as <ins>/<del>, split into paragraphs.

  // ranges: [{start, end, tag: 'ins'|'del', cls}] in UTF-16 indexes, non-overlapping.
  function segmentsOf(text, ranges) {
    const sorted = ranges.filter((r) => r.end > r.start).sort((a, b) => a.start - b.start);
    const segs = [];
    let pos = 0;
    for (const r of sorted) {
      if (r.start < pos) continue;
      if (r.start > pos) segs.push({text: text.slice(pos, r.start)});
      segs.push({text: text.slice(r.start, Math.min(r.end, text.length)), tag: r.tag, cls: r.cls});
      pos = Math.min(r.end, text.length);
    }
    if (pos < text.length) segs.push({text: text.slice(pos)});
    return segs;
  }

  function segNode(seg) {
    if (!seg.tag) return seg.text;
    return h(seg.tag, {class: seg.cls}, seg.text);
  }

  // Segments → <p> elements, breaking at blank lines.
  function paragraphsOf(segs) {
    const paras = [[]];
    for (const seg of segs) {
      if (seg.paragraphBreak) { paras.push([]); continue; }
      seg.text.split(/\n{2,}/).forEach((part, i) => {
        if (i > 0) paras.push([]);
        if (part) paras[paras.length - 1].push({...seg, text: part});
      });
    }
    return paras
        .map((p) => trimSegments(p))
        .filter((p) => p.length)
        .map((p) => h('p', null, p.map(segNode)));
  }

  function trimSegments(segs) {
    const out = segs.map((s) => ({...s}));
    while (out.length && !out[0].tag && !out[0].text.trim()) out.shift();
    while (out.length && !out[out.length - 1].tag && !out[out.length - 1].text.trim()) out.pop();
    if (out.length && !out[0].tag) out[0].text = out[0].text.replace(/^\s+/, '');
    if (out.length && !out[out.length - 1].tag) out[out.length - 1].text = out[out.length - 1].text.replace(/\s+$/, '');
    return out;
  }

  // Word marks of one side of a hunk as ranges into `text`, which starts at body byte `base`.
  function hunkRanges(hunk, side, text, base) {
    const ranges = [];
    const add = (offset, length, tag, cls) => {
      const start = offset - base;
      if (start < 0 || length <= 0) return;
      ranges.push({start: utf16Index(text, start), end: utf16Index(text, start + length), tag, cls});
    };
    for (const s of hunk.sentences || []) {
      if (side === 'before') {
        if (s.op === 'delete') add(s.before_offset, s.before_length, 'del', 'sentence');
        if (s.op === 'replace') {
          for (const w of s.words || []) if (w.op === 'delete') add(w.offset, w.length, 'del', 'word');
        }
      } else {
        if (s.op === 'insert') add(s.after_offset, s.after_length, 'ins', 'sentence');
        if (s.op === 'replace') {
          for (const w of s.words || []) if (w.op === 'insert') add(w.offset, w.length, 'ins', 'word');
        }
      }
    }
    return ranges;
  }

  // One replaced sentence inline: deletions and insertions interleaved at their places. Aligns the
  // unchanged text of both sides ignoring whitespace; null if they do not line up.
  function mergeSentence(s) {
    const before = s.before || '';
    const after = s.after || '';
    const toRanges = (text, base, op) => (s.words || [])
        .filter((w) => w.op === op)
        .map((w) => ({start: utf16Index(text, w.offset - base), end: utf16Index(text, w.offset - base + w.length)}))
        .sort((a, b) => a.start - b.start);
    const dels = toRanges(before, s.before_offset, 'delete');
    const inss = toRanges(after, s.after_offset, 'insert');
    const nonSpace = (t) => t.replace(/\s+/g, '').length;
    // Index just past the k-th non-space character of t.
    const prefix = (t, k) => {
      let seen = 0;
      for (let i = 0; i < t.length; i++) {
        if (!/\s/.test(t[i]) && ++seen === k) return i + 1;
      }
      return t.length;
    };
    const segs = [];
    let pb = 0, pa = 0, di = 0, ii = 0;
    for (let guard = 0; guard < 10000 && (pb < before.length || pa < after.length); guard++) {
      if (di < dels.length && dels[di].start <= pb) {
        const d = dels[di++];
        const last = segs.length ? segs[segs.length - 1].text : '';
        if (d.start > 0 && /\s/.test(before[d.start - 1]) && last && !/\s$/.test(last)) segs.push({text: ' '});
        segs.push({text: before.slice(d.start, d.end), tag: 'del', cls: 'word'});
        pb = Math.max(pb, d.end);
        continue;
      }
      if (ii < inss.length && inss[ii].start <= pa) {
        const x = inss[ii++];
        if (segs.length && segs[segs.length - 1].tag === 'del') segs.push({text: ' '});
        segs.push({text: after.slice(x.start, x.end), tag: 'ins', cls: 'word'});
        pa = Math.max(pa, x.end);
        continue;
      }
      const endB = di < dels.length ? dels[di].start : before.length;
      const endA = ii < inss.length ? inss[ii].start : after.length;
      const eqB = before.slice(pb, endB);
      const eqA = after.slice(pa, endA);
      const cb = nonSpace(eqB), ca = nonSpace(eqA);
      if (ca === 0 && cb === 0) {
        if (!eqA && !eqB) return null;
        if (eqA) segs.push({text: eqA});
        pa = endA; pb = endB;
      } else if (cb === 0) {
        pb = endB;
      } else if (ca === 0) {
        if (!eqA) return null;  // unchanged text left on one side only
        segs.push({text: eqA});
        pa = endA;
      } else {
        const k = Math.min(ca, cb);
        const na = prefix(eqA, k);
        const nb = prefix(eqB, k);
        if (eqA.slice(0, na).replace(/\s+/g, '') !== eqB.slice(0, nb).replace(/\s+/g, '')) return null;
        segs.push({text: eqA.slice(0, na)});
        pa += na; pb += nb;
      }
    }
    return segs;
  }

  // A hunk's sentences inline (one column), with paragraph breaks where the newer text has them.
  function inlineSegments(hunk) {
    const segs = [];
    const afterText = hunk.after_text || '';
    const afterBytes = encoder.encode(afterText);
    let prevAfterEnd = null;
    for (const s of hunk.sentences || []) {
      if (segs.length) {
        let sep = ' ';
        if (s.op !== 'delete' && prevAfterEnd !== null) {
          const gap = decoder.decode(afterBytes.subarray(prevAfterEnd, Math.max(prevAfterEnd, s.after_offset - hunk.after_offset)));
          if (/\n\s*\n/.test(gap)) sep = null;
        }
        segs.push(sep === null ? {text: '', paragraphBreak: true} : {text: sep});
      }
      if (s.op === 'equal') segs.push({text: s.after});
      else if (s.op === 'delete') segs.push({text: s.before, tag: 'del', cls: 'sentence'});
      else if (s.op === 'insert') segs.push({text: s.after, tag: 'ins', cls: 'sentence'});
      else {
        const merged = mergeSentence(s);
        if (merged) segs.push(...merged);
        else {
          segs.push(...segmentsOf(s.before, hunkRanges({sentences: [{...s, op: 'replace', words: (s.words || []).filter((w) => w.op === 'delete')}]}, 'before', s.before, s.before_offset)).map((g) => g.tag ? g : {...g, tag: 'del', cls: 'sentence'}));
          segs.push({text: ' '});
          segs.push(...segmentsOf(s.after, hunkRanges({sentences: [{...s, op: 'replace', words: (s.words || []).filter((w) => w.op === 'insert')}]}, 'after', s.after, s.after_offset)).map((g) => g.tag ? g : {...g, tag: 'ins', cls: 'sentence'}));
        }
      }
      if (s.op !== 'delete') prevAfterEnd = s.after_offset - hunk.after_offset + s.after_length;
    }
    return segs;
  }

  // ---------------------------------------------------------------------------------------------
  // Views

  function pageHead(title, sub, extra) {
    return h('div', {class: 'page-head'},
        h('div', null, h('h1', {tabindex: '-1'}, title), sub ? h('p', {class: 'subtle'}, sub) : null),
        extra || null);
  }

  function documentsTable(docs) {
    return h('table', {class: 'documents'},
        h('thead', null, h('tr', null,
            h('th', {scope: 'col'}, 'Article'),
            h('th', {scope: 'col'}, 'Source'),
            h('th', {scope: 'col'}, 'Latest revision'),
            h('th', {scope: 'col'}, 'In effect since'))),
        h('tbody', null, docs.map((d) => h('tr', null,
            h('td', {class: 'title'},
                h('a', {href: link(['doc', d.id])}, d.title || d.id),
                h('div', {class: 'doc-id'}, d.id)),
            h('td', null, d.source || '—'),
            h('td', null, 'Rev ' + d.rev + ' ', kindBadge(d.kind), d.retracted ? [' ', h('span', {class: 'badge retracted'}, 'Retracted')] : null),
            h('td', null, timeEl(d.effective_at))))));
  }

  async function renderHome(params, seq) {
    const asOf = params.get('as_of') || '';
    const form = h('form', {class: 'toolbar', onsubmit: (e) => {
      e.preventDefault();
      go(link([], {as_of: form.elements.as_of.value}));
    }},
    h('label', {class: 'field'}, 'Archive as of', h('input', {type: 'date', name: 'as_of', value: asOf})),
    h('button', {type: 'submit'}, 'Show'),
    asOf ? h('a', {class: 'button', href: '#/'}, 'Today') : null);
    const listCard = h('div', {class: 'card'}, h('p', {class: 'loading card-body'}, 'Loading documents…'));
    append(clear(view), [
      pageHead('Documents', asOf ? 'The archive as it stood at the end of ' + asOf + ' (UTC).' : 'Every article in the archive, with its latest revision.', form),
      listCard,
    ]);
    const docs = [];
    let cursor = null;
    const more = h('button', {type: 'button', onclick: () => loadPage()}, 'Load more');
    const foot = h('div', {class: 'list-foot'});
    async function loadPage() {
      const qs = new URLSearchParams({limit: '100'});
      if (asOf) qs.set('as_of', asOf);
      if (cursor) qs.set('cursor', cursor);
      let r;
      try {
        r = await api('/api/documents?' + qs);
      } catch (e) {
        if (seq === renderSeq) append(clear(listCard), notice('Could not list the documents: ' + e.message, 'error'));
        return;
      }
      if (seq !== renderSeq) return;
      docs.push(...r.documents);
      cursor = r.next_cursor;
      if (!docs.length) {
        append(clear(listCard), h('p', {class: 'card-body subtle'}, asOf ? 'No document had been published by then.' : 'The archive is empty. Add articles with palimpsest ingest or import.'));
        return;
      }
      append(clear(foot), h('span', null, plural(docs.length, 'document') + (cursor ? ' shown' : '')), cursor ? more : null);
      append(clear(listCard), documentsTable(docs), foot);
    }
    await loadPage();
  }

  function highlightTerms(text, query) {
    const terms = query.toLowerCase().split(/\s+/).filter((t) => t.length > 1);
    if (!terms.length) return [text];
    const escaped = terms.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    const re = new RegExp('(' + escaped.join('|') + ')', 'gi');
    return String(text).split(re).map((part, i) => (i % 2 ? h('mark', null, part) : part));
  }

  async function renderSearch(params, seq) {
    const q = (params.get('q') || '').trim();
    const all = params.get('all_revisions') === '1';
    document.getElementById('search-q').value = q;
    document.getElementById('search-all').checked = all;
    const body = h('div', {class: 'card'}, h('p', {class: 'loading card-body'}, 'Searching…'));
    append(clear(view), [pageHead(q ? 'Results for “' + q + '”' : 'Search', all ? 'Current and past revisions.' : 'Current revisions.'), body]);
    if (!q) {
      append(clear(body), h('p', {class: 'card-body subtle'}, 'Type words to look for in the search box above.'));
      return;
    }
    const qs = new URLSearchParams({q, limit: '50'});
    if (all) qs.set('all_revisions', '1');
    let results;
    let fallback = false;
    try {
      results = (await api('/api/search?' + qs)).results || [];
    } catch (e) {
      if (!e.routeMissing) {
        if (seq === renderSeq) append(clear(body), notice('Search failed: ' + e.message, 'error'));
        return;
      }
      fallback = true;
      let docs;
      try { docs = await allDocuments(''); } catch (e2) {
        if (seq === renderSeq) append(clear(body), notice('Could not list the documents: ' + e2.message, 'error'));
        return;
      }
      const terms = q.toLowerCase().split(/\s+/).filter(Boolean);
      results = docs
          .filter((d) => terms.every((t) => (d.id + ' ' + (d.title || '')).toLowerCase().includes(t)))
          .map((d) => ({id: d.id, rev: d.rev, title: d.title, kind: d.kind, effective_at: d.effective_at}));
    }
    if (seq !== renderSeq) return;
    const items = results.map((r) => h('li', null,
        h('a', {class: 'result-title', href: link(['doc', r.id], all || fallback ? {rev: r.rev} : {})}, highlightTerms(r.title || r.id, q)),
        h('div', {class: 'meta'},
            h('span', {class: 'doc-id'}, r.id), h('span', null, 'Rev ' + r.rev), kindBadge(r.kind),
            h('span', null, 'in effect since ', timeEl(r.effective_at))),
        r.snippet ? h('p', {class: 'snippet'}, highlightTerms(r.snippet, q)) : null));
    append(clear(body),
        fallback ? h('div', {class: 'card-body'}, notice('Full-text search is not available on this server, so this lists the documents whose title or id contains every word.', 'warn')) : null,
        items.length ? h('ol', {class: 'results'}, items) : h('p', {class: 'card-body subtle'}, 'Nothing matches “' + q + '”.'));
  }

  // ----- change feed

  const DAY_MS = 24 * 3600 * 1000;
  const dateOnly = (ms) => new Date(ms).toISOString().slice(0, 10);

  async function renderChanges(params, seq) {
    let since = params.get('since') || '';
    const until = params.get('until') || '';
    const form = h('form', {class: 'toolbar', id: 'changes-form', onsubmit: (e) => {
      e.preventDefault();
      go(link(['changes'], {since: form.elements.since.value, until: form.elements.until.value}));
    }},
    h('label', {class: 'field'}, 'Since', h('input', {type: 'date', name: 'since', value: since})),
    h('label', {class: 'field'}, 'Until', h('input', {type: 'date', name: 'until', value: until})),
    h('button', {type: 'submit'}, 'Show'));
    const card = h('div', {class: 'card'}, h('p', {class: 'loading card-body'}, 'Loading changes…'));
    const sub = h('p', {class: 'subtle'}, 'Revisions that took effect in a time window: corrections, updates and stealth edits.');
    append(clear(view), pageHead('Changes', null, form), sub, card);
    try {
      if (!since) {  // the 30 days up to the archive's latest change
        const docs = await allDocuments('');
        const latest = Math.max(0, ...docs.map((d) => Date.parse(d.effective_at) || 0));
        since = dateOnly((latest || Date.now()) - 30 * DAY_MS);
        form.elements.since.value = since;
      }
      const qs = new URLSearchParams({since});
      if (until) qs.set('until', until);
      const feed = await api('/api/changes?' + qs);
      if (seq !== renderSeq) return;
      const changes = feed.changes || [];
      clear(sub).append('Revisions that took effect since ' + since + (until ? ' until ' + until : '') + ': ' + plural(changes.length, 'change') + '.');
      if (!changes.length) {
        append(clear(card), h('p', {class: 'card-body subtle'}, 'Nothing changed in this window.'));
        return;
      }
      append(clear(card), h('table', {class: 'documents changes'},
          h('thead', null, h('tr', null,
              h('th', {scope: 'col'}, 'Effective'), h('th', {scope: 'col'}, 'Article'),
              h('th', {scope: 'col'}, 'Change'), h('th', {scope: 'col'}, 'Recorded'))),
          h('tbody', null, changes.map((c) => h('tr', {class: 'kind-' + c.kind + (c.stealth ? ' stealth' : '')},
              h('td', {class: 'nowrap'}, timeEl(c.effective_at)),
              h('td', {class: 'title'},
                  h('a', {href: c.rev > 1 ? link(['doc', c.id], {view: 'diff', to_seq: c.seq}) : link(['doc', c.id], {seq: c.seq})}, c.title || c.id),
                  h('div', {class: 'doc-id'}, c.id),
                  c.note ? h('div', {class: 'change-note'}, c.note) : null),
              h('td', {class: 'nowrap'}, 'Rev ' + c.rev + ' ', kindBadge(c.kind), c.stealth ? [' ', stealthBadge()] : null),
              h('td', {class: 'nowrap subtle'}, timeEl(c.recorded_at)))))));
    } catch (e) {
      if (seq !== renderSeq) return;
      append(clear(card), h('div', {class: 'card-body'}, notice(e.routeMissing ?
          'The change feed (/api/changes) is not available on this server yet. Each document\'s timeline lists its changes.' :
          'Could not load the changes: ' + e.message, e.routeMissing ? 'warn' : 'error')));
    }
  }

  // ----- document page

  function timeline(id, revisions, selected, tab) {
    const items = revisions.slice().reverse().map((r) => {
      const correction = r.kind === 'correction' || r.kind === 'clarification';
      const cls = ['kind-' + r.kind, r.stealth ? 'stealth' : '', r.rev === selected ? 'selected' : ''].filter(Boolean).join(' ');
      const added = r.words_added || 0, removed = r.words_removed || 0;
      return h('li', {class: cls, 'data-rev': r.rev},
          h('div', {class: 'rev-card'},
              h('div', {class: 'rev-head'},
                  h('a', {class: 'rev-link', href: link(['doc', id], {seq: r.seq}), 'aria-current': r.rev === selected && tab === 'article' ? 'page' : null}, 'Rev ' + r.rev),
                  r.rev === revisions.length ? h('span', {class: 'current-label'}, 'current') : null,
                  kindBadge(r.kind),
                  r.stealth ? stealthBadge() : null,
                  r.redacted ? h('span', {class: 'badge redacted'}, 'Redacted') : null),
              h('div', {class: 'rev-dates'}, 'Effective ', timeEl(r.effective_at),
                  r.captured_at && r.captured_at !== r.effective_at ? [h('br'), 'Captured ', timeEl(r.captured_at)] : null),
              r.note ? h('blockquote', {class: 'rev-note' + (correction ? '' : ' plain')}, r.note) : null,
              r.stealth ? h('p', {class: 'rev-warning'}, 'Changed without a note from the publisher.') : null,
              r.redacted ? h('p', {class: 'rev-warning'}, 'Withheld: ' + (r.redaction_reason || 'redacted')) : null,
              r.merged_from ? h('p', {class: 'subtle'}, 'Recorded as “' + r.merged_from + '”, merged in ', timeEl(r.joined_at)) : null,
              h('div', {class: 'rev-actions'},
                  r.rev > 1 ? h('span', null, h('span', {class: 'words-added', title: 'words added'}, '+' + added), ' ', h('span', {class: 'words-removed', title: 'words removed'}, '−' + removed)) : h('span', {class: 'subtle'}, 'First capture'),
                  r.rev > 1 && !r.redacted ? h('a', {href: link(['doc', id], {view: 'diff', to_seq: r.seq})}, 'What changed') : null)));
    });
    return h('aside', {class: 'card timeline', 'aria-labelledby': 'timeline-h'},
        h('h2', {id: 'timeline-h'}, 'Revisions (' + revisions.length + ')'),
        h('ol', {reversed: true}, items));
  }

  async function renderDoc(id, params, seq) {
    const tab = ['diff', 'blame'].includes(params.get('view')) ? params.get('view') : 'article';
    append(clear(view), h('p', {class: 'loading'}, 'Loading ' + id + '…'));
    let hist, current;
    try {
      [hist, current] = await Promise.all([api(docPath(id) + '/revisions'), api(docPath(id))]);
    } catch (e) {
      if (seq !== renderSeq) return;
      append(clear(view), pageHead(id), notice(e.status === 404 ? 'There is no document “' + id + '” in this archive.' : 'Could not load the document: ' + e.message, 'error'),
          h('p', null, h('a', {href: '#/'}, '← All documents')));
      return;
    }
    if (seq !== renderSeq) return;
    const revisions = hist.revisions || [];
    document.title = (current.title || id) + ' — Palimpsest';
    const panelBody = h('div', {class: 'panel-body', id: 'panel'});
    const tabLink = (name, label, extra) => h('a', {href: link(['doc', id], {view: name === 'article' ? null : name, ...extra}), 'aria-current': tab === name ? 'page' : null}, label);
    const corrections = revisions.filter((r) => r.kind === 'correction' || r.kind === 'clarification').length;
    const stealth = revisions.filter((r) => r.stealth).length;
    const bySeq = revisions.find((r) => params.get('seq') !== null && String(r.seq) === params.get('seq'));
    const selectedRev = tab === 'diff' ? diffRange(params, revisions).to : bySeq ? bySeq.rev : Number(params.get('rev') || 0);
    const timelineEl = timeline(id, revisions, selectedRev || (params.get('as_of') ? -1 : revisions.length), tab);
    append(clear(view),
        h('nav', {class: 'breadcrumbs', 'aria-label': 'Breadcrumbs'}, h('ol', null, h('li', null, h('a', {href: '#/'}, 'Documents')), h('li', {'aria-current': 'page'}, id))),
        h('div', {class: 'doc-head'},
            h('h1', {tabindex: '-1', id: 'doc-title'}, current.title || id),
            h('div', {class: 'doc-meta'},
                h('span', {class: 'doc-id'}, id),
                current.source ? h('span', null, current.source) : null,
                h('span', null, plural(revisions.length, 'revision')),
                corrections ? h('span', null, plural(corrections, 'correction')) : null,
                stealth ? h('span', {class: 'words-removed'}, plural(stealth, 'stealth edit')) : null,
                /^https?:\/\//i.test(current.url || '') ? h('a', {href: current.url, rel: 'noopener noreferrer', target: '_blank'}, 'Original page ↗') : null,
                (hist.merges || []).length ? h('span', null, 'Merged from ' + hist.merges.map((m) => m.from).join(', ')) : null,
                current.retracted ? h('span', {class: 'badge retracted'}, 'Retracted') : null)),
        h('div', {class: 'doc-layout'},
            timelineEl,
            h('section', {class: 'card', 'aria-label': 'Document view'},
                h('nav', {class: 'tabs', 'aria-label': 'Views of this document'},
                    tabLink('article', 'Article'),
                    tabLink('diff', 'Changes'),
                    tabLink('blame', 'Sentence history')),
                panelBody)));
    if (tab === 'diff') await renderDiff(panelBody, id, params, revisions, seq);
    else if (tab === 'blame') await renderBlame(panelBody, id, params, revisions, seq);
    else await renderArticle(panelBody, id, params, revisions, current, seq, timelineEl);
  }

  function revOptions(revisions, selected, withEmpty) {
    const opts = [];
    if (withEmpty) opts.push(h('option', {value: '0', selected: selected === 0}, 'Rev 0 — empty'));
    for (const r of revisions) {
      opts.push(h('option', {value: r.rev, selected: r.rev === selected, disabled: r.redacted && withEmpty},
          'Rev ' + r.rev + ' — ' + (KIND_LABELS[r.kind] || r.kind) + ' — ' + fmtTime(r.effective_at)));
    }
    return opts;
  }

  // The link parameters naming revision number `rev`: its seq, which a backfill does not change.
  function revisionRef(revisions, rev) {
    const r = revisions.find((x) => String(x.rev) === String(rev));
    return r ? {seq: r.seq} : {rev};
  }

  async function renderArticle(panel, id, params, revisions, current, seq, timelineEl) {
    const rev = params.get('rev');
    const revSeq = params.get('seq');
    const asOf = params.get('as_of');
    let doc = current;
    let error = null;
    if (rev || revSeq || asOf) {
      try {
        doc = await api(docPath(id) + '?' + new URLSearchParams(revSeq ? {seq: revSeq} : rev ? {rev} : {as_of: asOf}));
      } catch (e) { error = e; }
      if (seq !== renderSeq) return;
    }
    const revForm = h('form', {class: 'toolbar', onsubmit: (e) => e.preventDefault()},
        h('label', {class: 'field'}, 'Revision',
            h('select', {name: 'rev', id: 'rev-select', onchange: (e) => go(link(['doc', id], revisionRef(revisions, e.target.value)))},
                revOptions(revisions, doc && !error ? doc.rev : 0, false))),
        h('span', {class: 'subtle'}, 'or'));
    const asOfForm = h('form', {class: 'toolbar', id: 'as-of-form', onsubmit: (e) => {
      e.preventDefault();
      const v = asOfForm.elements.as_of.value;
      go(link(['doc', id], v ? {as_of: v} : {}));
    }},
    h('label', {class: 'field'}, 'As of date', h('input', {type: 'date', name: 'as_of', id: 'as-of', value: asOf || ''})),
    h('button', {type: 'submit'}, 'Show'),
    rev || revSeq || asOf ? h('a', {class: 'button', href: link(['doc', id])}, 'Latest') : null);
    const controls = h('div', {class: 'toolbar'}, revForm, asOfForm);
    if (error) {
      const first = revisions[0];
      append(clear(panel), controls, notice(error.status === 404 && asOf ?
          'No revision was in effect at the end of ' + asOf + (first ? ' (the first took effect ' + fmtTime(first.effective_at) + ').' : '.') :
          'Could not load this revision: ' + error.message, error.status === 404 ? 'warn' : 'error'));
      return;
    }
    // The timeline marks the revision shown.
    for (const li of timelineEl.querySelectorAll('li')) li.classList.toggle('selected', Number(li.dataset.rev) === doc.rev);
    const info = revisions.find((r) => r.rev === doc.rev) || {};
    const next = revisions.find((r) => r.rev === doc.rev + 1);
    const isCurrent = doc.rev === revisions.length;
    const banner = h('div', {class: 'viewing' + (isCurrent ? '' : ' past'), id: 'viewing', role: 'status'},
        h('strong', null, 'Revision ' + doc.rev + ' of ' + revisions.length), kindBadge(doc.kind),
        doc.stealth ? stealthBadge() : null,
        h('span', null, 'in effect ', timeEl(doc.effective_at), next ? [' – ', timeEl(next.effective_at)] : ' – now'),
        asOf ? h('span', null, '· shown as of ' + asOf) : null,
        !isCurrent ? h('a', {href: link(['doc', id], {view: 'diff', from_seq: seqOf(revisions, doc.rev), to_seq: seqOf(revisions, revisions.length)})}, 'What changed since →') : null);
    const byline = [doc.byline, doc.published_at ? 'Published ' + fmtTime(doc.published_at) : null,
      doc.updated_at ? 'Updated ' + fmtTime(doc.updated_at) : null].filter(Boolean).join(' · ');
    const retitled = (doc.title || '') !== (current.title || '');
    const article = h('article', {class: 'article', 'aria-label': 'Text of revision ' + doc.rev},
        retitled ? h('h2', {class: 'article-title'}, doc.title || id) : null,
        retitled ? h('p', {class: 'subtle retitled'}, 'This revision had another title; the current one is “' + current.title + '”.') : null,
        byline ? h('p', {class: 'byline'}, byline) : null,
        doc.redacted ? notice('This revision is redacted: ' + (doc.redaction_reason || info.redaction_reason || 'withheld'), 'warn') : null,
        paragraphs(doc.body).map((p) => h('p', null, p)));
    const notes = (doc.notes || []).length ? h('section', {class: 'article-notes', 'aria-label': 'Notes printed with this revision'},
        doc.notes.map((n) => h('div', {class: 'article-note'}, h('span', {class: 'label'}, 'Note' + (n.effective_at ? ' · ' + fmtTime(n.effective_at) : '')), n.text))) : null;
    append(clear(panel), controls, doc.retracted ? h('div', {class: 'retracted-banner'}, 'This article was retracted by its publisher.') : null, banner, article, notes);
  }

  // ----- diff

  function diffRow(mode, left, right) {
    if (mode === 'inline') return h('div', {class: 'diff-row'}, right);
    return h('div', {class: 'diff-row'}, left, right);
  }

  function cell(cls, label, content) {
    return h('div', {class: 'diff-cell ' + cls}, label ? h('span', {class: 'para-label'}, label) : null, content);
  }

  const paraLabel = (i, count) => count > 1 ? '¶ ' + (i + 1) + '–' + (i + count) : '¶ ' + (i + 1);

  function sliceBytes(bytes, offset, length) {
    return bytes ? decoder.decode(bytes.subarray(offset, offset + length)) : '';
  }

  function renderHunk(hunk, mode, beforeBytes, afterBytes) {
    const beforeLabel = paraLabel(hunk.before_index, hunk.before_count);
    const afterLabel = paraLabel(hunk.after_index, hunk.after_count);
    if (hunk.op === 'equal') {
      const text = sliceBytes(afterBytes, hunk.after_offset, hunk.after_length);
      const paras = paragraphs(text);
      const n = hunk.after_count || paras.length;
      return h('details', {class: 'unchanged'},
          h('summary', null, plural(n, 'unchanged paragraph') + ' (' + paraLabel(hunk.after_index, n) + ')'),
          paras.map((p, i) => diffRow(mode, cell('', null, h('p', null, p)), cell('', paraLabel(hunk.after_index + i, 1), h('p', null, p)))));
    }
    if (hunk.op === 'insert') {
      return diffRow(mode, cell('empty'), cell('added', 'Added ' + afterLabel,
          paragraphs(hunk.after_text).map((p) => h('p', null, h('ins', {class: 'sentence'}, p)))));
    }
    if (hunk.op === 'delete') {
      const removed = cell('removed', 'Removed ' + beforeLabel,
          paragraphs(hunk.before_text).map((p) => h('p', null, h('del', {class: 'sentence'}, p))));
      return mode === 'inline' ? h('div', {class: 'diff-row'}, removed) : diffRow(mode, removed, cell('empty'));
    }
    const moved = hunk.op === 'move';
    const before = hunk.before_text || '';
    const after = hunk.after_text || '';
    const leftLabel = moved ? 'Moved from ' + beforeLabel : 'Changed ' + beforeLabel;
    const rightLabel = moved ? 'Moved to ' + afterLabel : 'Changed ' + afterLabel;
    if (mode === 'inline') {
      const segs = (hunk.sentences || []).length ? inlineSegments(hunk) : [{text: after}];
      return diffRow(mode, null, cell('changed-after', moved ? 'Moved ' + beforeLabel + ' → ' + afterLabel : 'Changed ' + afterLabel, paragraphsOf(segs)));
    }
    return diffRow(mode,
        cell('changed-before', leftLabel, paragraphsOf(segmentsOf(before, hunkRanges(hunk, 'before', before, hunk.before_offset)))),
        cell('changed-after', rightLabel, paragraphsOf(segmentsOf(after, hunkRanges(hunk, 'after', after, hunk.after_offset)))));
  }

  // Diff links name revisions by the seq of the event that introduced them, which no backfill
  // or merge changes (?to_seq=S: that revision against the one before it now; ?from_seq= too:
  // any two); ?from=N&to=N by number are kept as a convenience.
  function seqOf(revisions, rev) {
    const r = revisions.find((x) => x.rev === rev);
    return r ? r.seq : null;
  }

  function diffRange(params, revisions) {
    const revOf = (name) => {
      const r = revisions.find((x) => String(x.seq) === params.get(name));
      return r ? r.rev : 0;
    };
    const to = params.has('to_seq') ? revOf('to_seq') : params.has('to') ? Number(params.get('to')) : revisions.length;
    const from = params.has('from_seq') ? revOf('from_seq') : params.has('from') ? Number(params.get('from')) : Math.max(0, to - 1);
    return {from, to};
  }

  async function renderDiff(panel, id, params, revisions, seq) {
    const {from, to} = diffRange(params, revisions);
    const mode = params.get('mode') === 'inline' ? 'inline' : 'side';
    // Rev 0 (empty) has no seq: it stays a number.
    const byRevs = (f, t, extra) => link(['doc', id], {view: 'diff', from: f === 0 ? 0 : null, from_seq: seqOf(revisions, f), to: t === 0 ? 0 : null, to_seq: seqOf(revisions, t), ...extra});
    const form = h('form', {class: 'toolbar', id: 'diff-form', onsubmit: (e) => {
      e.preventDefault();
      go(byRevs(Number(form.elements.from.value), Number(form.elements.to.value), {mode: mode === 'inline' ? 'inline' : null}));
    }},
    h('label', {class: 'field'}, 'From', h('select', {name: 'from'}, revOptions(revisions, from, true))),
    h('label', {class: 'field'}, 'To', h('select', {name: 'to'}, revOptions(revisions, to, true))),
    h('button', {type: 'submit', class: 'primary'}, 'Compare'),
    h('div', {class: 'segmented', role: 'group', 'aria-label': 'Layout'},
        h('a', {href: byRevs(from, to), 'aria-current': mode === 'side' ? 'true' : null}, 'Side by side'),
        h('a', {href: byRevs(from, to, {mode: 'inline'}), 'aria-current': mode === 'inline' ? 'true' : null}, 'Inline')));
    append(clear(panel), form, h('p', {class: 'loading'}, 'Computing the diff…'));
    let diff, beforeDoc = null, afterDoc = null;
    try {
      const side = (rev) => rev > 0 ? api(docPath(id) + '?rev=' + rev) : Promise.resolve(null);
      [diff, beforeDoc, afterDoc] = await Promise.all([
        api(docPath(id) + '/diff?' + new URLSearchParams({from: String(from), to: String(to)})), side(from), side(to)]);
    } catch (e) {
      if (seq === renderSeq) append(clear(panel), form, notice('Could not compute this diff: ' + e.message, 'error'));
      return;
    }
    if (seq !== renderSeq) return;
    const beforeBytes = beforeDoc ? encoder.encode(beforeDoc.body || '') : null;
    const afterBytes = afterDoc ? encoder.encode(afterDoc.body || '') : null;
    const sideLabel = (s) => [h('strong', null, 'Rev ' + s.rev), ' ', kindBadge(s.kind)];
    const head = h('div', {class: 'diff-head'},
        sideLabel(diff.from), h('span', {class: 'arrow', 'aria-label': 'to'}, '→'), sideLabel(diff.to),
        diff.to.effective_at ? h('span', {class: 'subtle'}, 'effective ', timeEl(diff.to.effective_at)) : null);
    const toInfo = revisions.find((r) => r.rev === diff.to.rev);
    const summary = h('div', {class: 'diff-summary', id: 'diff-summary'},
        h('span', {class: 'words-added'}, '+' + plural(diff.words_added, 'word') + ' added'),
        h('span', {class: 'words-removed'}, '−' + plural(diff.words_removed, 'word') + ' removed'),
        diff.fields.length ? h('span', null, plural(diff.fields.length, 'field') + ' changed') : null,
        toInfo && toInfo.stealth && diff.from.rev === diff.to.rev - 1 ? stealthBadge() : null);
    const sections = [];
    if (diff.to.note && diff.to.rev > diff.from.rev && !diff.notes.some((x) => x.op === 'insert' && x.text === diff.to.note)) {
      sections.push(h('blockquote', {class: 'rev-note'}, diff.to.note));
    }
    if (diff.fields.length) {
      sections.push(h('section', {class: 'diff-section', 'aria-labelledby': 'fields-h'},
          h('h2', {id: 'fields-h'}, 'Fields'),
          h('table', {class: 'fields'},
              h('thead', null, h('tr', null, h('th', {scope: 'col'}, 'Field'), h('th', {scope: 'col'}, 'Before'), h('th', {scope: 'col'}, 'After'))),
              h('tbody', null, diff.fields.map((f) => h('tr', null,
                  h('th', {scope: 'row'}, (f.field.charAt(0).toUpperCase() + f.field.slice(1)).replace(/_at$/, '').replace(/_/g, ' ')),
                  h('td', null, f.before === null || f.before === '' ? h('span', {class: 'subtle'}, '(none)') : h('del', {class: 'word'}, /_at$/.test(f.field) ? fmtTime(f.before) : f.before)),
                  h('td', null, f.after === null || f.after === '' ? h('span', {class: 'subtle'}, '(none)') : h('ins', {class: 'word'}, /_at$/.test(f.field) ? fmtTime(f.after) : f.after))))))));
    }
    if (diff.notes.length) {
      sections.push(h('section', {class: 'diff-section', 'aria-labelledby': 'notes-h'},
          h('h2', {id: 'notes-h'}, 'Notes'),
          diff.notes.map((note) => h('p', {class: 'note-change ' + note.op},
              h('span', {class: 'visually-hidden'}, note.op === 'insert' ? 'Added note: ' : 'Removed note: '),
              note.op === 'insert' ? h('ins', null, note.text) : h('del', null, note.text)))));
    }
    const changed = diff.body.some((hk) => hk.op !== 'equal');
    sections.push(h('section', {class: 'diff-section diff-' + mode, 'aria-labelledby': 'body-h', id: 'diff-body'},
        h('h2', {id: 'body-h'}, 'Text'),
        mode === 'side' && changed ? h('div', {class: 'diff-cols', 'aria-hidden': 'true'}, h('span', null, 'Rev ' + diff.from.rev), h('span', null, 'Rev ' + diff.to.rev)) : null,
        changed || diff.body.length ? h('div', {class: 'diff-rows'}, diff.body.map((hk) => renderHunk(hk, mode, beforeBytes, afterBytes))) : null,
        changed ? null : h('p', {class: 'subtle'}, 'The text is the same in both revisions.'),
        changed ? h('p', {class: 'legend', 'aria-hidden': 'true'}, h('span', null, h('del', {class: 'word'}, 'removed')), h('span', null, h('ins', {class: 'word'}, 'added')),
            diff.body.some((hk) => hk.op === 'equal') ? h('span', null, 'Unchanged paragraphs are folded; open them to read them.') : null) : null));
    append(clear(panel), form, head, summary, sections);
  }

  // ----- blame

  async function renderBlame(panel, id, params, revisions, seq) {
    const rev = params.get('rev');
    append(clear(panel), h('p', {class: 'loading'}, 'Loading…'));
    let blame;
    try {
      blame = await api(docPath(id) + '/blame' + (rev ? '?rev=' + encodeURIComponent(rev) : ''));
    } catch (e) {
      if (seq !== renderSeq) return;
      append(clear(panel), notice(e.routeMissing ? 'Sentence history (blame) is not available on this server yet. The Changes view shows every revision\'s edits.' : 'Could not load the sentence history: ' + e.message, e.routeMissing ? 'warn' : 'error'));
      return;
    }
    if (seq !== renderSeq) return;
    const byRev = new Map(revisions.map((r) => [r.rev, r]));
    const used = new Map();
    const paras = (blame.paragraphs || []).map((p) => h('p', null, (p.sentences || []).map((s, i) => {
      const info = byRev.get(s.rev) || {};
      used.set(s.rev, (used.get(s.rev) || 0) + 1);
      const title = ['Rev ' + s.rev, KIND_LABELS[s.kind] || s.kind, 'effective ' + fmtTime(s.effective_at), s.note].filter(Boolean).join(' · ');
      const cls = ['sentence', s.rev > 1 ? 'later' : '', 'kind-' + s.kind, info.stealth ? 'stealth' : ''].filter(Boolean).join(' ');
      return [i ? ' ' : null, h('span', {class: cls, title}, s.text), s.rev > 1 ? h('sup', null, h('a', {href: link(['doc', id], {view: 'diff', to_seq: info.seq}), 'aria-label': title}, 'r' + s.rev)) : null];
    })));
    const legend = h('p', {class: 'legend'}, [...used.entries()].sort((a, b) => a[0] - b[0]).map(([r, count]) => {
      const info = byRev.get(r) || {};
      return h('span', null, 'Rev ' + r + ' ', kindBadge(info.kind || 'original'), info.stealth ? [' ', stealthBadge()] : null, ' ' + plural(count, 'sentence'));
    }));
    append(clear(panel),
        h('p', {class: 'subtle blame-intro'}, 'Each sentence of revision ' + blame.rev + ', marked with the revision that introduced it. Sentences from later revisions are highlighted; their markers link to the change.'),
        h('div', {class: 'blame-legend'}, legend),
        h('div', {class: 'article blame'}, paras));
  }

  // ---------------------------------------------------------------------------------------------

  async function render() {
    const seq = ++renderSeq;
    const {parts, params} = parseHash();
    document.title = 'Palimpsest';
    if (parts[0] !== 'search') {
      document.getElementById('search-q').value = '';
      document.getElementById('search-all').checked = false;
    }
    const section = parts[0] === 'changes' ? 'changes' : parts[0] === 'search' ? 'search' : 'documents';
    for (const a of document.querySelectorAll('.topnav a')) {
      if (a.dataset.section === section) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    try {
      if (parts[0] === 'doc' && parts[1]) await renderDoc(parts[1], params, seq);
      else if (parts[0] === 'search') await renderSearch(params, seq);
      else if (parts[0] === 'changes') await renderChanges(params, seq);
      else await renderHome(params, seq);
    } catch (e) {
      if (seq === renderSeq) append(clear(view), notice('Something went wrong: ' + e.message, 'error'));
    }
    if (seq !== renderSeq) return;
    if (!firstRender) {
      const heading = view.querySelector('h1');
      if (heading) heading.focus({preventScroll: true});
    }
    firstRender = false;
    view.dataset.ready = loadId + '-' + seq;  // tests wait for this to change
  }

  document.getElementById('search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const q = document.getElementById('search-q').value.trim();
    const all = document.getElementById('search-all').checked;
    go(link(['search'], {q, all_revisions: all ? '1' : null}));
  });
  window.addEventListener('hashchange', render);
  render();
})();
