"""Load test of `toolrag serve` on loopback: N concurrent clients for T seconds per endpoint.

Starts the server as a subprocess on 127.0.0.1 (a free port), waits for /healthz, then for each
endpoint runs N client threads that send requests back to back until T seconds have passed
(bounded in time and count; nothing leaves the machine). Reports requests, failures (non-200 or
transport error), throughput and p50/p95 latency.

    python benchmarks/server_load.py --index toolrag-quickstart-index --clients 20 --seconds 60
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import threading
import time
from importlib import resources
from pathlib import Path

import httpx
from common import ROOT, write_results

from agent.evaluate import percentile

QUERIES = json.loads((resources.files("toolrag") / "data" / "sample_queries.json").read_text())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def hammer(url: str, path: str, body_for, clients: int, seconds: float, cap: int) -> dict:
    latencies: list[float] = []
    failures: list[str] = []
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
                try:
                    r = http.post(f"{url}{path}", json=body_for(cid, i))
                    ok = r.status_code == 200
                    err = f"HTTP {r.status_code}"
                except httpx.HTTPError as e:
                    ok, err = False, type(e).__name__
                with lock:
                    latencies.append(time.perf_counter() - start)
                    if not ok:
                        failures.append(err)
                i += 1

    threads = [threading.Thread(target=client, args=(c,)) for c in range(clients)]
    t0 = time.time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.time() - t0
    return {
        "requests": len(latencies),
        "failed": len(failures),
        "failures": sorted(set(failures)),
        "wall_s": wall,
        "req_per_s": len(latencies) / wall,
        "p50_s": percentile(latencies, 0.5),
        "p95_s": percentile(latencies, 0.95),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--cap", type=int, default=100_000, help="max requests per endpoint")
    ap.add_argument("--endpoints", nargs="+", default=["retrieve", "ask"])
    ap.add_argument("--name", default="server_load")
    args = ap.parse_args()

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
        bodies = {
            "retrieve": lambda c, i: {"query": QUERIES[(c + i) % len(QUERIES)], "k": 5},
            "ask": lambda c, i: {"query": QUERIES[(c + i) % len(QUERIES)], "k": 5},
        }
        rows = {
            ep: hammer(url, f"/{ep}", bodies[ep], args.clients, args.seconds, args.cap)
            for ep in args.endpoints
        }
    finally:
        server.terminate()
        server.wait(timeout=30)
    lines = [
        f"# `toolrag serve` under load: {args.clients} concurrent clients, {args.seconds:.0f} s "
        f"per endpoint, loopback, index `{args.index}`",
        "",
        "| endpoint | requests | failed | req/s | p50 s | p95 s |",
        "|---|---|---|---|---|---|",
    ]
    for ep, r in rows.items():
        lines.append(
            f"| /{ep} | {r['requests']} | {r['failed']} | {r['req_per_s']:.1f} | "
            f"{r['p50_s']:.3f} | {r['p95_s']:.3f} |"
        )
    lines += [
        "",
        "Latency is what a client waits, queueing included: /ask plans one query at a time on "
        "the 2-core CPU, so with 20 clients a request waits for the ones ahead of it.",
    ]
    write_results(
        args.name,
        {"clients": args.clients, "seconds": args.seconds, "rows": rows},
        "\n".join(lines),
    )


if __name__ == "__main__":
    main()
