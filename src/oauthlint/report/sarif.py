"""SARIF 2.1.0 for GitHub code scanning and other SARIF consumers.

Spec: OASIS SARIF 2.1.0 (errata 01), https://docs.oasis-open.org/sarif/sarif/v2.1.0/ — section numbers below.
GitHub's subset: https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning

Where a finding lives: an OAuth finding has no source line, but GitHub rejects a whole upload when any result
lacks ``physicalLocation.artifactLocation.uri`` ("locationFromSarifResult: expected at least one location").
Every result therefore points at the config file that defines the integration (the line of its ``name = …``
when the file can be read), and names the integration and the provider object as logical locations.

``secrets`` runs render as SARIF too: one result per credential that is expired or due (levels from
:func:`entry_level`), with the pseudo-rules ``credential-expired`` / ``credential-expiring``; a provider that
could not be listed is an ``OL005`` result, so a scheduled code-scanning upload never shows a silent pass.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from oauthlint import __version__
from oauthlint.engine import Report
from oauthlint.inventory import Entry, Inventory
from oauthlint.model import Finding, Integration, Rule, Severity
from oauthlint.report import RenderOptions
from oauthlint.rules import OL005

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "oauthlint/v1"
DEFAULT_ARTIFACT = "oauthlint.toml"

LEVEL: Mapping[Severity, str] = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
"""The one place severities become SARIF levels (§3.27.10; ``note`` is SARIF's informational level)."""

_SOURCE = re.compile(r"^(?P<path>.+?)(?: \[tool\.oauthlint\])?: integrations\[\d+\]$")

EXPIRED = Rule(
    code="credential-expired",
    name="credential-expired",
    severity=Severity.ERROR,
    summary="A client secret or certificate has passed its end date.",
    prevents="invalid client credentials once the provider rejects the expired secret",
    remediation="Create a new secret, store it where Connect reads it, then delete the expired one.",
)
EXPIRING = Rule(
    code="credential-expiring",
    name="credential-expiring",
    severity=Severity.WARNING,
    summary="A client secret or certificate ends inside the --within window.",
    prevents="invalid client credentials on the end date",
    remediation="Rotate the secret before it ends: add a new one, update Connect, then remove the old one.",
)


def entry_level(entry: Entry, inventory: Inventory) -> Severity | None:
    """Expired is an error, due inside ``--within`` a warning, anything else is not reported."""
    if entry.tier == "expired":
        return Severity.ERROR
    if inventory.within is not None and entry.tier != "no-expiry":
        return Severity.WARNING
    return None


def expiry_phrase(entry: Entry) -> str:
    """``expired on 2026-11-22 (3 days ago)`` / ``expires on 2026-11-30 (in 5 days)`` / ``never expires``."""
    end = entry.credential.end
    if end is None or entry.days_left is None:
        return "never expires"
    day = end.date().isoformat()
    if entry.tier == "expired":
        ago = -entry.days_left
        return f"expired on {day} ({ago} day{'s' if ago != 1 else ''} ago)" if ago > 0 else f"expired on {day} (today)"
    left = entry.days_left
    return f"expires on {day} (in {left} day{'s' if left != 1 else ''})" if left > 0 else f"expires on {day} (today)"


def credential_label(entry: Entry) -> str:
    """``application 'Sales' (appId) password 'nightly'`` — metadata only, never a value."""
    c = entry.credential
    what = c.name or c.credential_id
    return f"{c.provider} {c.object_type} '{c.owner_name}' ({c.owner_id}): {c.kind}" + (f" '{what}'" if what else "")


def credential_fingerprint(entry: Entry) -> str:
    """Stable across runs like Finding.fingerprint: identity of the credential, never its dates."""
    c = entry.credential
    parts = ("credential", c.provider, c.scope, c.owner_id, c.kind, c.credential_id or c.name, c.integration)
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class ConfigLocation:
    """Where in the repository an integration is defined: a relative URI (GitHub needs one) and a line."""

    uri: str
    line: int = 1
    relative: bool = True
    exists: bool = False
    """The file was found (GitHub annotations need a real file; the ``oauthlint.toml`` fallback may not be)."""


def config_path_of(integration: Integration | None, report: Report | None = None) -> Path | None:
    """The config file: ``Report.config_path`` when the engine sets it, else parsed from ``Integration.source``."""
    if report is not None and report.config_path is not None:
        return report.config_path
    if integration is None:
        return None
    match = _SOURCE.match(integration.source)
    return Path(match["path"]) if match else None


def config_location(path: Path | None, integration_name: str | None = None) -> ConfigLocation:
    """A repository-relative URI for ``path`` (or ``oauthlint.toml``) and the line of the integration's name."""
    if path is None:
        return ConfigLocation(DEFAULT_ARTIFACT)
    uri, relative = _uri(path)
    line = _line_of(str(path), integration_name) if integration_name else 1
    return ConfigLocation(uri, line, relative, path.is_file())


def _uri(path: Path) -> tuple[str, bool]:
    cwd = Path.cwd().resolve()
    resolved = path.resolve() if path.is_absolute() else (cwd / path).resolve()
    try:
        return resolved.relative_to(cwd).as_posix(), True
    except ValueError:
        return resolved.as_uri(), False


@lru_cache(maxsize=16)
def _read_lines(path: str, mtime_ns: int) -> tuple[str, ...]:
    try:
        return tuple(Path(path).read_text(encoding="utf-8").splitlines())
    except (OSError, UnicodeDecodeError):
        return ()


def _lines(path: str) -> tuple[str, ...]:
    """The file's lines, read once per (absolute path, modification time)."""
    try:
        resolved = Path(path).resolve()
        return _read_lines(str(resolved), resolved.stat().st_mtime_ns)
    except OSError:
        return ()


def _line_of(path: str, name: str) -> int:
    pattern = re.compile(r"""^\s*name\s*=\s*(["'])""" + re.escape(name) + r"""\1\s*(#.*)?$""")
    for number, text in enumerate(_lines(path), start=1):
        if pattern.match(text):
            return number
    return 1


def locator(report: Report) -> Callable[[Finding], ConfigLocation]:
    """Finding -> its ConfigLocation, computed once per integration (a run may have thousands of findings)."""
    by_name = {i.name: i for i in report.integrations}
    cache: dict[str, ConfigLocation] = {}

    def where(finding: Finding) -> ConfigLocation:
        if finding.integration not in cache:
            path = config_path_of(by_name.get(finding.integration), report)
            cache[finding.integration] = config_location(path, finding.integration)
        return cache[finding.integration]

    return where


def descriptor(rule: Rule) -> dict[str, Any]:
    """A reportingDescriptor (§3.49) for one catalog rule."""
    help_parts = [rule.summary]
    if rule.why:
        help_parts.append(rule.why)
    if rule.prevents:
        help_parts.append(f"Prevents: {rule.prevents}")
    help_parts.append(f"Fix: {rule.remediation}")
    markdown = [f"**{rule.code} {rule.name}**", "", rule.summary]
    if rule.why:
        markdown += ["", rule.why]
    if rule.prevents:
        markdown += ["", f"**Prevents:** `{rule.prevents}`"]
    markdown += ["", f"**Fix:** {rule.remediation}"]
    if rule.bad:
        markdown += ["", "Bad:", "```toml", rule.bad, "```"]
    if rule.good:
        markdown += ["", "Good:", "```toml", rule.good, "```"]
    for reference in rule.references:
        markdown.append(f"- <{reference}>")
    data: dict[str, Any] = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": " ".join(p for p in (rule.summary, rule.why) if p)},
        "help": {"text": "\n\n".join(help_parts), "markdown": "\n".join(markdown)},
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": {"tags": ["oauth", rule.provider], "prevents": rule.prevents, "remediation": rule.remediation},
    }
    links = [r for r in rule.references if r.startswith(("https://", "http://"))]
    if links:
        data["helpUri"] = links[0]  # §3.49.12 wants a URI; other references stay in the help text
    return data


def _locations(location: ConfigLocation, logical: Iterable[tuple[str, str]]) -> list[dict[str, Any]]:
    artifact: dict[str, Any] = {"uri": location.uri}
    if location.relative:
        artifact["uriBaseId"] = "%SRCROOT%"
    entry: dict[str, Any] = {
        "physicalLocation": {"artifactLocation": artifact, "region": {"startLine": location.line}},
    }
    names = [{"name": name, "kind": kind} for name, kind in logical if name]
    if names:
        entry["logicalLocations"] = names
    return [entry]


def _run(rules: list[Rule], results: list[dict[str, Any]], successful: bool) -> dict[str, Any]:
    """A sarifLog (§3.13) with one run (§3.14): tool (§3.18) / driver toolComponent (§3.19) and results."""
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "oauthlint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": [descriptor(rule) for rule in rules],
                    }
                },
                "invocations": [{"executionSuccessful": successful}],
                "results": results,
            }
        ],
    }


def _catalog_rules(report: Report) -> list[Rule]:
    from oauthlint.rules import catalog

    rules = dict(catalog())
    for finding in [*report.findings, *(s.finding for s in report.suppressed)]:
        rules.setdefault(finding.code, finding.rule)
    return [rules[code] for code in sorted(rules)]


def finding_result(
    finding: Finding, index: Mapping[str, int], location: ConfigLocation, *, justification: str | None = None
) -> dict[str, Any]:
    """A result (§3.27): ruleId/ruleIndex (§3.27.5-6), level (§3.27.10), message (§3.27.11), locations
    (§3.27.12), partialFingerprints (§3.27.17), suppressions (§3.27.23, §3.35) and a property bag (§3.8)."""
    properties: dict[str, Any] = {
        "provider": finding.provider,
        "integration": finding.integration,
        "scope": finding.scope,
        "resource": finding.resource,
        "severity": str(finding.level),
    }
    if finding.note:
        properties["note"] = finding.note
    text = finding.message + (f" ({finding.note})" if finding.note else "")
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": index[finding.code],
        "level": LEVEL[finding.level],
        "message": {"text": f"[{finding.integration}] {text}"},
        "locations": _locations(
            location,
            (
                (finding.integration, "integration"),
                (finding.resource, "resource"),
            ),
        ),
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "properties": properties,
    }
    if justification is not None:
        result["suppressions"] = [{"kind": "external", "status": "accepted", "justification": justification}]
    return result


def _dump(data: dict[str, Any]) -> str:
    """Compact JSON: SARIF is read by machines, and ``indent`` forces the pure-Python encoder (10,000 findings:
    about 7 s instead of 0.3 s); GitHub caps uploads at 10 MB gzipped."""
    return json.dumps(data, ensure_ascii=False) + "\n"


def _failure_fingerprint(failure: str, number: int) -> str:
    provider = failure.split(":", 1)[0]
    return hashlib.sha256(f"OL005\x1f{provider}\x1f{number}".encode()).hexdigest()[:16]


class SarifRenderer:
    def findings(self, report: Report, options: RenderOptions) -> str:
        return _dump(self.findings_log(report))

    def findings_log(self, report: Report) -> dict[str, Any]:
        rules = _catalog_rules(report)
        index = {rule.code: i for i, rule in enumerate(rules)}

        where = locator(report)

        results = [finding_result(f, index, where(f)) for f in report.findings]
        for item in report.suppressed:
            reason = item.suppression.reason
            if item.suppression.until is not None:
                reason += f" (until {item.suppression.until.isoformat()})"
            results.append(finding_result(item.finding, index, where(item.finding), justification=reason))
        # executionSuccessful (§3.20.14) is false when a provider could not be asked (OL005): the run is incomplete
        return _run(rules, results, successful=not any(f.code == OL005.code for f in report.findings))

    def credentials(self, inventory: Inventory, options: RenderOptions) -> str:
        path = getattr(inventory, "config_path", None)
        return _dump(self.credentials_log(inventory, Path(path) if path else None))

    def credentials_log(self, inventory: Inventory, config_path: Path | None = None) -> dict[str, Any]:
        rules = [EXPIRED, EXPIRING, OL005]
        index = {rule.code: i for i, rule in enumerate(rules)}
        results: list[dict[str, Any]] = []
        for entry in inventory.entries:
            level = entry_level(entry, inventory)
            if level is None:
                continue
            c = entry.credential
            rule = EXPIRED if level is Severity.ERROR else EXPIRING
            location = config_location(config_path, c.integration or None)
            results.append(
                {
                    "ruleId": rule.code,
                    "ruleIndex": index[rule.code],
                    "level": LEVEL[level],
                    "message": {"text": f"{credential_label(entry)} {expiry_phrase(entry)}."},
                    "locations": _locations(location, ((c.integration, "integration"), (c.owner_name, "resource"))),
                    "partialFingerprints": {FINGERPRINT_KEY: credential_fingerprint(entry)},
                    "properties": {
                        "provider": c.provider,
                        "scope": c.scope,
                        "integration": c.integration,
                        "credential": c.credential_id or c.name,
                        "end": c.end.isoformat() if c.end else None,
                        "tier": entry.tier,
                        "owners": list(c.owners),
                    },
                }
            )
        for number, failure in enumerate(inventory.failures):
            results.append(
                {
                    "ruleId": OL005.code,
                    "ruleIndex": index[OL005.code],
                    "level": "error",
                    "message": {"text": f"Credentials could not be listed: {failure}"},
                    "locations": _locations(config_location(config_path), ()),
                    "partialFingerprints": {FINGERPRINT_KEY: _failure_fingerprint(failure, number)},
                }
            )
        return _run(rules, results, successful=not inventory.failures)


RENDERER = SarifRenderer()
