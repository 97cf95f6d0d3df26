"""Benchmark: tenant-wide Azure credential scan (``oauthlint secrets --provider azure``).

The local Entra/Graph fake (tests/fakes/entra_graph.py) runs in a child process with N generated applications
and a fixed added latency per request; this process runs the real scan (msal + requests) and reports wall time
against the paging floor (pages of 999 × latency) and its own peak memory (tracemalloc; the fake's memory is
in the other process). Goal: within 1.5× of the floor, peak under 150 MB.

    .venv/bin/python bench/azure_scan.py [--apps 10000] [--latency 0.05] [--owners]
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import resource
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fakes.entra_graph import READ_APPS, FakeEntra
from oauthlint.providers.azure import provider
from oauthlint.providers.azure.fetch import reset_runtimes

TENANT = "8d2a4f10-5b6c-4d7e-8f90-123456789abc"
READER = "0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b"
READER_SECRET = "bench-reader-secret-value"


def _serve(apps: int, sps: int, latency: float, conn: Any) -> None:
    fake = FakeEntra().start()
    tenant = fake.add_tenant(TENANT)
    tenant.add_client(READER, secret=READER_SECRET, roles={READ_APPS})
    tenant.synthetic_apps = apps
    tenant.synthetic_service_principals = sps
    fake.latency = latency
    fake.cache_pages = True
    conn.send((fake.base_url, str(fake.ca_path)))
    conn.recv()  # parent says stop
    fake.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--apps", type=int, default=10_000)
    parser.add_argument("--service-principals", type=int, default=10_000)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--owners", action="store_true")
    args = parser.parse_args()

    parent, child = multiprocessing.Pipe()
    ctx = multiprocessing.get_context("fork")
    server = ctx.Process(target=_serve, args=(args.apps, args.service_principals, args.latency, child), daemon=True)
    server.start()
    base_url, ca_path = parent.recv()
    settings = provider.parse_settings(
        {
            "tenant_id": TENANT,
            "client_id": READER,
            "client_secret": READER_SECRET,
            "authority_host": base_url,
            "graph_endpoint": base_url,
            "ca_bundle": ca_path,
        },
        "bench",
    )

    def scan() -> tuple[int, str]:
        count, last = 0, "-"
        for credential in provider.scan_credentials(settings, owners=args.owners):
            count += 1
            last = credential.owner_name
        return count, last

    try:
        # Warm-up: the fake serialises each generated page once and keeps it (its JSON work is not Graph's
        # latency); every measured run then starts cold on the client side (new sessions, new token).
        scan()
        reset_runtimes()
        started, cpu_started = time.perf_counter(), time.process_time()
        count, last = scan()
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        reset_runtimes()
        tracemalloc.start()
        scan()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    finally:
        parent.send("stop")
        server.join(timeout=5)
        reset_runtimes()
    pages = math.ceil(args.apps / 999) + max(1, math.ceil(args.service_principals / 999))
    floor = max(pages * args.latency, 1e-9)
    token = 2 * args.latency  # OIDC discovery + token request
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"apps={args.apps} service_principals={args.service_principals} latency={args.latency * 1000:.0f}ms")
    print(f"credentials streamed: {count} (last: {last})")
    print(f"wall time: {elapsed:.2f}s  paging floor: {floor:.2f}s ({pages} pages)  + token {token:.2f}s")
    print(f"ratio to floor: {elapsed / floor:.2f}x  (incl. token floor: {elapsed / (floor + token):.2f}x)")
    print(f"client CPU time: {cpu:.2f}s")
    print(f"peak traced memory (separate run): {peak / 1e6:.1f} MB  max RSS: {rss:.0f} MB")


if __name__ == "__main__":
    main()
