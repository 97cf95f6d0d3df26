"""GitHub Actions workflow commands: each finding becomes an annotation on the run (and on the config file).

``::error file=oauthlint.toml,line=12,title=AZ003 azure-redirect-uri-mismatch::[sales-dashboard] …``

Escaping follows the runner's own toolkit (actions/toolkit, packages/core/src/command.ts): in the message
``%``, ``\\r`` and ``\\n`` become ``%25``, ``%0D`` and ``%0A``; property values additionally escape ``:`` and
``,`` as ``%3A`` and ``%2C``. So no text from a provider can end the command early or start a new one.
Docs: https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands
"""

from __future__ import annotations

from collections.abc import Mapping

from oauthlint.engine import Report
from oauthlint.inventory import Inventory
from oauthlint.model import Finding, Severity
from oauthlint.report import RenderOptions
from oauthlint.report.json_format import summary
from oauthlint.report.sarif import credential_label, entry_level, expiry_phrase, locator

COMMAND: Mapping[Severity, str] = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: Severity, message: str, **properties: str | int | None) -> str:
    """One annotation line; properties with a None value are left out."""
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items() if value is not None)
    return f"::{COMMAND[level]}{' ' + props if props else ''}::{escape_data(message)}"


def finding_command(finding: Finding, file: str | None, line: int | None, quiet: bool = False) -> str:
    parts = [f"[{finding.integration}] {finding.message}"]
    if finding.note:
        parts.append(f"Note: {finding.note}")
    if not quiet:
        if finding.rule.prevents:
            parts.append(f"Prevents: {finding.rule.prevents}")
        parts.append(f"Fix: {finding.rule.remediation}")
    return command(finding.level, "\n".join(parts), file=file, line=line, title=f"{finding.code} {finding.rule.name}")


class GithubRenderer:
    def findings(self, report: Report, options: RenderOptions) -> str:
        where = locator(report)
        lines = []
        for finding in sorted(report.findings, key=lambda f: (-f.level, f.integration, f.code)):
            location = where(finding)
            # only a file inside the checkout can carry an annotation
            file, line = (location.uri, location.line) if location.exists and location.relative else (None, None)
            lines.append(finding_command(finding, file, line, options.quiet))
        counts = summary(report)
        lines.append(
            f"oauthlint: {counts['integrations']} integrations checked: {counts['errors']} errors, "
            f"{counts['warnings']} warnings, {counts['infos']} info, {counts['suppressed']} suppressed"
        )
        return "\n".join(lines) + "\n"

    def credentials(self, inventory: Inventory, options: RenderOptions) -> str:
        lines = [
            command(Severity.ERROR, failure, title="OL005 credentials could not be listed")
            for failure in inventory.failures
        ]
        due = 0
        for entry in inventory.entries:
            level = entry_level(entry, inventory)
            if level is None:
                continue
            due += 1
            c = entry.credential
            text = f"{credential_label(entry)} {expiry_phrase(entry)}"
            if c.owners:
                text += f"\nOwners: {', '.join(c.owners)}"
            title = "credential expired" if level is Severity.ERROR else "credential expiring"
            lines.append(command(level, text, title=f"{title}: {c.owner_name}"))
        lines.append(f"oauthlint: {len(inventory.entries)} credentials, {due} expired or due")
        return "\n".join(lines) + "\n"


RENDERER = GithubRenderer()
