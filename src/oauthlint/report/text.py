"""Human output: findings grouped per integration, with the runtime error each one prevents and the fix.

Rendered with rich; colour only when asked (a terminal), plain text when piped or written to a file.
"""

from __future__ import annotations

from collections import defaultdict

from rich.console import Console
from rich.markup import escape
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from oauthlint.console import SEVERITY_STYLE, buffered_console
from oauthlint.engine import Report
from oauthlint.inventory import Inventory
from oauthlint.model import Finding, Severity
from oauthlint.report import RenderOptions
from oauthlint.report.json_format import summary

INDENT = (0, 0, 0, 10)
CREDENTIALS_WIDTH = 150
TIER_STYLE = {"expired": "bold red", "7d": "red", "30d": "yellow", "90d": "cyan", "later": "", "no-expiry": "magenta"}


class TextRenderer:
    def findings(self, report: Report, options: RenderOptions) -> str:
        console, buffer = buffered_console(options.color, options.width)
        by_integration: dict[str, list[Finding]] = defaultdict(list)
        for finding in report.findings:
            by_integration[finding.integration].append(finding)
        suppressed_count: dict[str, int] = defaultdict(int)
        for item in report.suppressed:
            suppressed_count[item.finding.integration] += 1

        for integration in report.integrations:
            findings = sorted(by_integration.get(integration.name, []), key=lambda f: (-f.level, f.code))
            header = Text()
            header.append(integration.name, style="bold")
            header.append(f"  {integration.provider}", style="dim")
            if integration.client_id:
                header.append(f" · client {integration.client_id}", style="dim")
            if not findings:
                if options.quiet:
                    continue
                ran = len(report.rules_run.get(integration.name, ()))
                header.append(f"  ✓ no findings ({ran} rules)", style="green")
                if suppressed_count[integration.name]:
                    header.append(f", {suppressed_count[integration.name]} suppressed", style="dim")
                console.print(header)
                continue
            console.print(header)
            for finding in findings:
                _print_finding(console, finding, options)
            if suppressed_count[integration.name]:
                console.print(Text(f"  ({suppressed_count[integration.name]} suppressed)", style="dim"))
            console.print()

        for suppression in report.unused_suppressions:
            console.print(
                Text(f"note: {suppression.where}: suppression of {suppression.rule} matched no finding", style="dim")
            )
        console.print(_summary_line(report, options))
        return _trim(buffer.getvalue())

    def credentials(self, inventory: Inventory, options: RenderOptions) -> str:
        # A table of ids: wider than the findings view, so GUIDs stay on one line in logs and files.
        console, buffer = buffered_console(options.color, max(options.width, CREDENTIALS_WIDTH))
        for failure in inventory.failures:
            console.print(Text(f"could not list: {failure}", style="bold red"))
        if not inventory.entries:
            window = f" ending within {_days(inventory)} days" if inventory.within is not None else ""
            console.print(f"No credentials{window}.")
        else:
            table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
            for column in ("expires", "in", "provider", "owner", "credential", "scope"):
                table.add_column(column, overflow="fold", no_wrap=column in ("expires", "in"))
            for entry in inventory.entries:
                c = entry.credential
                expires = c.end.strftime("%Y-%m-%d") if c.end else "never"
                left = "—" if entry.days_left is None else f"{entry.days_left}d"
                owner = Text(c.owner_name or c.integration or c.owner_id)
                if c.owners:
                    owner.append(f" ({', '.join(c.owners)})")
                owner.append(f"\n{c.object_type} {c.owner_id}".rstrip(), style="dim")
                credential = Text(f"{c.name} ({c.kind})" if c.name and c.name != c.kind else c.kind)
                if c.credential_id:
                    credential.append(f"\n{c.credential_id}", style="dim")
                table.add_row(
                    Text(expires, style=TIER_STYLE[entry.tier]),
                    Text(left, style=TIER_STYLE[entry.tier]),
                    c.provider,
                    owner,
                    credential,
                    escape(c.scope or "—"),
                )
            console.print(table)
        counts = ", ".join(f"{inventory.count(t)} {t}" for t in ("expired", "7d", "30d", "90d") if inventory.count(t))
        console.print(f"{len(inventory.entries)} credentials" + (f" ({counts})" if counts else ""))
        return _trim(buffer.getvalue())


def _print_finding(console: Console, finding: Finding, options: RenderOptions) -> None:
    line = Text("  ")
    line.append(f"{finding.level!s:<7}", style=SEVERITY_STYLE[finding.level])
    line.append(f" {finding.code} ", style="bold")
    line.append(finding.rule.name, style="dim")
    console.print(line)
    if finding.resource and not options.quiet:
        _indented(console, Text(finding.resource, style="dim"))
    _indented(console, Text(finding.message))
    if finding.note:
        _indented(console, Text(f"note: {finding.note}", style="magenta"))
    if options.quiet:
        return
    if finding.rule.prevents:
        _indented(console, Text(f"prevents: {finding.rule.prevents}", style="dim"))
    _indented(console, Text(f"fix: {finding.rule.remediation}", style="green"))


def _trim(text: str) -> str:
    """rich pads wrapped lines to the console width; piped output should carry no trailing blanks."""
    return "\n".join(line.rstrip(" ") for line in text.split("\n"))


def _indented(console: Console, text: Text) -> None:
    console.print(Padding(text, INDENT, expand=False))


def _summary_line(report: Report, options: RenderOptions) -> Text:
    counts = summary(report)
    text = Text()
    if report.audit:
        text.append(f"audit: {counts['integrations']} objects with findings: ")
    else:
        text.append(f"{counts['integrations']} integrations checked: ")
    text.append(f"{counts['errors']} errors", style=SEVERITY_STYLE[Severity.ERROR] if counts["errors"] else "")
    text.append(", ")
    text.append(f"{counts['warnings']} warnings", style=SEVERITY_STYLE[Severity.WARNING] if counts["warnings"] else "")
    text.append(f", {counts['infos']} info, {counts['suppressed']} suppressed")
    if options.fail_on != "never":
        text.append(f" (failing on {options.fail_on} and above)", style="dim")
    return text


def _days(inventory: Inventory) -> str:
    assert inventory.within is not None  # noqa: S101 - guarded by the caller
    return f"{inventory.within.total_seconds() / 86400:g}"


RENDERER = TextRenderer()
