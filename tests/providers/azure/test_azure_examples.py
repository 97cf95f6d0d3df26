"""The shipped example snapshots give the findings the README promises (with the integrations given here,
which are the ones the examples/oauthlint.toml pairs with them)."""

from __future__ import annotations

import json
import warnings
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from oauthlint.config import parse_integration
from oauthlint.engine import evaluate
from oauthlint.providers.azure import provider
from oauthlint.providers.base import CheckContext

SNAPSHOTS = Path(__file__).parents[3] / "examples" / "snapshots"
NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
TENANT = "8d2a4f10-5b6c-4d7e-8f90-123456789abc"
BASE = {"provider": "azure", "tenant_id": TENANT, "connect_server": "https://connect.example.com"}

EXAMPLES: list[tuple[str, dict[str, Any], set[str]]] = [
    (
        "azure-sales-dashboard.json",
        {
            "name": "sales-dashboard",
            "client_id": "6f1c2b1e-3d4a-4c5b-9e8f-0a1b2c3d4e5f",
            "client_secret": "Sd4~8Qexample-connect-secret-2026-sales",
            "scopes": ["openid", "profile", "offline_access", "https://graph.microsoft.com/User.Read"],
        },
        set(),
    ),
    (
        "azure-hr-portal.json",
        {
            "name": "hr-portal",
            "client_id": "7a2d3c4e-5f60-4718-9a2b-3c4d5e6f7a81",
            "client_secret": "Hr7~8Qexample-connect-secret-hr-portal",
            "scopes": ["openid", "profile", "https://graph.microsoft.com/User.Read"],
        },
        {"OL001", "AZ002", "AZ013"},
    ),
    (
        "azure-finance-reports.json",
        {
            "name": "finance-reports",
            "client_id": "8b3e4d5f-6a71-4829-ab3c-4d5e6f7a8b92",
            "client_secret": "Fn2~8Qexample-connect-secret-finance",
            "scopes": ["openid", "offline_access", "https://graph.microsoft.com/User.Read"],
        },
        {"AZ003", "AZ006"},
    ),
    (
        "azure-databricks-analytics.json",
        {
            "name": "databricks-analytics",
            "client_id": "9c4f5e6a-7b82-4930-bc4d-5e6f7a8b9ca3",
            "client_secret": "7b0d2f4e-6a8c-4da3-a5f7-b8c9d0e1f2a3",
            "scopes": [
                "offline_access",
                "https://graph.microsoft.com/User.Read",
                "2ff814a6-3304-4ab8-85cb-cd0e6f879c1d/.default",
            ],
            "resource": "2ff814a6-3304-4ab8-85cb-cd0e6f879c1d",
        },
        {"AZ004", "AZ009"},
    ),
]


@pytest.mark.parametrize(("snapshot", "integration", "expected"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_example(snapshot: str, integration: dict[str, Any], expected: set[str]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = parse_integration({**BASE, **integration}, where="example", base_dir=SNAPSHOTS)
    snap = provider.parse_snapshot(json.loads((SNAPSHOTS / snapshot).read_text()), parsed, str(snapshot))
    findings = evaluate(parsed, snap, provider, CheckContext(now=NOW))
    assert {f.code for f in findings} == expected, [f"{f.code}: {f.message}" for f in findings]
    secret = integration["client_secret"]
    assert all(secret not in f.message for f in findings)
