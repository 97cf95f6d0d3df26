"""The OI* rule fixtures (tests/rules/OI*), run through the shared harness, plus the catalog contract."""

from __future__ import annotations

from pathlib import Path

import pytest

from oauthlint.model import Severity
from oauthlint.providers import connect as _connect
from oauthlint.providers import github as _github
from oauthlint.providers import oidc as _oidc
from oauthlint.providers.oidc.rules import RULES
from oauthlint.registry import registry
from oauthlint.rules import catalog
from test_rule_fixtures import RULES_DIR, run_fixture

for _provider in (_github.provider, _oidc.provider, _connect.provider):  # until the lead registers them
    registry().register(_provider)

FIXTURES = sorted(RULES_DIR.glob("OI*/*.json"))


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_oi_fixture(path: Path) -> None:
    codes = run_fixture(path)
    assert (path.parent.name in codes) is path.stem.startswith("fires_"), codes


def test_every_oi_rule_has_fixtures_both_ways() -> None:
    for rule in RULES:
        stems = {p.stem.split("_")[0] for p in (RULES_DIR / rule.code).glob("*.json")}
        assert stems == {"fires", "passes"}, rule.code
        assert catalog()[rule.code] is rule and rule.provider == "oidc"
        assert rule.severity in (Severity.ERROR, Severity.WARNING) and rule.why and rule.remediation
