"""Benchmark: ``oauthlint check`` of N live azure integrations (default 500) at 50 ms added latency per request.

The local Entra/Graph fake runs in a child process; this process loads a generated oauthlint.toml and runs the
real engine (its thread pool), msal and requests. Per integration the fetcher sends the application, service
principal and consent-grant GETs and the AZ008 probe concurrently, so one integration costs about one round
trip plus the probe's token request. Goal: under 3 s for 500 integrations.

    .venv/bin/python bench/azure_check.py [--integrations 500] [--latency 0.05] [--no-probe]
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fakes.entra_graph import READ_APPS, READ_DIRECTORY, FakeEntra
from oauthlint import engine
from oauthlint.config import load_config
from oauthlint.providers.azure.fetch import reset_runtimes
from oauthlint.rules import catalog
from oauthlint.selection import RuleSelection

TENANT = "8d2a4f10-5b6c-4d7e-8f90-123456789abc"
READER = "0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b"
READER_SECRET = "bench-reader-secret-value"
GRAPH = "00000003-0000-0000-c000-000000000000"
GRAPH_SP = "7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e"
USER_READ = "e1fc6ea7-8bff-4b8e-8e94-0bffd3b6d9ec"
CALLBACK = "https://connect.example.com/__oauth__/integrations/callback"


def app_id(i: int) -> str:
    return f"b0000000-0000-4000-8000-{i:012x}"


def secret(i: int) -> str:
    return f"Bch~8Q-bench-secret-value-{i:06d}"


def _serve(n: int, latency: float, conn: Any) -> None:
    fake = FakeEntra().start()
    tenant = fake.add_tenant(TENANT)
    tenant.add_client(READER, secret=READER_SECRET, roles={READ_APPS, READ_DIRECTORY})
    end = (datetime.now(UTC) + timedelta(days=300)).strftime("%Y-%m-%dT%H:%M:%SZ")
    start = (datetime.now(UTC) - timedelta(days=65)).strftime("%Y-%m-%dT%H:%M:%SZ")
    tenant.service_principals.append(
        {
            "id": GRAPH_SP,
            "appId": GRAPH,
            "displayName": "Microsoft Graph",
            "servicePrincipalNames": ["https://graph.microsoft.com"],
            "oauth2PermissionScopes": [{"id": USER_READ, "value": "User.Read"}],
        }
    )
    for i in range(n):
        tenant.add_client(app_id(i), secret=secret(i))
        tenant.apps.append(
            {
                "id": f"a0000000-0000-4000-8000-{i:012x}",
                "appId": app_id(i),
                "displayName": f"Integration app {i}",
                "web": {"redirectUris": [CALLBACK]},
                "spa": {"redirectUris": []},
                "publicClient": {"redirectUris": []},
                "passwordCredentials": [
                    {
                        "keyId": f"c0000000-0000-4000-8000-{i:012x}",
                        "hint": "Bch",
                        "startDateTime": start,
                        "endDateTime": end,
                    }
                ],
                "requiredResourceAccess": [
                    {"resourceAppId": GRAPH, "resourceAccess": [{"id": USER_READ, "type": "Scope"}]}
                ],
            }
        )
        sp_id = f"e0000000-0000-4000-8000-{i:012x}"
        tenant.service_principals.append({"id": sp_id, "appId": app_id(i), "displayName": f"Integration app {i}"})
        tenant.grants.append(
            {
                "id": f"g{i}",
                "clientId": sp_id,
                "consentType": "AllPrincipals",
                "resourceId": GRAPH_SP,
                "scope": "User.Read",
            }
        )
    fake.latency = latency
    conn.send((fake.base_url, str(fake.ca_path)))
    conn.recv()
    fake.stop()


def write_config(directory: Path, n: int, base_url: str, ca_path: str, probe: bool, batch: bool) -> Path:
    lines = [
        'connect_server = "https://connect.example.com"',
        "",
        "[providers.azure]",
        f'tenant_id = "{TENANT}"',
        f'client_id = "{READER}"',
        f'client_secret = "{READER_SECRET}"',
        f'authority_host = "{base_url}"',
        f'graph_endpoint = "{base_url}"',
        f'ca_bundle = "{ca_path}"',
        f"probe = {'true' if probe else 'false'}",
        f"batch = {'true' if batch else 'false'}",
    ]
    for i in range(n):
        lines += [
            "",
            "[[integrations]]",
            f'name = "integration-{i}"',
            'provider = "azure"',
            f'tenant_id = "{TENANT}"',
            f'client_id = "{app_id(i)}"',
            f'client_secret = "{secret(i)}"',
            'scopes = ["openid", "offline_access", "https://graph.microsoft.com/User.Read"]',
        ]
    path = directory / "oauthlint.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--integrations", type=int, default=500)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--no-probe", action="store_true")
    parser.add_argument("--batch", action="store_true", help="batch = true: Graph JSON batches of 20")
    parser.add_argument("--workers", type=int, default=engine.MAX_WORKERS)
    args = parser.parse_args()

    parent, child = multiprocessing.Pipe()
    server = multiprocessing.get_context("fork").Process(
        target=_serve, args=(args.integrations, args.latency, child), daemon=True
    )
    server.start()
    base_url, ca_path = parent.recv()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            import warnings

            warnings.simplefilter("ignore")
            config = load_config(
                write_config(Path(tmp), args.integrations, base_url, ca_path, not args.no_probe, args.batch)
            )
            selection = RuleSelection.parse(config.select, list(config.ignore), catalog(), "bench")
            started, cpu_started = time.perf_counter(), time.process_time()
            report = engine.run(config, selection=selection, max_workers=args.workers)
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    finally:
        parent.send("stop")
        server.join(timeout=5)
        reset_runtimes()
    codes = Counter(f.code for f in report.findings)
    per = args.latency * 1000
    print(
        f"integrations={args.integrations} latency={per:.0f}ms workers={args.workers} probe={not args.no_probe} batch={args.batch}"
    )
    print(f"wall time: {elapsed:.2f}s ({elapsed / args.integrations * 1000:.1f} ms per integration)")
    print(f"client CPU time: {cpu:.2f}s (the fake runs in another process)")
    print(f"findings: {dict(codes) or 'none'}")


if __name__ == "__main__":
    main()
