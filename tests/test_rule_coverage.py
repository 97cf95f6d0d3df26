"""Every catalog rule is tested both ways: fixtures that fire it and fixtures it must accept, or a live test."""

from __future__ import annotations

from oauthlint.rules import catalog
from test_rule_fixtures import LIVE_ONLY, RULES_DIR


def test_every_rule_has_fixtures_both_ways_or_a_live_test() -> None:
    missing = []
    for code in catalog():
        names = {p.stem.split("_")[0] for p in (RULES_DIR / code).glob("*.json")}
        if code in LIVE_ONLY:
            continue
        if not {"fires", "passes"} <= names:
            missing.append(code)
    assert not missing, f"rules without fires_/passes_ fixtures: {missing}"
