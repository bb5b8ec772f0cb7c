#!/usr/bin/env python3
"""Push throughput and `mentions` latency: a SolrCloud collection against the local index.

Needs a built release binary, a corpus (make_corpus.py makes the benchmark one from
../shared/data/news) and a running cluster whose launcher uploaded the `newsdex` configset
(tests/solr/cluster.sh start prints its URLs). Measures, on the same corpus:

  build     `newsdex index` into a fresh local index vs `newsdex push` into a fresh
            collection (2 shards x 2 replicas): seconds, passages/s, corpus MB/s
  mentions  `mentions NAME --json` on the local index vs `--solr`, whole process, warm
            (best of --runs), for the benchmark's 20 names; the outputs must be identical

    python3 tests/bench/make_corpus.py --out /tmp/bench-100m --copies 4
    NEWSDEX_SOLR_HEAP=3g NEWSDEX_SOLR_STATE=/tmp/bench-solr tests/solr/cluster.sh start
    python3 tests/bench/solr.py --corpus /tmp/bench-100m --solr URLS
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
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "../.."))
sys.path.insert(0, HERE)
from run import NAMES  # noqa: E402  the same 20 names as the main harness


def admin(url, **params):
    node = url.split(",")[0]
    q = urllib.parse.urlencode(dict(params, wt="json"))
    with urllib.request.urlopen(f"{node}/admin/collections?{q}", timeout=300) as r:
        return json.load(r)


def run(cmd):
    start = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    return time.perf_counter() - start, p


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--solr", required=True, help="node URLs, comma-separated")
    ap.add_argument("--bin", default=os.path.join(REPO, "target/release/newsdex"))
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    size = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(args.corpus) for f in fs)
    mb = size / 1e6
    work = tempfile.mkdtemp(prefix="newsdex-solr-bench-")
    index = os.path.join(work, "index")
    collection = f"bench_{os.getpid()}"
    try:
        admin(args.solr, action="CREATE", name=collection, **{"collection.configName": "newsdex"},
              numShards=2, replicationFactor=2, waitForFinalState="true")
        secs_local, p = run([args.bin, "--index", index, "index", "--json", "--corpus", args.corpus])
        assert p.returncode == 0, p.stderr
        local = json.loads(p.stdout.splitlines()[-1])
        secs_push, p = run([args.bin, "push", "--json", "--solr", args.solr, "--collection", collection,
                            "--corpus", args.corpus])
        assert p.returncode == 0, p.stderr
        pushed = json.loads(p.stdout.splitlines()[-1])
        assert pushed["total_passages"] == local["total_passages"], (pushed, local)
        n = local["total_passages"]
        print(f"corpus: {args.corpus}, {mb:.0f} MB, {n} passages, {local['articles']} articles\n")
        print("| build | seconds | passages/s | MB/s |\n| --- | --- | --- | --- |")
        for label, secs in [("local `newsdex index`", secs_local), ("`newsdex push` to the 2-node cluster", secs_push)]:
            print(f"| {label} | {secs:.1f} | {n / secs:,.0f} | {mb / secs:.1f} |")
        print(f"\npush: {pushed['batches']} requests, {pushed['retries']} retried\n")
        print("| name | passages | local s | cluster s | cluster / local |\n| --- | --- | --- | --- | --- |")
        ratios, locals_, remotes = [], [], []
        for name in NAMES:
            best = {}
            for where, extra in [("local", ["--index", index]), ("solr", ["--solr", args.solr, "--collection", collection])]:
                times = []
                for _ in range(args.runs):
                    secs, p = run([args.bin, "mentions", name, "--json", "--quiet"] + extra)
                    assert p.returncode in (0, 1), p.stderr
                    times.append(secs)
                best[where] = (min(times), p.stdout)
            assert best["local"][1] == best["solr"][1], f"{name}: the cluster's answer differs"
            count = best["local"][1].count("\n")
            l, s = best["local"][0], best["solr"][0]
            locals_.append(l)
            remotes.append(s)
            ratios.append(s / l)
            print(f"| {name} | {count} | {l:.3f} | {s:.3f} | {s / l:.1f}x |")
        q = lambda xs, p: sorted(xs)[min(len(xs) - 1, int(p * len(xs)))]
        print(f"\nmentions p50 local {statistics.median(locals_):.3f} s, cluster {statistics.median(remotes):.3f} s; "
              f"p99 local {q(locals_, 0.99):.3f} s, cluster {q(remotes, 0.99):.3f} s; median ratio {statistics.median(ratios):.1f}x; "
              "every answer identical")
    finally:
        try:
            admin(args.solr, action="DELETE", name=collection)
        except Exception as e:  # report, but still remove the local index
            print(f"could not delete collection {collection}: {e}", file=sys.stderr)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
