"""The README's quick start: the shipped examples show real findings for every provider, and the clean ones pass."""

from __future__ import annotations

import json
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "oauthlint.toml"
NOW = "2026-11-25T12:00:00Z"

EXPECTED = {
    "sales-dashboard": set(),
    "hr-portal": {"AZ002", "OL001"},
    "finance-reports": {"AZ003", "AZ006"},
    "databricks-analytics": {"AZ004", "AZ009"},
    "snowflake-analytics": set(),
    "snowflake-finance": {"SF002", "SF009"},
    "snowflake-marketing": {"SF004"},
    "snowflake-sandbox": {"SF003", "SF005", "SF007"},
    "keycloak-analytics": set(),
    "keycloak-finance": {"KC003", "KC004"},
    "keycloak-hr": {"KC006", "KC008"},
    "keycloak-sales": {"KC008", "KC010"},
    "github-repos": {"GH001"},
}


def test_quickstart_json(run_cli) -> None:
    result = run_cli("check", "--config", str(EXAMPLES), "--format", "json", "--now", NOW)
    assert result.code == 1, result.err
    data = json.loads(result.out)
    found: dict[str, set[str]] = {name: set() for name in EXPECTED}
    for finding in data["findings"]:
        found[finding["integration"]].add(finding["rule"])
    assert found == EXPECTED
    assert [s["rule"] for s in data["suppressed"]] == ["AZ013"]
    assert data["summary"]["integrations"] == len(EXPECTED)


def test_quickstart_text_is_plain_when_piped(run_cli) -> None:
    result = run_cli("check", "--config", str(EXAMPLES), "--now", NOW)
    assert result.code == 1
    assert "\x1b[" not in result.out and not any(line.endswith(" ") for line in result.out.splitlines())
    assert "✓ no findings" in result.out and "prevents: AADSTS50011" in result.out
    assert "13 integrations checked: 17 errors, 2 warnings, 0 info, 1 suppressed" in result.out
    for secret_file in (EXAMPLES.parent / "secrets").iterdir():
        assert secret_file.read_text().strip() not in result.out


def test_quickstart_secrets_inventory(run_cli) -> None:
    result = run_cli("secrets", "--config", str(EXAMPLES), "--within", "30d", "--now", NOW, "--format", "json")
    assert result.code == 1
    tiers = [c["tier"] for c in json.loads(result.out)["credentials"]]
    assert tiers == ["expired", "expired", "expired"]


def test_keycloak_realm_export_audit(run_cli) -> None:
    export = EXAMPLES.parent / "snapshots" / "keycloak-realm-corp.json"
    result = run_cli("keycloak", "--all", "--snapshot", str(export), "--format", "json", "--now", NOW)
    assert result.code == 1, result.err
    found = {(f["integration"], f["rule"]) for f in json.loads(result.out)["findings"]}
    assert found == {("corp/connect-finance", "KC004"), ("corp/connect-hr", "KC008"), ("corp/legacy-portal", "KC004")}
    with_builtin = run_cli(
        "keycloak", "--all", "--include-builtin", "--snapshot", str(export), "-f", "json", "--now", NOW
    )
    assert len(json.loads(with_builtin.out)["findings"]) >= len(found)


def test_secrets_text_names_app_ids_and_key_ids(run_cli) -> None:
    result = run_cli("secrets", "--config", str(EXAMPLES), "--within", "30d", "--now", NOW)
    assert result.code == 1
    for expected in ("Finance Reports", "8b3e4d5f-6a71-4829-ab3c-4d5e6f7a8b92", "6a9c1e3d-5f7b-4c92-94e6-a7b8c9d0e1f2"):
        assert expected in result.out
    assert "3 credentials (3 expired)" in result.out
