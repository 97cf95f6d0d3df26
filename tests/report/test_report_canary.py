"""No format ever shows a secret: every integration in the sample report holds the canary as its Secret."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_samples import CANARY

from oauthlint.baseline import apply_baseline, write_baseline
from oauthlint.engine import Report
from oauthlint.inventory import Inventory
from oauthlint.report import FORMATS, RenderOptions, renderer


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_findings_never_contain_the_canary(name: str, report: Report) -> None:
    assert any(i.client_secret is not None and i.client_secret.reveal() == CANARY for i in report.integrations)
    for options in (RenderOptions(), RenderOptions(quiet=True), RenderOptions(color=True, fail_on="info")):
        out = renderer(name).findings(report, options)
        assert out
        assert CANARY not in out


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_credentials_never_contain_the_canary(name: str, inventory: Inventory) -> None:
    out = renderer(name).credentials(inventory, RenderOptions())
    assert out
    assert CANARY not in out


def test_baseline_file_never_contains_the_canary(report: Report, tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    write_baseline(report, path)
    assert CANARY not in path.read_text()
    applied = apply_baseline(report, path)
    for name in FORMATS:
        assert CANARY not in renderer(name).findings(applied, RenderOptions())
