#!/usr/bin/env python3
"""Synthetic JSON Lines articles for `palimpsest import` throughput measurements.

Usage: bench/gen_jsonl.py N [--docs D] [--seed S] > articles.jsonl

Writes N records over D documents (default N/4), in capture order: each document's first
record creates it; later records repeat it unchanged, edit it silently, or correct it with a
`note` (about one in five later records), so an import exercises created, unchanged, revised
and correction outcomes. Bodies are 4-9 paragraphs of 30-60 words (~2-4 KB). Every record has
`captured_at`, so re-importing the output is a no-op. Deterministic for a given seed.
"""
import argparse
import json
import random
import sys

WORDS = ("the council harbour minister said on tuesday that agency report budget vote city "
         "officials residents plan project court ruling funding police school election spokesman "
         "statement investigation weather storm rail line bridge hospital doctors union strike "
         "talks agreement deal market prices energy water local national story reporters week "
         "month year earlier later according data figures percent million increase decline").split()


def paragraph(rng):
    words = [rng.choice(WORDS) for _ in range(rng.randint(30, 60))]
    words[0] = words[0].capitalize()
    return " ".join(words) + "."


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("--docs", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    docs = args.docs or max(1, args.n // 4)
    bodies = {}
    out = sys.stdout
    for i in range(args.n):
        d = i % docs
        doc_id = f"bench-{d:07d}"
        day, second = divmod(i // docs, 86400)
        captured = f"2024-{1 + day // 28:02d}-{1 + day % 28:02d}T{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}Z"
        rec = {"id": doc_id, "source": f"outlet-{d % 17}", "captured_at": captured,
               "title": f"Story number {d}", "byline": "Staff Reporter",
               "published_at": "2024-01-01T08:00:00Z"}
        if d not in bodies:
            bodies[d] = [paragraph(rng) for _ in range(rng.randint(4, 9))]
        else:
            roll = rng.random()
            if roll < 0.4:
                pass  # unchanged capture
            elif roll < 0.8:
                bodies[d][rng.randrange(len(bodies[d]))] = paragraph(rng)  # stealth edit
            else:
                bodies[d][rng.randrange(len(bodies[d]))] = paragraph(rng)
                rec["note"] = f"An earlier version of this story misstated a figure (fix {i})."
                rec["effective_at"] = captured
                rec["kind"] = "correction"
        rec["body"] = "\n\n".join(bodies[d])
        out.write(json.dumps(rec, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
