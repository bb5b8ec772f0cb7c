#!/usr/bin/env python3
"""Load test of `newsdex serve`: concurrent clients on loopback against one rg scan of the corpus.

Needs ../shared/data/news (skips cleanly without it) and ripgrep (`apt-get install ripgrep`).
Builds the release binary, makes the corpus with make_corpus.py and indexes it (entities on;
both kept in --work for the next run), then:

  rg      `rg -c -F -w -i NAME corpus` for each name, the fastest of 3 runs; the p50 over the
          names is "one rg scan", as in run.py
  serve   `newsdex serve --addr 127.0.0.1:0`; one untimed pass over every request warms it,
          then CLIENTS client processes, each on its own keep-alive connection, send three
          untimed requests, wait at a start line, and send REQUESTS timed requests each (a
          bounded run), all starting together and cycling from a different start through
          the request list:
          for every name a phrase query (`q="Tony Blair"`), an entity filter alone
          (`person=Tony Blair`) and a filter with a word (`q=government&person=Tony Blair`),
          all `/api/search` with the default page (20 hits; facets over the top 100)
  report  p50 / p99 / max latency of a whole request (connect excluded, response read),
          requests per second, p99 as a fraction of one rg scan, the server's peak RSS
          (VmHWM from /proc at the end of the run) and its CPU time per request (user +
          system from /proc, which the machine's other load does not inflate), and the
          clients' own CPU time per request: on 2 cores it is taken from the server

Clients speak HTTP through a small bare-socket client (`--client lean`, the default);
`--client http.client` uses Python's own, which costs each request four times the CPU.

    python3 tests/bench/serve_load.py --copies 10 --form txt   # issue 18's figure
    python3 tests/bench/serve_load.py --copies 9 --work /tmp/newsdex-serve-bench
"""
import argparse
import http.client
import multiprocessing
import os
import queue
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "../.."))
# the names of run.py, each with the entity type its filter uses
NAMES = [
    ("Tony Blair", "person"), ("Gordon Brown", "person"), ("Michael Howard", "person"),
    ("Ronald Reagan", "person"), ("James Baker", "person"), ("Bank of England", "org"),
    ("Federal Reserve", "org"), ("European Union", "org"), ("World Bank", "org"),
    ("Microsoft", "org"), ("Chelsea", "org"), ("Manchester United", "org"), ("Iraq", "place"),
    ("Japan", "place"), ("Brazil", "place"), ("Kofi Annan", "person"), ("Steve Jobs", "person"),
    ("Saddam Hussein", "person"), ("Lloyd's of London", "org"), ("Jose Mourinho", "person"),
]


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def requests_list():
    out = []
    for name, kind in NAMES:
        out.append("/api/search?" + urllib.parse.urlencode({"q": f'"{name}"'}))
        out.append("/api/search?" + urllib.parse.urlencode({kind: name}))
        out.append("/api/search?" + urllib.parse.urlencode({"q": "government", kind: name}))
    return out


def get(conn, path):
    conn.request("GET", path)
    resp = conn.getresponse()
    body = resp.read()
    if resp.status != 200:
        raise SystemExit(f"{path}: {resp.status} {body[:300]!r}")


class LeanConnection:
    """A keep-alive HTTP/1.1 GET client on a bare socket, for answers framed by
    Content-Length (all of `newsdex serve`'s): it reads the whole body and checks the status
    like http.client, for about a fifth of the CPU. http.client parses every head with the
    email package, ~0.13 ms a request here, and on 2 cores the clients' CPU is taken from
    the server they measure (--client http.client keeps it, for comparison)."""

    def __init__(self, host, port, timeout):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.host = f"{host}:{port}"
        self.buf = b""

    def _fill(self):
        chunk = self.sock.recv(1 << 16)
        if not chunk:
            raise SystemExit("the server closed the connection mid-answer")
        self.buf += chunk

    def get(self, path):
        self.sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\n\r\n".encode())
        while (end := self.buf.find(b"\r\n\r\n")) < 0:
            self._fill()
        head = self.buf[:end].decode("latin-1").split("\r\n")
        status = int(head[0].split(" ", 2)[1])
        length = next((int(h.split(":", 1)[1]) for h in head[1:]
                       if h.lower().startswith("content-length:")), None)
        if length is None:
            raise SystemExit(f"{path}: an answer without Content-Length: {head[0]}")
        while len(self.buf) < end + 4 + length:
            self._fill()
        body = self.buf[end + 4:end + 4 + length]
        self.buf = self.buf[end + 4 + length:]
        if status != 200:
            raise SystemExit(f"{path}: {status} {body[:300]!r}")

    def close(self):
        self.sock.close()


class StdConnection:
    """Python's http.client, as the clients were before LeanConnection."""

    def __init__(self, host, port, timeout):
        self.conn = http.client.HTTPConnection(host, port, timeout=timeout)
        self.conn.connect()

    def get(self, path):
        get(self.conn, path)

    def close(self):
        self.conn.close()


def client(host, port, reqs, i, requests, start_line, results, lean):
    """One client: its own keep-alive connection, `requests` requests from its own start
    in the list; puts its latencies and its own CPU time on `results`."""
    conn = (LeanConnection if lean else StdConnection)(host, port, timeout=120)
    # three untimed requests before the start line: a process just forked pays for its
    # first touches of the parent's memory (copy-on-write faults), and with all 8 doing so
    # at the start the first timed requests took 30-70 ms, client CPU that the server's
    # own timings showed as its threads waiting for a core. A server that leaves a new
    # connection unserved (tiny_http 0.12 did; BENCHMARKS.md, issue 18) fails the run here,
    # at the socket's timeout, and breaks the start line for the others.
    for k in range(3):
        conn.get(reqs[(i * 7 + k) % len(reqs)])
    start_line.wait(timeout=300)
    out = []
    cpu = time.process_time()
    for k in range(requests):
        path = reqs[(i * 7 + k) % len(reqs)]
        t = time.perf_counter()
        conn.get(path)
        out.append(time.perf_counter() - t)
    cpu = time.process_time() - cpu
    conn.close()
    results.put((out, cpu))


def rss_peak_mb(pid):
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid):
    """User + system CPU time the process has used, from /proc/PID/stat."""
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, default=9)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--requests", type=int, default=1000,
                    help="requests per client (default 1000: the p99 of 8,000 is steadier than "
                         "of 1,600, where the 16 slowest included the start's transients)")
    ap.add_argument("--workers", type=int, default=4, help="newsdex serve --workers")
    ap.add_argument("--work", default=None,
                    help="folder for corpus and index, kept for the next run (default /tmp/newsdex-serve-bench)")
    ap.add_argument("--news", default=os.path.join(REPO, "../shared/data/news"),
                    help="the news sets make_corpus.py replicates (default ../shared/data/news)")
    ap.add_argument("--form", choices=["mixed", "txt"], default="mixed",
                    help="make_corpus.py --form: `txt` is issue 17's benchmark corpus, one .txt "
                         "file per article (what rg reads there); `mixed` (default) keeps the "
                         "Reuters sets as multi-article files")
    ap.add_argument("--client", choices=["lean", "http.client"], default="lean",
                    help="how each client speaks HTTP: `lean` (default), a bare-socket GET client "
                         "that costs its process about 0.03 ms a request; `http.client`, Python's "
                         "own, about 0.13 ms (the figures before 2026-12-06's seventh session)")
    args = ap.parse_args()
    news = args.news
    if not os.path.isdir(news):
        print(f"skipped: {news} is absent (the benchmark needs ../shared/data/news)", file=sys.stderr)
        return 0
    rg = shutil.which("rg")
    if not rg:
        print("skipped: ripgrep is not installed (apt-get install ripgrep)", file=sys.stderr)
        return 0
    work = args.work or os.path.join("/tmp", "newsdex-serve-bench")
    os.makedirs(work, exist_ok=True)
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    nd = os.path.join(REPO, "target/release/newsdex")
    suffix = "" if args.form == "mixed" else f"-{args.form}"
    corpus = os.path.join(work, f"corpus-{args.copies}{suffix}")
    if not os.path.isdir(corpus):
        subprocess.run([sys.executable, os.path.join(HERE, "make_corpus.py"), "--news", news,
                        "--out", corpus, "--copies", str(args.copies), "--form", args.form],
                       check=True)
    index = os.path.join(work, f"index-{args.copies}{suffix}")
    start = time.perf_counter()
    cmd = [nd, "--index", index, "index", "-q", "--corpus", corpus]
    if subprocess.run(cmd).returncode != 0:
        # an index kept from an older newsdex (another schema version) is built afresh
        subprocess.run(cmd + ["--rebuild"], check=True)
    print(f"index (or check it is up to date): {time.perf_counter() - start:.1f} s")
    mb = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(corpus) for f in fs) / 1e6
    imb = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(index) for f in fs) / 1e6
    print(f"corpus: {args.copies} copies of ../shared/data/news ({args.form}), {mb:.0f} MB; index {imb:.0f} MB")

    rg_times = []
    for name, _ in NAMES:
        cmd = [rg, "-c", "-F", "-w", "-i", "--no-filename", name, corpus]
        best = None
        for _ in range(3):
            t = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, check=False)
            s = time.perf_counter() - t
            best = s if best is None else min(best, s)
        rg_times.append(best)
    rg_p50 = statistics.median(rg_times)
    print(f"rg scan p50 {rg_p50:.3f} s over {len(NAMES)} names")

    server = subprocess.Popen([nd, "--index", index, "serve", "--addr", "127.0.0.1:0",
                               "--workers", str(args.workers)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        line = server.stderr.readline().strip()
        if not line.startswith("listening on http://"):
            raise SystemExit(f"serve did not start: {line}")
        host, port = line.removeprefix("listening on http://").rsplit(":", 1)
        reqs = requests_list()

        warm = http.client.HTTPConnection(host, int(port), timeout=120)
        for path in reqs:
            get(warm, path)
        warm.close()

        # each client is a process of its own: threads of one Python process share its
        # interpreter lock, and a response that arrives while another thread holds it is
        # timed late (by up to the 5 ms switch interval)
        ctx = multiprocessing.get_context("fork")
        start_line = ctx.Barrier(args.clients + 1)
        results = ctx.Queue()
        procs = [ctx.Process(target=client, args=(host, int(port), reqs, i, args.requests,
                                                     start_line, results, args.client == "lean"))
                 for i in range(args.clients)]
        for p in procs:
            p.start()
        load_before = os.getloadavg()[0]
        cpu_before = cpu_seconds(server.pid)
        start_line.wait(timeout=300)
        t0 = time.perf_counter()
        latencies = []
        client_cpu = 0.0
        try:
            for _ in procs:
                # a client that failed (its request errored, the server died) puts nothing
                lat_one, cpu_one = results.get(timeout=600)
                latencies.append(lat_one)
                client_cpu += cpu_one
        except queue.Empty:
            raise SystemExit("a client gave no result in 600 s (see its error above)")
        finally:
            for p in procs:
                p.join(timeout=5)
                if p.is_alive():
                    p.terminate()
        wall = time.perf_counter() - t0
        load_after = os.getloadavg()[0]
        cpu = cpu_seconds(server.pid) - cpu_before
        rss = rss_peak_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    lat = [x for xs in latencies for x in xs]
    p50, p99 = pct(lat, 50), pct(lat, 99)
    print(f"serve: {args.clients} clients ({args.client}) x {args.requests} requests, --workers {args.workers}: "
          f"{len(lat)} requests in {wall:.2f} s = {len(lat) / wall:.0f} req/s")
    slow = sorted(((x, i, k) for i, xs in enumerate(latencies) for k, x in enumerate(xs)), reverse=True)[:3]
    print(f"latency p50 {p50 * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, max {max(lat) * 1000:.1f} ms"
          f" (slowest: " + ", ".join(f"{x * 1000:.0f} ms client {i} request {k}" for x, i, k in slow) + ")")
    print(f"p99 = 1/{rg_p50 / p99:.0f} of an rg scan (target <= 1/50, aim <= 1/200)")
    stalled = sum(1 for x in lat if x > 0.25)
    print(f"requests over 250 ms: {stalled}")
    print(f"server peak RSS {rss:.0f} MB; server CPU {cpu:.2f} s = {cpu / len(lat) * 1000:.2f} ms a request;"
          f" clients' CPU {client_cpu / len(lat) * 1000:.2f} ms a request")
    print(f"machine load average (1 min) {load_before:.1f} before the run, {load_after:.1f} after,"
          f" on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
