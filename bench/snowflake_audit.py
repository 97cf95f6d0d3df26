"""Benchmark: ``oauthlint snowflake --all`` over 300 OAuth security integrations, 50 ms latency per query.

Runs the real snowflake-connector-python against the local fake (tests/fakes/snowflake_server.py) and
prints round trips (SQL statements) and wall time for the audit, with parallel DESCRIBEs (the default)
and strictly sequential, plus a single-integration live check in the same account.
Goal: at most one query per integration plus a constant, under 20 s.

    .venv/bin/python bench/snowflake_audit.py [--integrations 300] [--latency 0.05]
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fakes.snowflake_fixtures import ACCOUNT, CLIENT_ID, PASSWORD, ROLE, SECRET, USER, posit_connect, raw_settings
from fakes.snowflake_server import FakeSnowflake, FakeUser
from oauthlint.model import Integration, Secret
from oauthlint.providers.base import CheckContext
from oauthlint.providers.snowflake import provider
from oauthlint.providers.snowflake.audit import audit_account
from oauthlint.providers.snowflake.fetch import clear_index_cache


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--integrations", type=int, default=300)
    parser.add_argument("--latency", type=float, default=0.05)
    args = parser.parse_args()

    fake = FakeSnowflake(ACCOUNT).start()
    try:
        fake.add_user(FakeUser(USER, ROLE, password=PASSWORD))
        for index, generated in enumerate(fake.add_generated(args.integrations - 1)):
            generated.enabled = index % 50 != 7  # a few disabled ones, so the audit has findings
        fake.add_integration(posit_connect(name="ZZ_POSIT_CONNECT"))
        fake.latency = args.latency
        context = CheckContext(now=datetime.now(UTC))
        print(f"fake Snowflake: {args.integrations} OAuth integrations, {args.latency * 1000:.0f} ms per query")

        for label, parallel in (("--all, parallel DESCRIBE (8)", 8), ("--all, sequential", 1)):
            settings = provider.parse_settings(raw_settings(fake, parallel_queries=parallel, query_timeout=60), "bench")
            fake.statements.clear()
            start = time.perf_counter()
            audit = audit_account(settings, ACCOUNT, context)
            elapsed = time.perf_counter() - start
            print(
                f"{label:34s} {len(fake.statements):4d} queries (1 SHOW + {len(fake.statements) - 1} DESCRIBE), "
                f"{len(audit.integrations)} integrations, {len(audit.findings)} findings, {elapsed:6.2f} s"
            )

        settings = provider.parse_settings(raw_settings(fake), "bench")
        consumer = Integration(
            name="sales",
            provider="snowflake",
            client_id=CLIENT_ID,
            client_secret=Secret(SECRET),
            scopes=("refresh_token",),
            connect_server="https://connect.example.com",
            options={"account": ACCOUNT},
        )
        for label, options in (
            ("check one, by client id", {"account": ACCOUNT}),
            ("check one, integration_name set", {"account": ACCOUNT, "integration_name": "ZZ_POSIT_CONNECT"}),
        ):
            one = Integration(**{**consumer.__dict__, "options": options})
            fake.statements.clear()
            start = time.perf_counter()
            snapshot = provider.fetch(one, settings)
            elapsed = time.perf_counter() - start
            findings = provider.check(one, snapshot, context)
            print(
                f"{label:34s} {len(fake.statements):4d} queries, lookup {snapshot.lookup}, "
                f"{len(findings)} findings, {elapsed:6.2f} s"
            )

        # `oauthlint check` over 20 integrations of this account, fetched concurrently like the engine does.
        clear_index_cache()
        settings = provider.parse_settings(raw_settings(fake), "bench")
        targets = [
            Integration(**{**consumer.__dict__, "name": f"app-{i}", "client_id": si.client_id})
            for i, si in enumerate(list(fake.integrations.values())[:20])
        ]
        fake.statements.clear()
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=8) as pool:
            snapshots = list(pool.map(lambda i: provider.fetch(i, settings), targets))
        elapsed = time.perf_counter() - start
        found = sum(1 for snap in snapshots if snap.integration is not None)
        print(f"{'check 20 in one account':34s} {len(fake.statements):4d} queries, {found} found, {elapsed:6.2f} s")
    finally:
        fake.stop()


if __name__ == "__main__":
    main()
