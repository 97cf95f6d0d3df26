"""One data-driven test for every rule: tests/rules/<CODE>/fires_*.json must raise CODE, passes_*.json must not.

A new rule adds fixtures, not test code. See /work/notes or README "Testing" for the fixture format.
"""

from __future__ import annotations

import json
import warnings
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from oauthlint.config import InlineSecretWarning, parse_integration
from oauthlint.core_checks import check_clock_skew, check_integration
from oauthlint.engine import evaluate, offline_scopes
from oauthlint.providers.base import CheckContext
from oauthlint.registry import registry
from oauthlint.rules import catalog

RULES_DIR = Path(__file__).parent / "rules"
DEFAULT_NOW = "2026-11-25T12:00:00+00:00"
FIXTURES = sorted(RULES_DIR.glob("*/*.json"))

# Rules that no offline snapshot can decide: they are proven by the live tests named here.
LIVE_ONLY = {
    "OL005": "tests/test_engine.py (provider failures)",
    "AZ001": "tests/providers/azure (live fake Graph)",
    "AZ008": "tests/providers/azure (live token probe)",
    "SF001": "tests/providers/snowflake (live fake Snowflake)",
    "KC001": "tests/providers/keycloak (real Keycloak)",
    "CN001": "tests/providers/connect (fake Connect API)",
    "CN002": "tests/providers/connect (fake Connect API)",
}


def _when(text: str | None) -> datetime:
    return datetime.fromisoformat((text or DEFAULT_NOW).replace("Z", "+00:00")).astimezone(UTC)


def run_fixture(path: Path) -> list[str]:
    data: dict[str, Any] = json.loads(path.read_text())
    now = _when(data.get("now"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InlineSecretWarning)
        integration = parse_integration(data["integration"], where=str(path), base_dir=path.parent)
    provider = registry().get(integration.provider)
    context = CheckContext(now=now, expiry_warning_days=data.get("expiry_warning_days", 30))
    server_date = _when(data["server_date"]) if "server_date" in data else None
    if "snapshot" not in data:
        findings = list(check_integration(integration, offline_scopes(provider)))
        findings += check_clock_skew(integration, server_date, now if server_date else None)
        return [f.code for f in findings]
    snapshot = provider.parse_snapshot(data["snapshot"], integration, source=str(path))
    if server_date is not None:
        snapshot = replace(snapshot, server_date=server_date, observed_at=now)
    findings = evaluate(integration, snapshot, provider, context)
    for finding in findings:
        assert finding.message, f"{finding.code} has an empty message"
        assert finding.rule is catalog()[finding.code], f"{finding.code} is not the catalog's rule object"
    return [f.code for f in findings]


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_rule_fixture(path: Path) -> None:
    code = path.parent.name
    assert code in catalog(), f"{path}: directory names no catalog rule"
    codes = run_fixture(path)
    if path.stem.startswith("fires_"):
        assert code in codes, f"{path.name}: expected {code}, got {codes}"
    elif path.stem.startswith("passes_"):
        assert code not in codes, f"{path.name}: {code} fired on a configuration it must accept ({codes})"
    else:
        pytest.fail(f"{path}: fixture names start with fires_ or passes_")


def test_core_checks_see_no_provider_snapshot() -> None:
    # OL001–OL004 are decided without the provider; a dead provider must not hide them.
    integration = parse_integration(
        {"name": "x", "provider": "azure", "auth_mode": "public", "client_secret": "${env:S}", "scopes": ["openid"]},
        where="test",
        environ={"S": "canary-secret-value"},
    )
    codes = {f.code for f in check_integration(integration, ("offline_access",))}
    assert codes == {"OL001", "OL002", "OL004"}
