"""Load test of `toolrag serve` on loopback: N concurrent clients for T seconds per phase.

Starts the server as a subprocess on 127.0.0.1 (a free port), waits for /healthz, then runs three
phases, each with N client threads sending requests back to back until T seconds have passed
(bounded in time and count; nothing leaves the machine):

1. `/retrieve` alone;
2. `/ask` alone;
3. `/retrieve` while N more clients keep `/ask` loaded: does planning slow retrieval?

Reports requests, deliberate 503s (the planner queue is full: the server says when to retry),
failures (any other non-200, or a transport error), throughput and p50/p95 latency of the 200s.

    python benchmarks/server_load.py --index toolrag-quickstart-index --clients 20 --seconds 60
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from common import ROOT, write_results

from toolrag.evaluation.planner import percentile
from toolrag.sample import sample_queries

QUERIES = sample_queries()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def hammer(url: str, path: str, body_for, clients: int, seconds: float, cap: int) -> dict:
    latencies: list[float] = []
    failures: list[str] = []
    busy = [0]
    lock = threading.Lock()
    stop_at = time.time() + seconds
    sent = [0]

    def client(cid: int) -> None:
        with httpx.Client(timeout=300) as http:
            i = 0
            while time.time() < stop_at:
                with lock:
                    if sent[0] >= cap:
                        return
                    sent[0] += 1
                start = time.perf_counter()
                retry = 0.0
                try:
                    r = http.post(f"{url}{path}", json=body_for(cid, i))
                    ok = r.status_code == 200
                    err = f"HTTP {r.status_code}"
                    if r.status_code == 503 and "Retry-After" in r.headers:
                        retry = float(r.headers["Retry-After"])
                except httpx.HTTPError as e:
                    ok, err = False, type(e).__name__
                with lock:
                    if ok:
                        latencies.append(time.perf_counter() - start)
                    elif retry:
                        busy[0] += 1
                    else:
                        failures.append(err)
                if retry:  # a well-behaved client waits as told (within the phase)
                    time.sleep(min(retry, max(0.0, stop_at - time.time())))
                i += 1

    threads = [threading.Thread(target=client, args=(c,)) for c in range(clients)]
    t0 = time.time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.time() - t0
    return {
        "requests": len(latencies) + busy[0] + len(failures),
        "ok": len(latencies),
        "busy_503": busy[0],
        "failed": len(failures),
        "failures": sorted(set(failures)),
        "wall_s": wall,
        "ok_per_s": len(latencies) / wall,
        "p50_s": percentile(latencies, 0.5),
        "p95_s": percentile(latencies, 0.95),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--cap", type=int, default=100_000, help="max requests per endpoint")
    ap.add_argument("--name", default="server_load")
    ap.add_argument(
        "--planner-niceness",
        type=int,
        default=None,
        help="`toolrag serve --planner-niceness` (default: serve's own default)",
    )
    args = ap.parse_args()
    niceness = (
        [] if args.planner_niceness is None else ["--planner-niceness", str(args.planner_niceness)]
    )

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "toolrag.cli",
            "serve",
            "--index",
            str(args.index),
            "--port",
            str(port),
            *niceness,
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    try:
        deadline = time.time() + 300
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.time() > deadline or server.poll() is not None:
                raise SystemExit("server did not start")
            time.sleep(0.5)
        health = httpx.get(f"{url}/healthz", timeout=2).json()
        bodies = {
            "retrieve": lambda c, i: {"query": QUERIES[(c + i) % len(QUERIES)], "k": 5},
            "ask": lambda c, i: {"query": QUERIES[(c + i) % len(QUERIES)], "k": 5},
        }

        def phase(ep: str) -> dict:
            return hammer(url, f"/{ep}", bodies[ep], args.clients, args.seconds, args.cap)

        rows = {"/retrieve alone": phase("retrieve"), "/ask alone": phase("ask")}
        with ThreadPoolExecutor(1) as pool:
            loaded = pool.submit(phase, "ask")
            time.sleep(2)  # let the ask clients fill the planner queue first
            rows["/retrieve while /ask is loaded"] = phase("retrieve")
            rows["/ask (beside it)"] = loaded.result()
    finally:
        server.terminate()
        server.wait(timeout=30)
    lines = [
        f"# `toolrag serve` under load: {args.clients} concurrent clients per phase, "
        f"{args.seconds:.0f} s each, loopback, index `{args.index}`, planner niceness "
        f"{health['plan_queue']['planner_niceness']}",
        "",
        "| phase | requests | 200 | deliberate 503 | failed | 200/s | p50 s | p95 s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for phase_name, r in rows.items():
        lines.append(
            f"| {phase_name} | {r['requests']} | {r['ok']} | {r['busy_503']} | {r['failed']} | "
            f"{r['ok_per_s']:.1f} | {r['p50_s']:.3f} | {r['p95_s']:.3f} |"
        )
    alone, loaded = rows["/retrieve alone"]["p50_s"], rows["/retrieve while /ask is loaded"]
    lines += [
        "",
        f"/retrieve p50 while /ask is loaded: {loaded['p50_s'] / alone:.2f}x its p50 alone.",
        "",
        "Latency is what a client waits for a 200, queueing included. Plans run one at a time; "
        "past the planner queue (`--max-queue`, default 4 waiting) the server answers 503 with "
        "Retry-After at once, and these clients wait that long before their next request.",
    ]
    write_results(
        args.name,
        {"clients": args.clients, "seconds": args.seconds, "health": health, "rows": rows},
        "\n".join(lines),
    )


if __name__ == "__main__":
    main()
