"""Concurrent load on the JSON API: ``propwatch serve`` on loopback, N requests at once.

Starts the server as a user would (a separate process, so the client does not share its CPU time
with the server's Python), waits for its health check, sends one warm-up request, then fires
``--requests`` POST /api/analyze requests with at most ``--concurrency`` in flight, and prints how
many succeeded and the latency percentiles. Only 127.0.0.1 is ever contacted; the run is bounded
in count and in time (``--timeout`` per request) and stops the server at the end.

    .venv/bin/python benchmarks/bench_web.py --requests 50 --concurrency 50
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.txt"))


def free_port() -> int:
    """A port the kernel has just handed out on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    """``propwatch serve`` from this interpreter's environment, quiet."""
    command = [str(Path(sys.executable).with_name("propwatch")), "serve", "--host", "127.0.0.1", "--port", str(port)]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_healthy(base: str, process: subprocess.Popen, limit_s: float = 120.0) -> None:
    """Poll the health check until the model is loaded and the server answers."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited with status {process.returncode}")
        try:
            if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit(f"server did not answer within {limit_s:.0f} s")


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank), so p95 of 50 requests is the 48th fastest."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


async def one(client: httpx.AsyncClient, gate: asyncio.Semaphore, text: str) -> tuple[bool, float]:
    """One request: (succeeded, seconds from sending to the whole answer read)."""
    async with gate:
        started = time.perf_counter()
        try:
            response = await client.post("/api/analyze", json={"text": text})
            ok = response.status_code == 200 and "spans" in response.json()
        except httpx.HTTPError:
            ok = False
        return ok, time.perf_counter() - started


async def load(base: str, texts: list[str], requests: int, concurrency: int, timeout: float) -> dict:
    """Fire the requests and summarise them."""
    gate = asyncio.Semaphore(concurrency)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=timeout, limits=limits) as client:
        await one(client, gate, texts[0])  # warm-up: first-call allocations are not what we measure
        started = time.perf_counter()
        results = await asyncio.gather(*(one(client, gate, texts[i % len(texts)]) for i in range(requests)))
        wall = time.perf_counter() - started
    latencies = [seconds for ok, seconds in results if ok]
    return {
        "requests": requests,
        "concurrency": concurrency,
        "successes": len(latencies),
        "p50_s": round(statistics.median(latencies), 3) if latencies else None,
        "p95_s": round(percentile(latencies, 95), 3) if latencies else None,
        "max_s": round(max(latencies), 3) if latencies else None,
        "wall_s": round(wall, 3),
        "requests_per_s": round(len(latencies) / wall, 2),
        "chars_per_request": round(statistics.mean(len(t) for t in texts)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--timeout", type=float, default=120.0, help="Seconds allowed per request.")
    parser.add_argument("--json", action="store_true", help="Print the summary as JSON.")
    args = parser.parse_args()

    texts = [p.read_text(encoding="utf-8") for p in EXAMPLES]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(port)
    try:
        wait_healthy(base, server)
        summary = asyncio.run(load(base, texts, args.requests, args.concurrency, args.timeout))
    finally:
        server.terminate()
        server.wait(timeout=30)
    if args.json:
        print(json.dumps(summary))
        return
    print(
        f"{summary['successes']}/{summary['requests']} succeeded ({summary['concurrency']} concurrent, "
        f"~{summary['chars_per_request']} chars each)"
    )
    print(f"latency p50 {summary['p50_s']} s, p95 {summary['p95_s']} s, max {summary['max_s']} s")
    print(f"wall {summary['wall_s']} s, {summary['requests_per_s']} requests/s")


if __name__ == "__main__":
    main()
