"""The CLI glue: Connect failures become OL005 evaluations; gate findings flow through selection and suppressions."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from test_connect_live import ADMIN_KEY, C_NONE, C_OK, G_KC, sample

from fakes.connect_api import FakeConnect
from oauthlint.config import parse_config
from oauthlint.engine import assemble, exit_code
from oauthlint.providers import connect as _connect
from oauthlint.providers import github as _github
from oauthlint.providers import oidc as _oidc
from oauthlint.providers.connect.cli_support import connect_targets, gate_evaluations
from oauthlint.registry import registry
from oauthlint.rules import catalog
from oauthlint.selection import RuleSelection

for _provider in (_github.provider, _oidc.provider, _connect.provider):  # until the lead registers them
    registry().register(_provider)

ALL = RuleSelection.parse([], [], catalog(), "t")


def test_unreachable_connect_is_ol005_not_a_pass() -> None:
    with FakeConnect(sample()) as fake:
        url = fake.url
    cfg = parse_config({"providers": {"connect": {"retries": 0}}}, label="t", environ={})
    targets, extra, skipped = connect_targets(cfg, url, ADMIN_KEY)  # the server is gone now
    assert targets == [] and skipped == [] and [f.code for e in extra for f in e.findings] == ["OL005"]
    gate = gate_evaluations(cfg, url, ADMIN_KEY, [C_OK], [])
    report = assemble([*extra, *gate], selection=ALL, suppressions=(), today=date(2026, 11, 25))
    assert exit_code(report, "error") == 1
    assert all(ADMIN_KEY not in f.message for f in report.findings)
    assert "cannot connect to 127.0.0.1" in report.findings[0].message


def test_gate_findings_respect_suppressions_and_ignore() -> None:
    cfg = parse_config(
        {"suppress": [{"rule": "CN001", "fingerprint": "placeholder", "reason": "r"}]}, label="t", environ={}
    )
    with FakeConnect(sample()) as fake:
        targets, extra, skipped = connect_targets(cfg, fake.url, ADMIN_KEY)
        gate = gate_evaluations(cfg, fake.url, ADMIN_KEY, [C_OK, C_NONE], targets)
    assert len(targets) == 7 and extra == []
    assert skipped and all(s.reason for s in skipped)
    assert [e.integration.name for e in gate] == [f"content {C_OK}", f"content {C_NONE}"]
    report = assemble(gate, selection=ALL, suppressions=(), today=date(2026, 11, 25))
    assert sorted((f.code, f.object_id) for f in report.findings) == [("CN001", C_NONE), ("CN002", G_KC)]
    assert report.rules_run[f"content {C_NONE}"] == ("CN001", "CN002")
    cn001 = next(f for f in report.findings if f.code == "CN001")
    suppression = replace(cfg.suppressions[0], fingerprint=cn001.fingerprint)
    quiet = assemble(gate, selection=ALL, suppressions=(suppression,), today=date(2026, 11, 25))
    assert [f.code for f in quiet.findings] == ["CN002"] and len(quiet.suppressed) == 1
    ignored = assemble(
        gate, selection=RuleSelection.parse([], ["CN"], catalog(), "t"), suppressions=(), today=date(2026, 11, 25)
    )
    assert ignored.findings == []
