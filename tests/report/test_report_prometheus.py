"""Prometheus exposition, parsed back with prometheus_client's own parser."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample
from report_samples import NOW, make_inventory

from oauthlint.engine import Report
from oauthlint.inventory import Inventory
from oauthlint.report import RenderOptions, renderer
from oauthlint.report.prometheus import escape_label


def samples(text: str) -> dict[str, list[Sample]]:
    out: dict[str, list[Sample]] = {}
    for family in text_string_to_metric_families(text):
        assert family.type == "gauge"
        assert family.documentation
        out[family.name] = list(family.samples)
    return out


def test_findings_counts(report: Report) -> None:
    metrics = samples(renderer("prometheus").findings(report, RenderOptions()))
    counts = {(s.labels["rule"], s.labels["severity"]): s.value for s in metrics["oauthlint_findings"]}
    assert counts[("OL001", "error")] == 1
    assert counts[("OL004", "error")] == 2
    assert counts[("OL006", "warning")] == 1
    assert counts[("TS001", "info")] == 1
    assert counts[("OL002", "error")] == 0  # ran, found nothing: a zero series, so alerts resolve
    by_severity = {s.labels["severity"]: s.value for s in metrics["oauthlint_findings_by_severity"]}
    assert by_severity == {"error": 4, "warning": 1, "info": 1}
    assert metrics["oauthlint_suppressed_findings"][0].value == 1
    assert metrics["oauthlint_integrations"][0].value == 3
    assert metrics["oauthlint_last_run_success"][0].value == 0  # OL005: a provider could not be asked
    assert metrics["oauthlint_last_run_timestamp_seconds"][0].value == NOW.timestamp()


def test_success_when_every_provider_answered(report: Report) -> None:
    report.findings = [f for f in report.findings if f.code != "OL005"]
    metrics = samples(renderer("prometheus").findings(report, RenderOptions()))
    assert metrics["oauthlint_last_run_success"][0].value == 1


def test_empty_report() -> None:
    metrics = samples(renderer("prometheus").findings(Report(generated_at=NOW), RenderOptions()))
    assert metrics["oauthlint_findings"] == []
    assert metrics["oauthlint_last_run_success"][0].value == 1


def test_secret_expiry_gauges(inventory: Inventory) -> None:
    metrics = samples(renderer("prometheus").credentials(inventory, RenderOptions()))
    expiry = metrics["oauthlint_secret_expiry_timestamp_seconds"]
    assert len(expiry) == len([e for e in inventory.entries if e.credential.end])
    by_credential = {s.labels["credential"]: s for s in expiry}
    old = by_credential["key-old"]
    assert old.value == inventory.entries[0].credential.end.timestamp()  # type: ignore[union-attr]
    assert old.labels["provider"] == "azure"
    assert old.labels["scope"] == "tenant-a"
    assert old.labels["integration"] == "sales-dashboard"
    assert 'key-we"ird\\name\nx' in by_credential  # label escaping round-trips
    tiers = {s.labels["tier"]: s.value for s in metrics["oauthlint_secrets"]}
    assert tiers["expired"] == 1 and tiers["30d"] == 2
    assert metrics["oauthlint_secret_listing_failures"][0].value == 1
    assert metrics["oauthlint_last_run_success"][0].value == 0


def test_credentials_without_expiry_have_no_series() -> None:
    inventory = make_inventory(failures=False, within=None)
    metrics = samples(renderer("prometheus").credentials(inventory, RenderOptions()))
    assert len(metrics["oauthlint_secret_expiry_timestamp_seconds"]) == 5
    assert {s.labels["tier"]: s.value for s in metrics["oauthlint_secrets"]}["no-expiry"] == 1
    assert metrics["oauthlint_last_run_success"][0].value == 1


def test_escape_label() -> None:
    assert escape_label('a\\b"c\nd') == 'a\\\\b\\"c\\nd'
