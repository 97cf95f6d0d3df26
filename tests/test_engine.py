"""The engine: provider failures become OL005 (never a crash, never a pass), selection, suppressions, exit codes."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from oauthlint.config import Suppression, parse_config
from oauthlint.engine import Evaluation, assemble, exit_code, run
from oauthlint.model import Finding, Integration, Severity
from oauthlint.rules import OL001, OL005, OL006, catalog
from oauthlint.selection import RuleSelection
from oauthlint_testing import CANARY, DM001

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


def config_with(*behaviours: str, secret: str = CANARY):
    integrations = [
        {
            "name": f"i{n}-{b}",
            "provider": "dummy",
            "client_secret": "${env:DUMMY_SECRET}",
            "scopes": ["offline_access"],
            "behaviour": b,
        }
        for n, b in enumerate(behaviours)
    ]
    return parse_config(
        {"connect_server": "https://connect.example.com", "integrations": integrations},
        label="test.toml",
        environ={"DUMMY_SECRET": secret},
    )


def codes(report) -> list[tuple[str, str]]:
    return sorted((f.integration, f.code) for f in report.findings)


def test_provider_error_becomes_ol005_with_reason(dummy_provider) -> None:
    report = run(config_with("provider-error"), selection=RuleSelection(), now=NOW)
    (finding,) = report.findings
    assert finding.code == "OL005"
    assert "GET /thing failed: HTTP 401" in finding.message
    assert CANARY not in finding.message
    assert exit_code(report, "error") == 1


def test_unexpected_fetch_exception_becomes_ol005_and_is_scrubbed(dummy_provider) -> None:
    report = run(config_with("crash"), selection=RuleSelection(), now=NOW)
    (finding,) = report.findings
    assert finding.code == "OL005"
    assert "RuntimeError" in finding.message and "***" in finding.message
    assert CANARY not in finding.message


def test_check_crash_becomes_ol005(dummy_provider, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args, **_kwargs):
        raise KeyError("web")

    monkeypatch.setattr(dummy_provider, "checks", (broken,))
    report = run(config_with("ok"), selection=RuleSelection(), now=NOW)
    assert codes(report) == [("i0-ok", "OL005")]
    assert "unexpected error while checking: KeyError" in report.findings[0].message


def test_core_rules_still_run_when_the_provider_is_down(dummy_provider) -> None:
    config = parse_config(
        {"integrations": [{"name": "down", "provider": "dummy", "behaviour": "provider-error"}]}, label="t"
    )
    report = run(config, selection=RuleSelection(), now=NOW)
    assert {f.code for f in report.findings} == {"OL001", "OL003", "OL004", "OL005"}


def test_many_live_integrations_run_concurrently_in_order(dummy_provider) -> None:
    behaviours = ["ok", "flag", "provider-error", "crash", "ok", "flag", "skew"] * 5
    report = run(config_with(*behaviours), selection=RuleSelection(), now=NOW, max_workers=8)
    assert [i.name for i in report.integrations] == [f"i{n}-{b}" for n, b in enumerate(behaviours)]
    assert sum(1 for f in report.findings if f.code == "OL005") == 10
    assert sum(1 for f in report.findings if f.code == "DM001") == 10
    assert sum(1 for f in report.findings if f.code == "OL006") == 5


def test_selection_prefixes_and_specificity() -> None:
    rules = catalog()
    sel = RuleSelection.parse(["AZ"], ["AZ007"], rules, "t")
    assert sel.enabled("AZ003") and not sel.enabled("AZ007") and not sel.enabled("KC001")
    sel = RuleSelection.parse(["AZ003"], ["AZ"], rules, "t")
    assert sel.enabled("AZ003") and not sel.enabled("AZ004")
    sel = RuleSelection.parse([], ["OL", "AZ00"], rules, "t")
    assert not sel.enabled("OL001") and not sel.enabled("AZ001") and sel.enabled("AZ010") and sel.enabled("KC001")
    assert sel.enabled("OL005"), "a failed provider check can never be selected away"
    sel = RuleSelection.parse(["az003, kc"], [], rules, "t")
    assert sel.enabled("AZ003") and sel.enabled("KC005") and not sel.enabled("SF001")


def _finding(rule, integration="a", object_id="") -> Finding:
    return Finding(rule, integration, "dummy", "m", object_id=object_id)


def _integration(name: str) -> Integration:
    return Integration(name=name, provider="dummy")


def test_suppressions_count_expire_and_report_unused() -> None:
    findings = (_finding(OL001, "a"), _finding(OL006, "a"), _finding(OL001, "b"), _finding(DM001, "b"))
    fp = findings[3].fingerprint
    suppressions = [
        Suppression(rule="OL001", reason="accepted", integration="a"),
        Suppression(rule="OL006", reason="ntp fix booked", integration="a", until=date(2026, 11, 1)),
        Suppression(rule="DM001", reason="known", fingerprint=fp),
        Suppression(rule="OL003", reason="never matches", integration="a"),
    ]
    report = assemble(
        [Evaluation(_integration("a"), findings[:2], ()), Evaluation(_integration("b"), findings[2:], ())],
        selection=RuleSelection(),
        suppressions=suppressions,
        today=date(2026, 11, 25),
    )
    assert sorted(s.finding.code for s in report.suppressed) == ["DM001", "OL001"]
    active = {(f.integration, f.code): f for f in report.findings}
    assert set(active) == {("a", "OL006"), ("b", "OL001")}
    assert "suppression expired on 2026-11-01" in active[("a", "OL006")].note
    assert [s.rule for s in report.unused_suppressions] == ["OL003"]


def test_fingerprint_ignores_message_and_severity_but_not_identity() -> None:
    a = Finding(OL001, "x", "azure", "one message", scope="tenant", object_id="app")
    b = Finding(
        OL001, "x", "azure", "another message, other date", scope="tenant", object_id="app", severity=Severity.INFO
    )
    c = Finding(OL001, "x", "azure", "one message", scope="tenant", object_id="app2")
    assert a.fingerprint == b.fingerprint != c.fingerprint


@pytest.mark.parametrize(
    ("levels", "fail_on", "expected"),
    [
        ([], "error", 0),
        ([Severity.WARNING], "error", 0),
        ([Severity.WARNING], "warning", 1),
        ([Severity.INFO], "warning", 0),
        ([Severity.INFO], "info", 1),
        ([Severity.ERROR], "never", 0),
        ([Severity.ERROR], "error", 1),
    ],
)
def test_exit_code_is_a_severity_comparison(levels, fail_on, expected) -> None:
    report = assemble(
        [Evaluation(_integration("a"), tuple(Finding(OL005, "a", "p", "m", severity=s) for s in levels), ())],
        selection=RuleSelection(),
        suppressions=(),
        today=date(2026, 11, 25),
    )
    assert exit_code(report, fail_on) == expected


def test_cli_exit_codes_and_json_contract(run_cli, write_config, dummy_provider, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("DUMMY_SECRET", CANARY)
    (tmp_path / "flag.json").write_text('{"flag": true}')
    (tmp_path / "clean.json").write_text('{"flag": false}')
    path = write_config(
        'connect_server = "https://connect.example.com"\n'
        '[[integrations]]\nname = "flagged"\nprovider = "dummy"\nclient_secret = "${env:DUMMY_SECRET}"\n'
        'scopes = ["offline_access"]\nsnapshot = "flag.json"\n'
        '[[integrations]]\nname = "clean"\nprovider = "dummy"\nclient_secret = "${env:DUMMY_SECRET}"\n'
        'scopes = ["offline_access"]\nsnapshot = "clean.json"\n'
    )
    warn_only = run_cli("check", "--config", str(path), "--format", "json")
    assert warn_only.code == 0, warn_only.err
    data = json.loads(warn_only.out)
    assert data["version"] == 1
    assert data["summary"] == {"integrations": 2, "errors": 0, "warnings": 1, "infos": 0, "suppressed": 0}
    (finding,) = data["findings"]
    assert set(finding) >= {
        "rule",
        "name",
        "severity",
        "provider",
        "integration",
        "resource",
        "message",
        "prevents",
        "remediation",
        "fingerprint",
    }
    assert (finding["rule"], finding["severity"], finding["integration"]) == ("DM001", "warning", "flagged")
    assert run_cli("check", "--config", str(path), "--fail-on", "warning").code == 1
    assert run_cli("check", "--config", str(path), "--fail-on", "warning", "--ignore", "DM").code == 0
    assert run_cli("check", "--config", str(path), "--fail-on", "warning", "-i", "clean").code == 0
    text = run_cli("check", "--config", str(path), "--no-color")
    assert "DM001" in text.out and "fix: Clear the flag." in text.out and "✓ no findings" in text.out
    assert "\x1b[" not in text.out
    out_file = tmp_path / "report.json"
    written = run_cli("check", "--config", str(path), "--format", "json", "--output", str(out_file))
    assert written.out == "" and json.loads(out_file.read_text())["summary"]["warnings"] == 1
