"""Fixtures for the format tests; the samples themselves are in report_samples.py (importable by name)."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_samples import CONFIG_TEXT, make_inventory, make_report

from oauthlint.engine import Report
from oauthlint.inventory import Inventory


@pytest.fixture
def config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "oauthlint.toml"
    path.write_text(CONFIG_TEXT)
    return Path("oauthlint.toml")


@pytest.fixture
def report(config_file: Path) -> Report:
    return make_report(config_file)


@pytest.fixture
def inventory() -> Inventory:
    return make_inventory()
