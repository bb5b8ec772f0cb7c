#!/usr/bin/env python3
"""newsdex benchmark harness: every figure is a ratio against a peer measured in the same run.

Needs ../shared/data/news (skips cleanly without it), ripgrep (`apt-get install ripgrep`) and
tantivy-cli (`cargo install tantivy-cli`; comparisons with a missing peer are skipped and say
so). Builds the release binary, makes the corpus with make_corpus.py, then measures:

  build   full index with entities and without, vs tantivy-cli on the same passages (MB/s)
  incr    nothing changed / 1 file / 100 files changed / 1 file deleted, as % of a full build
  query   `mentions --exact` vs `rg -c -F -w -i`, and `search` vs rg and `tantivy search`,
          over 20 names (p50/p99)
  memory  peak RSS of the indexer and of a query; index size vs corpus size

    python3 tests/bench/run.py --copies 4 --runs 3          # ~100 MB
    python3 tests/bench/run.py --copies 40 --runs 1         # ~1 GB

With `--split` (issue 17) the corpus is written twice, as one JSON Lines file of every article
(what newsdex and tantivy-cli build from) and as one .txt file per article (what newsdex
queries and rg reads), and the run measures builds with and without entities against
tantivy-cli, then for a rare, a common and a very common name `mentions --exact --json`
against `rg -F -w -i` (both print every match), and `mentions --exact --count` against
`rg -c -F -w -i`, checking the counts are equal; medians of `--runs`:

    python3 tests/bench/run.py --split --copies 10 --runs 3 # 213 MB of text, 212,680 articles
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "../.."))
NAMES = [
    # frequent, middling and rare names in BBC 2004-05 and Reuters 1987 news
    "Tony Blair", "Gordon Brown", "Michael Howard", "Ronald Reagan", "James Baker",
    "Bank of England", "Federal Reserve", "European Union", "World Bank", "Microsoft",
    "Chelsea", "Manchester United", "Iraq", "Japan", "Brazil",
    "Kofi Annan", "Steve Jobs", "Saddam Hussein", "Lloyd's of London", "Jose Mourinho",
]


def timed(cmd, split=None, **kw):
    """Runs cmd under /usr/bin/time -v; returns (seconds, peak RSS in MB, stdout).

    With a `split` dict, also samples the process's /proc status every 50 ms and keeps the
    peaks of its anonymous memory ("anon") and of the file pages it maps ("file", for an
    indexer mostly its own index files read through mmap) in MB.
    """
    start = time.perf_counter()
    if split is None:
        p = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True, **kw)
        secs = time.perf_counter() - start
        stdout, stderr = p.stdout, p.stderr
    else:
        with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
            p = subprocess.Popen(["/usr/bin/time", "-v"] + cmd, stdout=out, stderr=err, text=True, **kw)
            while True:
                sample_memory(p.pid, split)
                try:
                    p.wait(timeout=0.05)  # returns as soon as the process ends
                    break
                except subprocess.TimeoutExpired:
                    pass
            secs = time.perf_counter() - start
            out.seek(0)
            err.seek(0)
            stdout, stderr = out.read(), err.read()
    rss = 0
    for line in stderr.splitlines():
        if "Maximum resident set size" in line:
            rss = int(line.split(":")[1]) / 1024
    if p.returncode not in (0, 1):
        raise SystemExit(f"failed ({p.returncode}): {' '.join(cmd)}\n{stderr[-2000:]}")
    return secs, rss, stdout


def sample_memory(time_pid, peaks):
    """Updates peaks["anon"] and peaks["file"] (MB) from the child of /usr/bin/time."""
    try:
        with open(f"/proc/{time_pid}/task/{time_pid}/children") as fh:
            children = fh.read().split()
        for child in children:
            with open(f"/proc/{child}/status") as fh:
                for line in fh:
                    key = {"RssAnon:": "anon", "RssFile:": "file"}.get(line.split(":")[0] + ":")
                    if key:
                        mb = int(line.split()[1]) / 1024
                        peaks[key] = max(peaks.get(key, 0), mb)
    except (FileNotFoundError, ProcessLookupError, ValueError):
        pass  # the process ended between polls


def du(path):
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            total += os.path.getsize(os.path.join(root, f))
    return total


def passages_jsonl(corpus, out):
    """One JSON document per passage (blank-line paragraphs), for tantivy-cli."""
    n = 0
    with open(out, "w", encoding="utf-8") as o:
        for root, _, files in os.walk(corpus):
            for f in sorted(files):
                path = os.path.join(root, f)
                if f.endswith(".jsonl"):
                    with open(path, encoding="utf-8") as fh:
                        arts = [json.loads(l) for l in fh if l.strip()]
                    arts = [(a.get("title", ""), a.get("text", "")) for a in arts]
                else:
                    with open(path, encoding="utf-8", errors="replace") as fh:
                        text = fh.read()
                    arts = [(text.split("\n", 1)[0], text)]
                for title, text in arts:
                    for para in text.split("\n\n"):
                        if para.strip():
                            o.write(json.dumps({"path": path, "title": title, "text": para}) + "\n")
                            n += 1
    return n


TANTIVY_META = {
    "index_settings": {"docstore_compression": "lz4", "docstore_blocksize": 16384},
    "segments": [], "opstamp": 0,
    "schema": [
        {"name": "path", "type": "text", "options": {"indexing": {"record": "basic", "fieldnorms": False, "tokenizer": "raw"}, "stored": True, "fast": False}},
        {"name": "title", "type": "text", "options": {"indexing": {"record": "position", "fieldnorms": True, "tokenizer": "default"}, "stored": True, "fast": False}},
        {"name": "text", "type": "text", "options": {"indexing": {"record": "position", "fieldnorms": True, "tokenizer": "default"}, "stored": True, "fast": False}},
    ],
}


SPLIT_NAMES = [("rare", "Kofi Annan"), ("common", "Tony Blair"), ("very common", "Japan")]


def tantivy_build(tcli, tidx, docs, heap_mb, **kw):
    """tantivy-cli builds a fresh index in `tidx` (our schema in its meta.json) from the
    passages file `docs`, on 2 threads; what `timed` returns."""
    shutil.rmtree(tidx, ignore_errors=True)
    os.makedirs(tidx)
    with open(os.path.join(tidx, "meta.json"), "w") as fh:
        json.dump(TANTIVY_META, fh)
    with open(docs) as stdin:
        return timed([tcli, "index", "-i", tidx, "-t", "2", "-m", str(heap_mb * 1_000_000)],
                     stdin=stdin, **kw)


def split_bench(args, nd, work, tcli):
    """The --split run: JSON Lines builds vs tantivy-cli, .txt queries vs rg (see the docstring)."""
    news = os.path.join(REPO, "../shared/data/news")
    corpora = {}
    for form in ("jsonl", "txt"):
        corpora[form] = os.path.join(work, f"corpus-{args.copies}-{form}")
        if not os.path.isdir(corpora[form]):
            subprocess.run([sys.executable, os.path.join(HERE, "make_corpus.py"), "--news", news,
                            "--out", corpora[form], "--copies", str(args.copies), "--form", form], check=True)
    text_mb = du(corpora["txt"]) / 1e6
    print(f"# newsdex benchmark (--split), {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"corpus: {args.copies} copies of ../shared/data/news, {21268 * args.copies} articles; "
          f"{text_mb:.0f} MB as .txt files, {du(corpora['jsonl']) / 1e6:.0f} MB as one JSON Lines file; "
          f"runs: {args.runs} (medians; builds alternate); writer heap {args.heap_mb} MB")
    idx = os.path.join(work, "idx-split")
    tidx = os.path.join(work, "tantivy-cli-idx-split")
    docs = os.path.join(work, "passages-split.jsonl")
    builders = [("newsdex (entities)", []), ("newsdex (no entities)", ["--no-entities"])]
    times = {label: [] for label, _ in builders}
    peaks, sizes = {}, {}
    for _ in range(args.runs):
        for label, extra in builders:
            shutil.rmtree(idx, ignore_errors=True)
            s, r, _ = timed([nd, "--index", idx, "index", "-q", "--heap-mb", str(args.heap_mb),
                             "--corpus", corpora["jsonl"]] + extra)
            times[label].append(s)
            peaks[label] = max(peaks.get(label, 0), r)
            sizes[label] = du(idx)
        if tcli and os.path.exists(tcli):
            if not os.path.exists(docs):
                passages_jsonl(corpora["jsonl"], docs)
            s, r, _ = tantivy_build(tcli, tidx, docs, args.heap_mb)
            times.setdefault("tantivy-cli", []).append(s)
            peaks["tantivy-cli"] = max(peaks.get("tantivy-cli", 0), r)
            sizes["tantivy-cli"] = du(tidx)
    peer = statistics.median(times["tantivy-cli"]) if "tantivy-cli" in times else None
    print("\n## full build from the JSON Lines file")
    print("| indexer | median s | MB/s of text | vs tantivy-cli | peak RSS MB | index MB | index / text |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for label, secs in times.items():
        med = statistics.median(secs)
        ratio = f"{peer / med:.2f}x" if peer else "n/a (tantivy-cli missing)"
        print(f"| {label} | {med:.1f} | {text_mb / med:.1f} | {ratio} | {peaks[label]:.0f} | "
              f"{sizes[label] / 1e6:.0f} | {sizes[label] / 1e6 / text_mb:.2f}x |")

    idx = os.path.join(work, "idx-split-txt")
    if not (args.reuse_index and os.path.isdir(idx)):
        shutil.rmtree(idx, ignore_errors=True)
        subprocess.run([nd, "--index", idx, "index", "-q", "--corpus", corpora["txt"]], check=True)
    rg = shutil.which("rg")
    print("\n## mentions vs ripgrep on the .txt files (exact names, whole process, warm cache)")
    print("listing: `mentions --exact --json NAME` vs `rg -F -w -i NAME` (each prints every match);"
          " count: `mentions --exact --count NAME` vs `rg -c -F -w -i NAME` (lines, summed)\n")
    print("| name | passages | rg lines | equal | listing s | rg -F s | listing vs rg | count s | rg -c s "
          "| count vs rg | listing peak RSS MB |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    med3 = lambda cmd: statistics.median(timed(cmd)[0] for _ in range(max(3, args.runs)))
    for kind, name in SPLIT_NAMES:
        list_cmd = [nd, "--index", idx, "mentions", "--exact", "--json", "-q", name]
        _, list_rss, out = timed(list_cmd)
        passages = len(out.splitlines())
        list_s = med3(list_cmd)
        count_cmd = [nd, "--index", idx, "mentions", "--exact", "--count", name]
        count_s = med3(count_cmd)
        assert int(timed(count_cmd)[2]) == passages
        if rg:
            rg_list = [rg, "-F", "-w", "-i", name, corpora["txt"]]
            rg_count = [rg, "-c", "-F", "-w", "-i", "--no-filename", name, corpora["txt"]]
            lines = sum(int(x) for x in timed(rg_count)[2].split())
            rg_list_s, rg_count_s = med3(rg_list), med3(rg_count)
            print(f"| {name} ({kind}) | {passages} | {lines} | {'yes' if lines == passages else 'NO'} | "
                  f"{list_s:.3f} | {rg_list_s:.3f} | {rg_list_s / list_s:.1f}x | {count_s:.3f} | "
                  f"{rg_count_s:.3f} | {rg_count_s / count_s:.0f}x | {list_rss:.0f} |")
        else:
            print(f"| {name} ({kind}) | {passages} | n/a | n/a | {list_s:.3f} | n/a | n/a | {count_s:.3f} "
                  f"| n/a | n/a | {list_rss:.0f} |")
    print(f"\n.txt index: {du(idx) / 1e6:.0f} MB = {du(idx) / 1e6 / text_mb:.2f}x the text")
    return 0


def stats(xs):
    return min(xs), statistics.median(xs)


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, default=4)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--heap-mb", type=int, default=256)
    ap.add_argument("--work", default=None, help="folder for corpus and indexes (default: a temp dir)")
    ap.add_argument("--split", action="store_true",
                    help="JSON Lines builds and .txt queries with three names (issue 17; see above)")
    ap.add_argument("--reuse-index", action="store_true",
                    help="--split: query the .txt index left by an earlier run instead of rebuilding it")
    ap.add_argument("--tantivy", default=None, help="the tantivy-cli binary (default: `tantivy` on PATH)")
    args = ap.parse_args()
    news = os.path.join(REPO, "../shared/data/news")
    if not os.path.isdir(news):
        print("skipped: ../shared/data/news is absent", file=sys.stderr)
        return 0
    work = args.work or tempfile.mkdtemp(prefix="newsdex-bench-")
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    nd = os.path.join(REPO, "target/release/newsdex")
    if args.split:
        return split_bench(args, nd, work, args.tantivy or shutil.which("tantivy"))
    corpus = os.path.join(work, f"corpus-{args.copies}")
    if not os.path.isdir(corpus):
        subprocess.run([sys.executable, os.path.join(HERE, "make_corpus.py"), "--news", news,
                        "--out", corpus, "--copies", str(args.copies)], check=True)
    size = du(corpus)
    mb = size / 1e6
    rg = shutil.which("rg")
    tcli = args.tantivy or shutil.which("tantivy")
    print(f"# newsdex benchmark, {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores")
    print(f"corpus: {args.copies} copies of ../shared/data/news, {mb:.0f} MB, "
          f"{21268 * args.copies} articles ({21268} distinct); runs: {args.runs}; writer heap {args.heap_mb} MB")

    # --- full builds
    idx = os.path.join(work, "idx")
    tidx = os.path.join(work, "tantivy-cli-idx")
    results = {}
    splits = {}
    for label, extra in [("newsdex (entities)", []), ("newsdex (no entities)", ["--no-entities"])]:
        secs, rss = [], []
        splits[label] = {}
        for _ in range(args.runs):
            shutil.rmtree(idx, ignore_errors=True)
            s, r, _ = timed([nd, "--index", idx, "index", "-q", "--heap-mb", str(args.heap_mb), "--corpus", corpus] + extra,
                            split=splits[label])
            secs.append(s)
            rss.append(r)
        results[label] = (secs, max(rss))
    if tcli:
        docs = os.path.join(work, "passages.jsonl")
        n = passages_jsonl(corpus, docs)
        secs, rss = [], []
        for _ in range(args.runs):
            s, r, _ = tantivy_build(tcli, tidx, docs, args.heap_mb,
                                    split=splits.setdefault("tantivy-cli", {}))
            secs.append(s)
            rss.append(r)
        results["tantivy-cli"] = (secs, max(rss))
    print("\n## full build")
    print("| indexer | min s | median s | MB/s (median) | vs tantivy-cli | peak RSS MB | of which anonymous / mapped files MB |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    peer = statistics.median(results["tantivy-cli"][0]) if tcli else None
    for label, (secs, rss) in results.items():
        lo, med = stats(secs)
        ratio = f"{peer / med:.2f}x" if peer else "n/a (tantivy-cli missing)"
        sp = splits.get(label, {})
        parts = f"{sp.get('anon', 0):.0f} / {sp.get('file', 0):.0f}"
        print(f"| {label} | {lo:.1f} | {med:.1f} | {mb / med:.1f} | {ratio} | {rss:.0f} | {parts} |")
    print(f"\n(target: peak RSS ≤ writer heap + 300 MB = {args.heap_mb + 300} MB; the mapped-file pages are the"
          " index's own files, read through mmap by merges: page cache the kernel can drop, not allocations)")

    # --- index with entities, then incremental runs
    shutil.rmtree(idx, ignore_errors=True)
    full, _, _ = timed([nd, "--index", idx, "index", "-q", "--corpus", corpus])
    print(f"\nindex size {du(idx) / 1e6:.0f} MB = {du(idx) / size:.2f}x corpus")
    bbc = sorted(os.path.join(r, f) for r, _, fs in os.walk(os.path.join(corpus, "copy-000", "bbc")) for f in fs)
    def touch(paths, note):
        for p in paths:
            with open(p, "a") as fh:
                fh.write(f"\n\nEditor's note: {note}.\n")
    # the changes below are undone at the end, so that a later run on the same --work
    # measures the same corpus (each run used to delete another file and add more notes)
    saved = {p: open(p, "rb").read() for p in bbc[:101] + [bbc[200]]}
    cases = [("nothing changed", lambda: None),
             ("1 file changed", lambda: touch(bbc[:1], "one")),
             ("100 files changed", lambda: touch(bbc[1:101], "hundred")),
             ("1 file deleted", lambda: os.remove(bbc[200]))]
    print("\n## incremental (entities on)")
    print(f"| change | seconds | % of full build ({full:.1f} s) |")
    print("| --- | --- | --- |")
    for label, change in cases:
        change()
        s, _, _ = timed([nd, "--index", idx, "index", "-q", "--corpus", corpus])
        print(f"| {label} | {s:.3f} | {100 * s / full:.2f}% |")
    for p, data in saved.items():
        with open(p, "wb") as fh:
            fh.write(data)
    # the index follows the corpus back (untimed), so rg and newsdex count the same text
    subprocess.run([nd, "--index", idx, "index", "-q", "--corpus", corpus], check=True)

    # --- queries
    print("\n## mentions vs ripgrep (exact names, whole process, warm cache, best of 3)")
    print("`mentions --exact --count` against `rg -c -F -w -i`; the listing column is `mentions --exact --json`")
    print("(every passage read and printed). Counts compared on the BBC text files, where a paragraph is a line.\n")
    print("| name | passages | rg lines (BBC) | newsdex (BBC) | count s | rg -c s | speed-up | listing s |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    nd_times, rg_times, list_times, q_rss = [], [], [], 0
    for name in NAMES:
        s, r, out = timed([nd, "--index", idx, "mentions", "--exact", "--json", "-q", name])
        list_s = min(s, *(timed([nd, "--index", idx, "mentions", "--exact", "--json", "-q", name])[0] for _ in range(2)))
        q_rss = max(q_rss, r)
        hits = [json.loads(l) for l in out.splitlines()]
        bbc_hits = sum(1 for h in hits if "/bbc/" in h["path"])
        count_cmd = [nd, "--index", idx, "mentions", "--exact", "--count", name]
        nd_s = min(timed(count_cmd)[0] for _ in range(3))
        assert int(timed(count_cmd)[2]) == len(hits)
        if rg:
            cmd = [rg, "-c", "-F", "-w", "-i", "--no-filename", name, corpus]
            rg_s = min(timed(cmd)[0] for _ in range(3))
            bbc_cmd = [rg, "-c", "-F", "-w", "-i", "--no-filename", "-g", "*.txt", name, corpus]
            lines = sum(int(x) for x in timed(bbc_cmd)[2].split())
            rg_times.append(rg_s)
            print(f"| {name} | {len(hits)} | {lines} | {bbc_hits} | {nd_s:.3f} | {rg_s:.3f} | {rg_s / nd_s:.0f}x | {list_s:.3f} |")
        else:
            print(f"| {name} | {len(hits)} | n/a | {bbc_hits} | {nd_s:.3f} | n/a | n/a | {list_s:.3f} |")
        nd_times.append(nd_s)
        list_times.append(list_s)
    print(f"\nmentions --count p50 {pct(nd_times, 50):.3f} s, p99 {pct(nd_times, 99):.3f} s; "
          f"full listing p50 {pct(list_times, 50):.3f} s, p99 {pct(list_times, 99):.3f} s; peak RSS of a query {q_rss:.0f} MB")
    if rg_times:
        print(f"rg scan p50 {pct(rg_times, 50):.3f} s; median speed-up {statistics.median([r / n for r, n in zip(rg_times, nd_times)]):.0f}x")
    s_times = []
    for name in NAMES:
        s_times.append(min(timed([nd, "--index", idx, "search", "--json", "-q", f'"{name}"'])[0] for _ in range(3)))
    print(f"search (top 10, phrase) p50 {pct(s_times, 50):.3f} s, p99 {pct(s_times, 99):.3f} s"
          + (f"; p99 = 1/{pct(rg_times, 50) / pct(s_times, 99):.0f} of an rg scan" if rg_times else ""))
    if tcli:
        # tantivy-cli's `search` has no top-k: it prints every matching document, so its
        # time grows with the matches; the phrase is looked up in every indexed text field
        t_times = []
        for name in NAMES:
            cmd = [tcli, "search", "-i", tidx, "-q", f'"{name}"']
            t_times.append(min(timed(cmd)[0] for _ in range(3)))
        print(f"tantivy-cli search (same phrases, every match printed) p50 {pct(t_times, 50):.3f} s, "
              f"p99 {pct(t_times, 99):.3f} s; time ratio tantivy-cli / newsdex: p50 "
              f"{pct(t_times, 50) / pct(s_times, 50):.1f}, p99 {pct(t_times, 99) / pct(s_times, 99):.1f}")
    else:
        print("tantivy-cli search: skipped (install it with `cargo install tantivy-cli`)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
