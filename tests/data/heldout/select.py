#!/usr/bin/env python3
"""Re-derives the held-out article choice (see GUIDELINES.md, "How the articles were chosen").

Usage: python3 tests/data/heldout/select.py [../shared/data/news]
Prints one line per chosen article: its key as used in heldout-entities.tsv.
Deterministic: depends only on the file names, Reuters ids, lengths and places.
"""
import hashlib
import json
import os
import sys

SEED = "newsdex-heldout-2026-12-06"
BBC_TOPICS = ["business", "entertainment", "politics", "sport", "tech"]
BBC_PER_TOPIC = 4
BBC_MAX_BYTES = 3000
REUTERS_COUNT = 8
REUTERS_CHARS = (400, 1500)


def rank(key):
    return hashlib.sha256(f"{SEED}:{key}".encode()).hexdigest()


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/news"
    for topic in BBC_TOPICS:
        folder = os.path.join(root, "bbc", topic)
        names = sorted(os.listdir(folder), key=lambda n: rank(f"bbc/{topic}/{n}"))
        taken = 0
        for name in names:
            if os.path.getsize(os.path.join(folder, name)) <= BBC_MAX_BYTES:
                print(f"bbc/{topic}/{name}")
                taken += 1
                if taken == BBC_PER_TOPIC:
                    break
    with open(os.path.join(root, "reuters21578", "reuters21578.jsonl")) as f:
        articles = [json.loads(line) for line in f if line.strip()]
    articles.sort(key=lambda a: rank(a["id"]))
    seen_places = set()
    taken = 0
    for a in articles:
        lo, hi = REUTERS_CHARS
        if not a["places"] or not lo <= len(a["text"]) <= hi:
            continue
        first = a["places"][0]
        if first in seen_places:
            continue
        seen_places.add(first)
        print(f"reuters21578/{a['id']}")
        taken += 1
        if taken == REUTERS_COUNT:
            break


if __name__ == "__main__":
    main()
