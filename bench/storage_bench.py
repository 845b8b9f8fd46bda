#!/usr/bin/env python3
"""Bytes on disk per one-sentence correction and per new article: Palimpsest beside git.

Workload (deterministic): the first corpus article, then N corrections that each rewrite one
sentence (a different one each time, cycling), as full page captures; plus M new articles
(corpus articles with their sentences shuffled under new titles).

Palimpsest: `ingest` every capture into a fresh archive; bytes = the live data of data.mdb,
measured with `mdb_copy -c` (compacted, so LMDB's free pages do not count).
git: one file per article, one commit per capture; bytes = .git/objects after `git gc
--aggressive` (packed with deltas), and before any gc (loose objects).

  bench/storage_bench.py [--binary build/cli/palimpsest] [--corrections 200] [--articles 100]
"""
import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "tests", "fixtures")
CORPUS = ["000_99c9495df02aabac.txt", "001_c82fb13b72988b3d.txt", "002_7e22955fd7e20ed8.txt",
          "003_bc5277d4b9ff88ba.txt", "004_52689c8dd169f3e3.txt"]


def dir_bytes(path):
    total = 0
    for dirpath, _, files in os.walk(path):
        for f in files:
            total += os.path.getsize(os.path.join(dirpath, f))
    return total


def palimpsest_live_bytes(binary, data):
    out = tempfile.mkdtemp()
    subprocess.run(["mdb_copy", "-c", data, out], check=True)
    size = os.path.getsize(os.path.join(out, "data.mdb"))
    shutil.rmtree(out)
    return size


def git(repo, *args):
    subprocess.run(["git", "-C", repo, *args], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def corrections(text, n, rng):
    """n successive versions of `text`, each changing one sentence of the previous one."""
    versions = [text]
    current = text
    for i in range(n):
        sentences = [m for m in re.finditer(r"[A-Z][^.!?\n]{40,}?[.!?]", current)]
        target = sentences[(i * 7) % len(sentences)]
        words = target.group(0).split(" ")
        k = rng.randrange(1, len(words))
        words[k] = "revised%d" % i
        current = current[:target.start()] + " ".join(words) + current[target.end():]
        versions.append(current)
    return versions


def new_articles(m, rng):
    texts = [open(os.path.join(FIXTURES, f), encoding="utf-8").read() for f in CORPUS]
    out = []
    for i in range(m):
        paragraphs = [p for p in texts[i % len(texts)].split("\n") if len(p) > 80]
        rng.shuffle(paragraphs)
        out.append("Synthetic story number %d about the space talks\n\n" % i + "\n\n".join(paragraphs))
    return out


def measure_palimpsest(binary, workdir, versions, articles):
    data = os.path.join(workdir, "pdata")
    env = dict(os.environ, PALIMPSEST_DATA=data)

    def ingest(path, doc, t):
        subprocess.run([binary, "ingest", path, "--id", doc, "--captured", t], check=True,
                       env=env, stdout=subprocess.DEVNULL)

    page = os.path.join(workdir, "page.txt")
    for i, text in enumerate(versions):
        open(page, "w", encoding="utf-8").write(text)
        ingest(page, "story", "2024-01-01T00:00:%02dZ" % (i % 60) if i < 60 else
               "2024-01-%02dT%02d:%02d:00Z" % (2 + i // 1440, (i // 60) % 24, i % 60))
        if i == 0:
            after_first = palimpsest_live_bytes(binary, data)
    after_corrections = palimpsest_live_bytes(binary, data)
    for i, text in enumerate(articles):
        open(page, "w", encoding="utf-8").write(text)
        ingest(page, "new-%d" % i, "2024-02-01T00:00:00Z")
    after_articles = palimpsest_live_bytes(binary, data)
    return after_first, after_corrections, after_articles


def measure_git(workdir, versions, articles):
    repo = os.path.join(workdir, "repo")
    os.makedirs(repo)
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "bench@example.com")
    git(repo, "config", "user.name", "bench")
    git(repo, "config", "gc.auto", "0")
    path = os.path.join(repo, "story.txt")
    results = {}
    for i, text in enumerate(versions):
        open(path, "w", encoding="utf-8").write(text)
        git(repo, "add", "story.txt")
        git(repo, "commit", "-q", "-m", "capture %d" % i)
        if i == 0:
            results["first_loose"] = dir_bytes(os.path.join(repo, ".git", "objects"))
    results["corrections_loose"] = dir_bytes(os.path.join(repo, ".git", "objects"))
    for i, text in enumerate(articles):
        open(os.path.join(repo, "new-%d.txt" % i), "w", encoding="utf-8").write(text)
        git(repo, "add", "new-%d.txt" % i)
        git(repo, "commit", "-q", "-m", "article %d" % i)
    results["articles_loose"] = dir_bytes(os.path.join(repo, ".git", "objects"))
    git(repo, "gc", "-q", "--aggressive", "--prune=now")
    results["all_packed"] = dir_bytes(os.path.join(repo, ".git", "objects"))
    return results


def measure_git_packed_corrections(workdir, versions):
    repo = os.path.join(workdir, "repo2")
    os.makedirs(repo)
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "bench@example.com")
    git(repo, "config", "user.name", "bench")
    path = os.path.join(repo, "story.txt")
    sizes = []
    for i, text in enumerate(versions):
        open(path, "w", encoding="utf-8").write(text)
        git(repo, "add", "story.txt")
        git(repo, "commit", "-q", "-m", "capture %d" % i)
        if i == 0 or i == len(versions) - 1:
            git(repo, "gc", "-q", "--aggressive", "--prune=now")
            sizes.append(dir_bytes(os.path.join(repo, ".git", "objects")))
    return sizes


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(ROOT, "build", "cli", "palimpsest"))
    parser.add_argument("--corrections", type=int, default=200)
    parser.add_argument("--articles", type=int, default=100)
    args = parser.parse_args()
    rng = random.Random(7)
    base = open(os.path.join(FIXTURES, CORPUS[0]), encoding="utf-8").read()
    versions = corrections(base, args.corrections, rng)
    articles = new_articles(args.articles, rng)
    workdir = tempfile.mkdtemp(prefix="palimpsest-storage-")
    try:
        p_first, p_corr, p_art = measure_palimpsest(args.binary, workdir, versions, articles)
        g = measure_git(workdir, versions, articles)
        g_first_packed, g_corr_packed = measure_git_packed_corrections(workdir, versions)
    finally:
        shutil.rmtree(workdir)
    n, m = args.corrections, args.articles
    rows = [
        ("palimpsest (live LMDB pages)", (p_corr - p_first) / n, (p_art - p_corr) / m),
        ("git loose objects (no gc)", (g["corrections_loose"] - g["first_loose"]) / n,
         (g["articles_loose"] - g["corrections_loose"]) / m),
        ("git after gc --aggressive", (g_corr_packed - g_first_packed) / n, None),
    ]
    print("%d one-sentence corrections of an %d-byte page, %d new articles" % (n, len(base), m))
    print("%-32s %18s %16s" % ("system", "bytes/correction", "bytes/article"))
    for name, per_corr, per_art in rows:
        print("%-32s %18.0f %16s" % (name, per_corr, "%.0f" % per_art if per_art else "-"))
    print("git packed total for everything: %d bytes; palimpsest total: %d bytes" %
          (g["all_packed"], p_art))


if __name__ == "__main__":
    sys.exit(main())
