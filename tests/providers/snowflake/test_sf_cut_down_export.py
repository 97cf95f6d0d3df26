"""An export without the OAUTH_REDIRECT_URI row cannot pass SF002 silently: it says the check could not run."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from oauthlint.config import parse_integration
from oauthlint.engine import evaluate
from oauthlint.providers.base import CheckContext
from oauthlint.providers.snowflake import provider

CLEAN = Path(__file__).resolve().parents[3] / "examples" / "snapshots" / "snowflake-clean.json"


def test_missing_redirect_row_is_reported() -> None:
    rows = [r for r in json.loads(CLEAN.read_text()) if r["property"] != "OAUTH_REDIRECT_URI"]
    integration = parse_integration(
        {
            "name": "sf",
            "provider": "snowflake",
            "account_url": "https://acme-analytics.snowflakecomputing.com",
            "client_id": "Y2xlYW5Qb3NpdENvbm5lY3RDbGllbnRJZA==",
            "client_secret": "${env:S}",
            "scopes": "refresh_token",
            "connect_server": "https://connect.example.com",
        },
        where="t",
        environ={"S": "canary-sf-cut-down"},
    )
    snapshot = provider.parse_snapshot(rows, integration, "t")
    findings = evaluate(integration, snapshot, provider, CheckContext(now=datetime(2026, 11, 25, tzinfo=UTC)))
    (failure,) = [f for f in findings if f.code == "OL005"]
    assert "SF002" in failure.message and "OAUTH_REDIRECT_URI" in failure.message
    assert "SF002" not in {f.code for f in findings}
