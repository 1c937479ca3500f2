#!/usr/bin/env python3
"""Time from saving one content file to the reloaded page under `sbiz serve`.

    python3 bench/serve-reload.py                  # the real content/ (copied)
    python3 bench/serve-reload.py --records 10000  # the synthetic site
    python3 bench/serve-reload.py --sbiz /tmp/old-sbiz   # another binary
    SBIZ_TIMINGS=1 python3 bench/serve-reload.py --log /tmp/serve.log  # phases

Builds the release binary, starts `sbiz serve` on a copy of the site, listens
to the live-reload stream like an open page, then, RUNS times: appends a new
paragraph to one notice, and measures the time until the reload event
arrives and until the page, fetched again as the browser does on that event,
shows the paragraph. Prints each run and the medians, and the CPU time
(user + system, all threads) the server spent on each save, from the save
until the events of its rebuild are over: on a machine shared with other
work, the wall times move with the load and the CPU time much less.
"""

import argparse
import os
import pathlib
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

REPO = pathlib.Path(__file__).resolve().parent.parent
SBIZ = REPO / "target" / "release" / "sbiz"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_ms(pid):
    """The CPU time (user + system) process `pid` has used, in ms (Linux)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return float("nan")


def get(port, path):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as r:
        return r.read().decode("utf-8")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, help="a synthetic site of this many records")
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--sbiz", help="another sbiz binary (e.g. an older build, to compare)")
    ap.add_argument(
        "--log",
        help="write the server's standard error here (with SBIZ_TIMINGS=1: each build's phases)",
    )
    args = ap.parse_args()
    sbiz = SBIZ
    if args.sbiz:
        sbiz = pathlib.Path(args.sbiz).resolve()
    else:
        subprocess.run(
            ["cargo", "build", "--release", "-p", "sbiz-generator", "--quiet"], cwd=REPO, check=True
        )
    work = pathlib.Path(tempfile.mkdtemp(prefix="sbiz-serve-bench-"))
    server = None
    try:
        site = work / "site"
        if args.records:
            subprocess.run(
                [sbiz, "synth", "--out", site, "--records", str(args.records)],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            notice = site / "content/notices/notice-17.md"
            url = "/notices/notice-17/"
        else:
            shutil.copytree(REPO / "content", site / "content")
            shutil.copytree(REPO / "themes", site / "themes")
            # A Korean notice (not an English version, `<id>.en.md`).
            notice = sorted(
                p for p in (site / "content/notices").glob("*.md") if not p.name.endswith(".en.md")
            )[0]
            url = f"/notices/{notice.stem}/"
        port = free_port()
        # Not a pipe nobody reads: a full one would stop the server.
        log = open(args.log, "w") if args.log else subprocess.DEVNULL
        server = subprocess.Popen(
            [sbiz, "--root", site, "serve", "--port", str(port), "--data", work / "data"],
            stdout=subprocess.DEVNULL,
            stderr=log,
            text=True,
        )
        start = time.monotonic()
        while True:
            try:
                get(port, url)
                break
            except OSError:
                if time.monotonic() - start > 300 or server.poll() is not None:
                    sys.exit("sbiz serve did not start")
                time.sleep(0.2)
        events = socket.create_connection(("127.0.0.1", port))
        events.sendall(b"GET /__sbiz/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        events.settimeout(30)
        events.recv(4096)  # the answer's head
        time.sleep(1)
        signal, page, cpu = [], [], []
        for run in range(args.runs):
            marker = f"벤치 편집 {run} {time.time_ns()}"
            text = notice.read_text(encoding="utf-8")
            c0 = cpu_ms(server.pid)
            t0 = time.perf_counter()
            notice.write_text(f"{text}\n\n{marker}\n", encoding="utf-8")
            seen = b""
            while b"event: reload" not in seen:
                seen += events.recv(4096)
            t1 = time.perf_counter()
            while marker not in get(port, url):
                pass
            t2 = time.perf_counter()
            signal.append((t1 - t0) * 1000)
            page.append((t2 - t0) * 1000)
            time.sleep(0.5)
            # Events of the same save that arrive late are read now.
            events.settimeout(0.3)
            try:
                while events.recv(4096):
                    pass
            except OSError:
                pass
            events.settimeout(30)
            cpu.append(cpu_ms(server.pid) - c0)
            print(
                f"run {run + 1}: reload event {signal[-1]:.0f} ms, page {page[-1]:.0f} ms, "
                f"server CPU {cpu[-1]:.0f} ms"
            )
        site_name = f"{args.records} synthetic records" if args.records else "the real content"
        print(
            f"{site_name}: median save → reload event {statistics.median(signal):.0f} ms, "
            f"save → reloaded page {statistics.median(page):.0f} ms, "
            f"server CPU per save {statistics.median(cpu):.0f} ms ({args.runs} runs)"
        )
    finally:
        if server is not None:
            server.terminate()
            server.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
