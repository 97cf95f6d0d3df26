"""JUnit XML, read back with junitparser (the library CI integrations use to read these files)."""

from __future__ import annotations

from pathlib import Path

from junitparser import Error, Failure, JUnitXml, Skipped
from report_samples import make_inventory

from oauthlint.engine import Report
from oauthlint.inventory import Inventory
from oauthlint.model import Finding
from oauthlint.report import RenderOptions, renderer


def parse(text: str, tmp_path: Path) -> JUnitXml:
    path = tmp_path / "junit.xml"
    path.write_text(text, encoding="utf-8")
    return JUnitXml.fromfile(str(path))


def test_one_suite_per_integration_one_case_per_rule_run(report: Report, tmp_path: Path) -> None:
    xml = parse(renderer("junit").findings(report, RenderOptions()), tmp_path)
    suites = {suite.name: suite for suite in xml}
    assert list(suites) == ["sales-dashboard", "warehouse", "hr-portal"]
    for integration in report.integrations:
        suite = suites[integration.name]
        codes = [case.name.split()[0] for case in suite]
        ran = list(report.rules_run[integration.name])
        assert codes[: len(ran)] == ran
        assert all(case.classname == f"oauthlint.{integration.provider}.{integration.name}" for case in suite)
    # every case carries the rule's name, including the ones that passed
    assert [case.name for case in suites["hr-portal"]][1] == "OL002 public-client-with-secret"
    assert xml.tests == 19


def test_findings_are_failures_typed_by_severity(report: Report, tmp_path: Path) -> None:
    xml = parse(renderer("junit").findings(report, RenderOptions()), tmp_path)
    cases = {(suite.name, case.name.split()[0]): case for suite in xml for case in suite}
    (failure,) = cases[("sales-dashboard", "OL001")].result
    assert isinstance(failure, Failure)
    assert failure.type == "error"
    assert failure.message.startswith("Scopes lack offline_access")
    assert "fix: Add `offline_access`" in failure.text
    assert "prevents: No refresh token found" in failure.text
    (double,) = cases[("sales-dashboard", "OL004")].result
    assert double.message.startswith("2 findings")
    assert "second OL004 finding" in double.text
    (warning,) = cases[("warehouse", "OL006")].result
    assert warning.type == "warning"
    (info,) = cases[("warehouse", "TS001")].result  # a rule outside rules_run still gets its case
    assert info.type == "info"
    (error,) = cases[("hr-portal", "OL005")].result  # the check could not run: an error, not a failure
    assert isinstance(error, Error)
    (skipped,) = cases[("warehouse", "OL003")].result
    assert isinstance(skipped, Skipped)
    assert skipped.message == "suppressed: rotation booked, see CHG-42"
    assert cases[("warehouse", "OL002")].is_passed


def test_counts_match(report: Report, tmp_path: Path) -> None:
    xml = parse(renderer("junit").findings(report, RenderOptions()), tmp_path)
    assert (xml.failures, xml.errors, xml.skipped) == (4, 1, 1)
    for suite in xml:
        suite_cases = list(suite)
        assert suite.tests == len(suite_cases)
        assert suite.failures == sum(1 for c in suite_cases if any(isinstance(r, Failure) for r in c.result))


def test_control_characters_do_not_break_the_xml(report: Report, tmp_path: Path) -> None:
    from dataclasses import replace

    first = report.findings[0]
    report.findings[0] = replace(first, message="bell \x07 and nul \x00 and esc \x1b end")
    xml = parse(renderer("junit").findings(report, RenderOptions()), tmp_path)
    case = next(c for s in xml for c in s if c.name.startswith("OL001"))
    assert case.result[0].message == "bell  and nul  and esc  end"


def test_empty_report(tmp_path: Path) -> None:
    xml = parse(renderer("junit").findings(Report(), RenderOptions()), tmp_path)
    assert xml.tests == 0


def test_credentials_one_case_per_credential(inventory: Inventory, tmp_path: Path) -> None:
    xml = parse(renderer("junit").credentials(inventory, RenderOptions()), tmp_path)
    suites = {suite.name: suite for suite in xml}
    assert set(suites) == {"azure tenant-a", "keycloak realm-1", "listing"}
    cases = [case for suite in xml for case in suite]
    assert len(cases) == len(inventory.entries) + len(inventory.failures)
    expired = next(c for c in cases if "'old'" in c.name)
    assert expired.result[0].type == "error"
    assert expired.result[0].message == "expired on 2026-11-22 (3 days ago)"
    soon = next(c for c in cases if "'soon'" in c.name)
    assert soon.result[0].type == "warning"
    assert "owners: alice@example.com, bob@example.com" in soon.result[0].text
    (listing,) = suites["listing"]
    assert isinstance(listing.result[0], Error)


def test_credentials_outside_the_window_pass(tmp_path: Path) -> None:
    inventory = make_inventory(failures=False, within=None)  # only expired ones are due
    xml = parse(renderer("junit").credentials(inventory, RenderOptions()), tmp_path)
    cases = [case for suite in xml for case in suite]
    assert len(cases) == 6
    assert sum(1 for c in cases if not c.is_passed) == 1
    assert (xml.failures, xml.errors) == (1, 0)


def test_findings_of_an_integration_outside_the_run_list_are_not_dropped(report: Report, tmp_path: Path) -> None:
    """The Connect gate reports CN002 under the Connect integration's name, which need not be a checked target
    (a template oauthlint skips); its findings must still show up, as must suppressed ones."""
    from dataclasses import replace

    from oauthlint.config import Suppression
    from oauthlint.engine import SuppressedFinding
    from oauthlint.providers.connect.rules import CN002

    orphan = Finding(CN002, "crm-oauth", "connect", "2 of 3 sessions have no refresh token", object_id="g-1")
    hidden = Finding(CN002, "erp-oauth", "connect", "1 of 1 sessions have no refresh token", object_id="g-2")
    report = replace(
        report,
        findings=[*report.findings, orphan],
        suppressed=[*report.suppressed, SuppressedFinding(hidden, Suppression(rule="CN002", reason="known"))],
    )
    xml = parse(renderer("junit").findings(report, RenderOptions()), tmp_path)
    cases = {(suite.name, case.name.split()[0]): case for suite in xml for case in suite}
    (failure,) = cases[("crm-oauth", "CN002")].result
    assert isinstance(failure, Failure) and failure.type == "warning"
    (skipped,) = cases[("erp-oauth", "CN002")].result
    assert isinstance(skipped, Skipped)
    assert (xml.failures, xml.errors, xml.skipped) == (5, 1, 2)
