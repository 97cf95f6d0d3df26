"""SARIF output, validated with jsonschema against the project's own SARIF 2.1.0 subset schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from report_samples import CANARY, make_inventory

from oauthlint.engine import Report
from oauthlint.inventory import Inventory
from oauthlint.model import Severity
from oauthlint.report import RenderOptions, renderer
from oauthlint.report.sarif import LEVEL, RENDERER, config_location, descriptor
from oauthlint.rules import catalog

SCHEMA = json.loads((Path(__file__).parents[1] / "schemas" / "sarif-2.1.0-subset.json").read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def validate(text: str) -> dict[str, Any]:
    data = json.loads(text)
    errors = sorted(VALIDATOR.iter_errors(data), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]
    return data


def test_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_schema_rejects_what_github_rejects() -> None:
    def log(result: dict[str, Any]) -> dict[str, Any]:
        return {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [result]}]}

    no_location = {"ruleId": "R1", "message": {"text": "m"}, "locations": []}
    logical_only = {"ruleId": "R1", "message": {"text": "m"}, "locations": [{"logicalLocations": [{"name": "a"}]}]}
    empty_uri = {
        "ruleId": "R1",
        "message": {"text": "m"},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": ""}}}],
    }
    for bad in (no_location, logical_only, empty_uri):
        assert list(VALIDATOR.iter_errors(log(bad)))
    assert list(VALIDATOR.iter_errors({"version": "2.0.0", "runs": []}))


def test_findings_validate_and_map_every_field(report: Report) -> None:
    data = validate(renderer("sarif").findings(report, RenderOptions()))
    run = data["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert set(catalog()) <= set(ids)  # one reportingDescriptor per catalog rule
    assert "TS001" in ids  # and any rule a finding carries
    results = run["results"]
    assert len(results) == len(report.findings) + len(report.suppressed)
    for result, finding in zip(results, report.findings, strict=False):
        assert result["ruleId"] == finding.code
        assert rules[result["ruleIndex"]]["id"] == finding.code
        assert result["level"] == LEVEL[finding.level]
        assert result["partialFingerprints"] == {"oauthlint/v1": finding.fingerprint}
        assert result["properties"]["provider"] == finding.provider
        assert result["properties"]["integration"] == finding.integration
        assert result["properties"]["scope"] == finding.scope
        assert finding.message in result["message"]["text"]
        assert "suppressions" not in result
    info = next(r for r in results if r["ruleId"] == "TS001")
    assert info["level"] == "note"
    assert run["invocations"] == [{"executionSuccessful": False}]  # OL005: hr-portal could not be asked


def test_levels_are_mapped_in_one_place() -> None:
    assert LEVEL == {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
    for rule in catalog().values():
        assert descriptor(rule)["defaultConfiguration"]["level"] == LEVEL[rule.severity]


def test_descriptor_carries_help_remediation_and_prevents() -> None:
    rule = catalog()["OL001"]
    data = descriptor(rule)
    assert data["name"] == "missing-offline-scope"
    assert data["shortDescription"]["text"] == rule.summary
    assert rule.remediation in data["help"]["text"]
    assert rule.prevents in data["help"]["text"]
    assert rule.remediation in data["help"]["markdown"]
    assert data["helpUri"] == rule.references[0]


def test_every_result_points_at_the_config_line_of_its_integration(report: Report) -> None:
    data = validate(RENDERER.findings(report, RenderOptions()))
    lines = {"sales-dashboard": 4, "warehouse": 9, "hr-portal": 13}
    for result in data["runs"][0]["results"]:
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"] == {"uri": "oauthlint.toml", "uriBaseId": "%SRCROOT%"}
        integration = result["properties"]["integration"]
        assert physical["region"]["startLine"] == lines[integration]
        assert location["logicalLocations"][0] == {"name": integration, "kind": "integration"}


def test_location_without_a_config_file_falls_back_to_oauthlint_toml(tmp_path: Path) -> None:
    assert config_location(None).uri == "oauthlint.toml"
    outside = config_location(tmp_path.parent / "elsewhere" / "oauthlint.toml", "x")
    assert outside.uri.startswith("file://")  # outside the checkout: an absolute file URI
    assert not outside.relative


def test_suppressed_findings_are_results_with_external_suppressions(report: Report) -> None:
    data = validate(RENDERER.findings(report, RenderOptions()))
    suppressed = [r for r in data["runs"][0]["results"] if "suppressions" in r]
    assert len(suppressed) == 1
    (item,) = suppressed[0]["suppressions"]
    assert item["kind"] == "external"
    assert item["justification"] == "rotation booked, see CHG-42 (until 2026-12-31)"


def test_fingerprints_are_stable_across_message_changes(report: Report, config_file: Path) -> None:
    from dataclasses import replace

    before = validate(RENDERER.findings(report, RenderOptions()))
    reworded = Report(
        findings=[replace(f, message=f.message + " (reworded on 2026-12-01)") for f in report.findings],
        suppressed=report.suppressed,
        integrations=report.integrations,
        rules_run=report.rules_run,
    )
    after = validate(RENDERER.findings(reworded, RenderOptions()))

    def prints(data: dict[str, Any]) -> list[str]:
        return [r["partialFingerprints"]["oauthlint/v1"] for r in data["runs"][0]["results"]]

    assert prints(before) == prints(after)


def test_empty_report_is_valid() -> None:
    data = validate(RENDERER.findings(Report(), RenderOptions()))
    assert data["runs"][0]["results"] == []


@pytest.mark.parametrize("within_days", [30, None])
def test_credentials_validate(within_days: int | None) -> None:
    from datetime import timedelta

    inventory = make_inventory(within=None if within_days is None else timedelta(days=within_days))
    data = validate(RENDERER.credentials(inventory, RenderOptions()))
    results = data["runs"][0]["results"]
    by_rule: dict[str, int] = {}
    for result in results:
        by_rule[result["ruleId"]] = by_rule.get(result["ruleId"], 0) + 1
    assert by_rule["credential-expired"] == 1
    assert by_rule["OL005"] == 1
    assert by_rule.get("credential-expiring", 0) == (3 if within_days else 0)
    assert data["runs"][0]["invocations"] == [{"executionSuccessful": False}]
    fingerprints = [r["partialFingerprints"]["oauthlint/v1"] for r in results]
    assert len(set(fingerprints)) == len(fingerprints)


def test_credentials_without_failures_succeed(inventory: Inventory) -> None:
    data = validate(RENDERER.credentials(make_inventory(failures=False), RenderOptions()))
    assert data["runs"][0]["invocations"] == [{"executionSuccessful": True}]
    assert CANARY not in json.dumps(data)


def test_report_config_path_wins_over_integration_source(report: Report, tmp_path: Path) -> None:
    from dataclasses import replace

    (tmp_path / "pyproject.toml").write_text(
        '[tool.oauthlint]\n\n[[tool.oauthlint.integrations]]\nname = "hr-portal"\n'
    )
    report.integrations = [replace(i, source="command line") for i in report.integrations]
    report.config_path = tmp_path / "pyproject.toml"
    data = validate(RENDERER.findings(report, RenderOptions()))
    hr = next(r for r in data["runs"][0]["results"] if r["properties"]["integration"] == "hr-portal")
    physical = hr["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "pyproject.toml"
    assert physical["region"]["startLine"] == 4
