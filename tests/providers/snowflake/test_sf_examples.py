"""The shipped examples/snapshots/snowflake-*.json show the findings the README promises."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from oauthlint.model import Integration, Secret
from oauthlint.providers.base import CheckContext
from oauthlint.providers.snowflake import provider

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "snapshots"

# The [[integrations]] entries proposed for examples/oauthlint.toml (see the report to the lead).
CASES = [
    (
        "snowflake-clean.json",
        "Y2xlYW5Qb3NpdENvbm5lY3RDbGllbnRJZA==",
        ("refresh_token",),
        {"account_url": "https://acme-analytics.snowflakecomputing.com"},
        set(),
    ),
    (
        "snowflake-redirect-mismatch.json",
        "cmVkaXJlY3RNaXNtYXRjaENsaWVudElkPT0=",
        ("refresh_token",),
        {"account_url": "https://acme-finance.snowflakecomputing.com"},
        {"SF002", "SF009"},
    ),
    (
        "snowflake-refresh-tokens-off.json",
        "cmVmcmVzaE9mZkNsaWVudElkRXhhbXBsZT0=",
        ("refresh_token",),
        {"account_url": "https://acme-marketing.snowflakecomputing.com"},
        {"SF004"},
    ),
    (
        "snowflake-public-client.json",
        "cHVibGljQ2xpZW50VHlwZUV4YW1wbGVJZA==",
        ("refresh_token",),
        {"account": "https://xy12345.us-east-2.aws.snowflakecomputing.com"},
        {"SF003", "SF005", "SF007"},
    ),
]


@pytest.mark.parametrize(("file", "client_id", "scopes", "options", "expected"), CASES, ids=[c[0] for c in CASES])
def test_example_snapshot(
    file: str, client_id: str, scopes: tuple[str, ...], options: dict[str, str], expected: set[str]
) -> None:
    integration = Integration(
        name=file.removesuffix(".json"),
        provider="snowflake",
        client_id=client_id,
        client_secret=Secret("example-secret"),
        scopes=scopes,
        connect_server="https://connect.example.com",
        snapshot=EXAMPLES / file,
        options=options,
    )
    snapshot = provider.load_snapshot(EXAMPLES / file, integration)
    findings = provider.check(integration, snapshot, CheckContext(now=datetime(2026, 11, 25, tzinfo=UTC)))
    assert {f.code for f in findings} == expected
