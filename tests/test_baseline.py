"""Baselines: record today's findings, then fail only on new ones."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from oauthlint.baseline import apply_baseline, load_baseline, write_baseline
from oauthlint.engine import Report, exit_code
from oauthlint.errors import UsageError
from oauthlint.model import Finding, Integration
from oauthlint.report import RenderOptions, renderer
from oauthlint.rules import OL001, OL004, OL006

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def report_with(*findings: Finding) -> Report:
    names = sorted({f.integration for f in findings} | {"app", "other"})
    return Report(
        findings=list(findings),
        integrations=[Integration(name=n, provider="azure") for n in names],
        rules_run={n: ("OL001", "OL004", "OL006") for n in names},
        generated_at=NOW,
    )


OLD = Finding(OL001, "app", "azure", "scopes lack offline_access", scope="t1", object_id="a1")
WARN = Finding(OL006, "app", "azure", "clock skew of 3 minutes on 2026-11-25", scope="t1", object_id="a1")
NEW = Finding(OL004, "app", "azure", "connect_server is not https", scope="t1", object_id="a1")


def test_write_then_apply_fails_only_on_new_findings(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    assert write_baseline(report_with(OLD, WARN), path) == 2
    data = json.loads(path.read_text())
    assert data["version"] == 1
    assert data["generated_at"] == "2026-11-25T12:00:00+00:00"
    assert {(e["rule"], e["integration"]) for e in data["fingerprints"]} == {("OL001", "app"), ("OL006", "app")}
    assert {e["fingerprint"] for e in data["fingerprints"]} == {OLD.fingerprint, WARN.fingerprint}

    # the next run: same problems, reworded and with other dates, plus a new one
    later = report_with(replace(OLD, message="reworded"), replace(WARN, message="clock skew of 9 minutes"), NEW)
    assert exit_code(later, "error") == 1
    applied = apply_baseline(later, path)
    assert applied.findings == [NEW]
    assert [s.finding.code for s in applied.suppressed] == ["OL001", "OL006"]
    assert applied.suppressed[0].suppression.reason == f"baseline {path} (recorded 2026-11-25)"
    assert exit_code(applied, "error") == 1  # NEW is an error
    assert exit_code(apply_baseline(report_with(OLD, WARN), path), "info") == 0
    assert later.findings != applied.findings  # the input report is not modified


def test_baselined_findings_still_count_in_the_outputs(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    write_baseline(report_with(OLD), path)
    applied = apply_baseline(report_with(OLD, NEW), path)
    data = json.loads(renderer("json").findings(applied, RenderOptions()))
    assert data["summary"]["errors"] == 1
    assert data["summary"]["suppressed"] == 1
    assert data["suppressed"][0]["suppression"]["reason"].startswith("baseline ")
    sarif = json.loads(renderer("sarif").findings(applied, RenderOptions()))
    suppressed = [r for r in sarif["runs"][0]["results"] if "suppressions" in r]
    assert suppressed[0]["suppressions"][0]["kind"] == "external"


def test_fixed_findings_show_as_unused_entries(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    gone = Finding(OL001, "other", "azure", "fixed since", scope="t1", object_id="b")
    outside = Finding(OL001, "not-in-this-run", "azure", "x", scope="t1", object_id="c")
    write_baseline(report_with(OLD, gone, outside), path)
    applied = apply_baseline(report_with(OLD), path)
    unused = [s for s in applied.unused_suppressions if s.where.startswith(str(path))]
    assert [s.fingerprint for s in unused] == [gone.fingerprint]  # only integrations that ran this time


def test_suppressed_findings_are_not_recorded(tmp_path: Path) -> None:
    from oauthlint.config import Suppression
    from oauthlint.engine import SuppressedFinding

    report = report_with(OLD)
    report.suppressed.append(SuppressedFinding(NEW, Suppression(rule="OL004", reason="reviewed")))
    path = tmp_path / "baseline.json"
    assert write_baseline(report, path) == 1


def test_output_is_stable(tmp_path: Path) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    write_baseline(report_with(OLD, NEW, WARN), first)
    write_baseline(report_with(WARN, OLD, NEW), second)
    assert first.read_text() == second.read_text()


def test_plain_fingerprint_lists_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "hand.json"
    path.write_text(json.dumps({"version": 1, "fingerprints": [OLD.fingerprint]}))
    assert load_baseline(path).fingerprints == {OLD.fingerprint}
    assert apply_baseline(report_with(OLD), path).findings == []


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "no such file; create it with --write-baseline"),
        ("{not json", "not valid JSON (line 1, column 2"),
        ("[]", "expected a JSON object written by --write-baseline"),
        ('{"version": 2, "fingerprints": []}', "version: expected 1, got 2"),
        ('{"version": 1}', "fingerprints: expected a list"),
        ('{"version": 1, "fingerprints": [{"rule": "OL001"}]}', "fingerprints[0]: expected a hex fingerprint"),
        ('{"version": 1, "fingerprints": ["ZZZ"]}', "fingerprints[0]: expected a hex fingerprint"),
    ],
)
def test_bad_baseline_is_one_usage_error_line(tmp_path: Path, content: str | None, expected: str) -> None:
    path = tmp_path / "baseline.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(UsageError) as info:
        apply_baseline(report_with(OLD), path)
    message = str(info.value)
    assert message.startswith(f"--baseline {path}: ")
    assert expected in message
    assert "\n" not in message


def test_unwritable_baseline_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"^--write-baseline: cannot write .*missing"):
        write_baseline(report_with(OLD), tmp_path / "missing" / "baseline.json")
    assert not list(tmp_path.iterdir())  # nothing half-written


def test_a_provider_that_could_not_be_asked_is_never_baselined(tmp_path: Path) -> None:
    from oauthlint.rules import OL005

    failed = Finding(OL005, "app", "azure", "azure: token request failed: HTTP 401", object_id="azure")
    path = tmp_path / "baseline.json"
    assert write_baseline(report_with(OLD, failed), path) == 1
    path.write_text(json.dumps({"version": 1, "fingerprints": [OLD.fingerprint, failed.fingerprint]}))
    applied = apply_baseline(report_with(OLD, failed), path)
    assert applied.findings == [failed]
    assert exit_code(applied, "error") == 1
