"""GitHub Actions workflow commands: parsed back the way the runner does (split on '::', unescape %XX)."""

from __future__ import annotations

import re

from report_samples import TRICKY

from oauthlint.engine import Report
from oauthlint.inventory import Inventory
from oauthlint.model import Severity
from oauthlint.report import RenderOptions, renderer
from oauthlint.report.github import command, escape_data, escape_property

# The runner's parser: "::name key=value,key=value::message" (actions/runner, ActionCommand.TryParseV2).
COMMAND = re.compile(r"^::(?P<name>[a-z]+)(?: (?P<props>[^:]*))?::(?P<data>.*)$")


def unescape_data(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def unescape_property(text: str) -> str:
    return unescape_data(text.replace("%3A", ":").replace("%2C", ","))


def parse(line: str) -> tuple[str, dict[str, str], str]:
    match = COMMAND.match(line)
    assert match, line
    props: dict[str, str] = {}
    for pair in (match["props"] or "").split(","):
        if pair:
            key, _, value = pair.partition("=")
            props[key] = unescape_property(value)
    return match["name"], props, unescape_data(match["data"])


def test_escaping_round_trips() -> None:
    text = "a%b\r\nc, d: e::f"
    assert unescape_data(escape_data(text)) == text
    assert unescape_property(escape_property(text)) == text
    assert "\n" not in escape_data(text) and "\r" not in escape_data(text)
    assert "," not in escape_property(text) and ":" not in escape_property(text)


def test_levels_and_properties() -> None:
    assert command(Severity.ERROR, "m", title="t").startswith("::error title=t::")
    assert command(Severity.WARNING, "m").startswith("::warning::")
    assert command(Severity.INFO, "m", file=None, title="x").startswith("::notice title=x::")


def test_findings_become_annotations_on_the_config_line(report: Report) -> None:
    lines = renderer("github").findings(report, RenderOptions()).splitlines()
    commands = [parse(line) for line in lines if line.startswith("::")]
    assert len(commands) == len(report.findings)
    assert lines[-1].startswith("oauthlint: 3 integrations checked: 4 errors, 1 warnings, 1 info, 1 suppressed")
    by_title = {props["title"]: (name, props, data) for name, props, data in commands}
    name, props, data = by_title["OL001 missing-offline-scope"]
    assert name == "error"
    assert props["file"] == "oauthlint.toml"
    assert props["line"] == "4"
    assert data.startswith("[sales-dashboard] Scopes lack offline_access: " + TRICKY)  # survives intact
    assert "Fix: Add `offline_access`" in data
    assert by_title["OL006 clock-skew"][0] == "warning"
    assert by_title["TS001 test-info-rule"][0] == "notice"
    # errors come first, so they survive GitHub's per-step annotation limit
    assert [c[0] for c in commands][:4] == ["error"] * 4


def test_provider_text_cannot_inject_a_command(report: Report) -> None:
    out = renderer("github").findings(report, RenderOptions())
    assert all(line.startswith(("::error ", "::warning ", "::notice ", "oauthlint: ")) for line in out.splitlines())


def test_quiet_leaves_out_the_fix(report: Report) -> None:
    out = renderer("github").findings(report, RenderOptions(quiet=True))
    assert "Fix:" not in out


def test_credentials(inventory: Inventory) -> None:
    lines = renderer("github").credentials(inventory, RenderOptions()).splitlines()
    commands = [parse(line) for line in lines if line.startswith("::")]
    names = [c[0] for c in commands]
    assert names.count("error") == 2  # the listing failure and the expired secret
    assert names.count("warning") == 3
    expired = next(c for c in commands if c[1]["title"] == "credential expired: Sales")
    assert "expired on 2026-11-22 (3 days ago)" in expired[2]
    assert "Owners: alice@example.com" in expired[2]
    weird = next(c for c in commands if "we" in c[2] and "ird" in c[2])
    assert 'we"ird\\name\nx' in weird[2]
    assert lines[-1] == "oauthlint: 4 credentials, 4 expired or due"


def test_no_file_property_without_a_config_file(report: Report) -> None:
    from dataclasses import replace

    report.integrations = [replace(i, source="command line") for i in report.integrations]
    out = renderer("github").findings(report, RenderOptions())
    commands = [parse(line) for line in out.splitlines() if line.startswith("::")]
    assert commands and all("file" not in props and "line" not in props for _, props, _ in commands)
