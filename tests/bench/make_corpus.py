#!/usr/bin/env python3
"""Builds the benchmark corpus from ../shared/data/news by deterministic replication.

Each copy k goes under copy-NNN/: every BBC article keeps its text and gets "(copy k)"
appended to its title line; every Reuters story gets id "<id>-cNNN" and the same title
suffix. So file paths, article ids and content hashes all differ between copies while the
text stays real news. 48 copies of the 21 MB sets make ~1 GB; 5 copies ~100 MB.

`--form` chooses how the articles are written (the text is the same in each):
  mixed  BBC as .txt files, each copy's Reuters stories as one reuters.jsonl (the default)
  txt    every article its own .txt file: BBC files as above, each Reuters story as
         copy-NNN/reuters/<id>.txt holding its title, a blank line and its text (what rg reads)
  jsonl  one news.jsonl of every article: BBC ones as {"id", "title", "text"} with the text
         as the file has it (title line included, as newsdex reads a .txt file), Reuters ones
         as in the source with their title line put before the text likewise

    python3 tests/bench/make_corpus.py --news ../shared/data/news --out /tmp/bench-1g --copies 48
    python3 tests/bench/make_corpus.py --out /tmp/bench-213m-txt --copies 10 --form txt
"""
import argparse
import json
import os
import sys


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--news", default=os.path.join(os.path.dirname(__file__), "../../../shared/data/news"))
    ap.add_argument("--out", required=True)
    ap.add_argument("--copies", type=int, default=48)
    ap.add_argument("--form", choices=["mixed", "txt", "jsonl"], default="mixed")
    args = ap.parse_args()
    if not os.path.isdir(args.news):
        print(f"skipped: {args.news} is absent (the benchmark needs ../shared/data/news)", file=sys.stderr)
        return 0
    bbc = os.path.join(args.news, "bbc")
    reuters = os.path.join(args.news, "reuters21578", "reuters21578.jsonl")
    bbc_files = []
    for root, _, files in os.walk(bbc):
        for f in sorted(files):
            if f.endswith(".txt"):
                bbc_files.append(os.path.join(root, f))
    bbc_files.sort()
    with open(reuters, encoding="utf-8") as fh:
        stories = [json.loads(line) for line in fh if line.strip()]
    total = 0
    jsonl = None
    if args.form == "jsonl":
        os.makedirs(args.out, exist_ok=True)
        jsonl = open(os.path.join(args.out, "news.jsonl"), "w", encoding="utf-8")
    for k in range(args.copies):
        tag = f"copy {k}"
        base = os.path.join(args.out, f"copy-{k:03}")
        for path in bbc_files:
            rel = os.path.relpath(path, bbc)
            with open(path, "rb") as fh:
                data = fh.read()
            first, sep, rest = data.partition(b"\n")
            data = first.rstrip() + f" ({tag})".encode() + sep + rest
            if jsonl:
                text = data.decode("utf-8", errors="replace")
                line = json.dumps({"id": f"bbc/{rel}-c{k:03}", "title": text.split("\n", 1)[0],
                                   "text": text}, ensure_ascii=False) + "\n"
                jsonl.write(line)
                total += len(line.encode())
                continue
            dest = os.path.join(base, "bbc", rel)
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            with open(dest, "wb") as fh:
                fh.write(data)
            total += len(data)
        if args.form == "txt":
            os.makedirs(os.path.join(base, "reuters"), exist_ok=True)
            for s in stories:
                title = f"{s.get('title', '')} ({tag})"
                data = f"{title}\n\n{s['text']}\n".encode()
                with open(os.path.join(base, "reuters", f"{s['id']}-c{k:03}.txt"), "wb") as fh:
                    fh.write(data)
                total += len(data)
            continue
        out = jsonl
        if not jsonl:
            os.makedirs(base, exist_ok=True)
            out = open(os.path.join(base, "reuters.jsonl"), "w", encoding="utf-8")
        for s in stories:
            title = f"{s.get('title', '')} ({tag})"
            s = dict(s, id=f"{s['id']}-c{k:03}", title=title)
            if jsonl:
                s["text"] = f"{title}\n\n{s['text']}"
            line = json.dumps(s, ensure_ascii=False) + "\n"
            out.write(line)
            total += len(line.encode())
        if not jsonl:
            out.close()
    if jsonl:
        jsonl.close()
    articles = (len(bbc_files) + len(stories)) * args.copies
    print(f"{args.out}: {args.copies} copies, {articles} articles "
          f"({len(bbc_files) + len(stories)} distinct), {total / 1e6:.0f} MB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
