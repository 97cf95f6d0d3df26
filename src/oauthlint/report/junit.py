"""JUnit XML, so CI systems (GitLab, Jenkins, Azure Pipelines, GitHub test reporters) show findings in their test tabs.

``check``: one ``<testsuite>`` per integration and one ``<testcase>`` per rule that ran on it
(``Report.rules_run``). A rule's findings become one ``<failure type="<severity>">`` (several findings of one
rule are listed in its text); ``OL005`` (the provider could not be asked) is an ``<error>``, because the test
could not run; suppressed and baselined findings are ``<skipped>`` with the reason.

``secrets``: one ``<testsuite>`` per provider and scope, one ``<testcase>`` per credential, failing when the
credential is expired or due inside ``--within``; a provider that could not be listed is an ``<error>``.

Element names and attributes follow the common JUnit dialect (Ant's junit task, as GitLab and Jenkins read it).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterable

from oauthlint.engine import Report
from oauthlint.inventory import Inventory
from oauthlint.model import Finding, Integration
from oauthlint.report import RenderOptions
from oauthlint.report.sarif import entry_level, expiry_phrase

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
ERROR_RULES = frozenset({"OL005"})


def clean(text: str) -> str:
    """XML 1.0 cannot carry most control characters, even escaped; drop them."""
    return _INVALID_XML.sub("", text)


def _finding_text(finding: Finding) -> str:
    lines = [f"{finding.level} {finding.code} {finding.rule.name}"]
    if finding.resource:
        lines.append(f"resource: {finding.resource}")
    if finding.scope:
        lines.append(f"scope: {finding.scope}")
    lines.append(finding.message)
    if finding.note:
        lines.append(f"note: {finding.note}")
    if finding.rule.prevents:
        lines.append(f"prevents: {finding.rule.prevents}")
    lines.append(f"fix: {finding.rule.remediation}")
    lines.append(f"fingerprint: {finding.fingerprint}")
    return "\n".join(lines)


def _element(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: clean(v) for k, v in attributes.items()})
    if text is not None:
        element.text = clean(text)
    return element


def _count(suite: ET.Element) -> tuple[int, int, int, int]:
    cases = suite.findall("testcase")
    failures = sum(1 for c in cases if c.find("failure") is not None)
    errors = sum(1 for c in cases if c.find("error") is not None)
    skipped = sum(1 for c in cases if c.find("skipped") is not None)
    suite.set("tests", str(len(cases)))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("skipped", str(skipped))
    suite.set("time", "0")
    return len(cases), failures, errors, skipped


def _document(root: ET.Element, suites: Iterable[ET.Element]) -> str:
    totals = [0, 0, 0, 0]
    for suite in suites:
        for i, value in enumerate(_count(suite)):
            totals[i] += value
    for name, value in zip(("tests", "failures", "errors", "skipped"), totals, strict=True):
        root.set(name, str(value))
    root.set("time", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _outcome(case: ET.Element, findings: list[Finding]) -> None:
    worst = max(findings, key=lambda f: f.level)
    first = findings[0] if len(findings) == 1 else worst
    message = first.message if len(findings) == 1 else f"{len(findings)} findings; {first.message}"
    text = "\n\n".join(_finding_text(f) for f in sorted(findings, key=lambda f: (-f.level, f.fingerprint)))
    tag = "error" if worst.code in ERROR_RULES else "failure"
    _element(case, tag, text, message=message, type=str(worst.level))


def _suite_integrations(report: Report) -> list[Integration]:
    """The run's integrations, plus one stand-in per integration name that only findings carry (the Connect
    gate reports CN002 under a Connect integration that need not be a checked target): no finding is dropped."""
    integrations = list(report.integrations)
    names = {i.name for i in integrations}
    for finding in [*report.findings, *(s.finding for s in report.suppressed)]:
        if finding.integration not in names:
            names.add(finding.integration)
            integrations.append(Integration(name=finding.integration, provider=finding.provider))
    return integrations


class JunitRenderer:
    def findings(self, report: Report, options: RenderOptions) -> str:
        from oauthlint.rules import catalog

        known = dict(catalog())
        root = ET.Element("testsuites", name="oauthlint check")
        active: dict[tuple[str, str], list[Finding]] = defaultdict(list)
        for finding in report.findings:
            active[(finding.integration, finding.code)].append(finding)
        skipped: dict[tuple[str, str], list[str]] = defaultdict(list)
        for item in report.suppressed:
            skipped[(item.finding.integration, item.finding.code)].append(item.suppression.reason)
        timestamp = report.generated_at.replace(microsecond=0).isoformat()
        suites = []
        for integration in _suite_integrations(report):
            suite = _element(root, "testsuite", name=integration.name, timestamp=timestamp)
            suites.append(suite)
            properties = _element(suite, "properties")
            _element(properties, "property", name="provider", value=integration.provider)
            if integration.client_id:
                _element(properties, "property", name="client_id", value=integration.client_id)
            codes = list(report.rules_run.get(integration.name, ()))
            extra = {code for (name, code) in [*active, *skipped] if name == integration.name}
            codes += sorted(extra - set(codes))
            rules = dict(known)
            rules.update({f.code: f.rule for f in report.findings if f.integration == integration.name})
            rules.update(
                {s.finding.code: s.finding.rule for s in report.suppressed if s.finding.integration == integration.name}
            )
            for code in codes:
                rule = rules.get(code)
                label = f"{code} {rule.name}" if rule else code
                case = _element(
                    suite,
                    "testcase",
                    classname=f"oauthlint.{integration.provider}.{integration.name}",
                    name=label,
                    time="0",
                )
                key = (integration.name, code)
                if active.get(key):
                    _outcome(case, active[key])
                elif skipped.get(key):
                    _element(case, "skipped", message="suppressed: " + "; ".join(skipped[key]))
        return _document(root, suites)

    def credentials(self, inventory: Inventory, options: RenderOptions) -> str:
        root = ET.Element("testsuites", name="oauthlint secrets")
        timestamp = inventory.generated_at.replace(microsecond=0).isoformat()
        suites: dict[tuple[str, str], ET.Element] = {}
        for entry in inventory.entries:
            c = entry.credential
            key = (c.provider, c.scope)
            if key not in suites:
                name = f"{c.provider} {c.scope}".strip()
                suites[key] = _element(root, "testsuite", name=name, timestamp=timestamp)
            what = c.name or c.credential_id
            label = f"{c.object_type} '{c.owner_name}' {c.kind}" + (f" '{what}'" if what else "")
            case = _element(suites[key], "testcase", classname=f"oauthlint.secrets.{c.provider}", name=label, time="0")
            level = entry_level(entry, inventory)
            when = c.end.isoformat() if c.end else "never"
            details = [
                f"owner: {c.owner_name} ({c.owner_id})",
                f"credential: {c.credential_id or '-'}",
                f"ends: {when}",
                f"tier: {entry.tier}",
            ]
            if c.integration:
                details.append(f"integration: {c.integration}")
            if c.owners:
                details.append(f"owners: {', '.join(c.owners)}")
            if level is None:
                _element(case, "system-out", "\n".join(details))
                continue
            message = expiry_phrase(entry)
            _element(case, "failure", "\n".join(details), message=message, type=str(level))
        all_suites = list(suites.values())
        if inventory.failures:
            suite = _element(root, "testsuite", name="listing", timestamp=timestamp)
            all_suites.append(suite)
            for failure in inventory.failures:
                provider = failure.split(":", 1)[0]
                case = _element(suite, "testcase", classname="oauthlint.secrets", name=f"list {provider}", time="0")
                _element(case, "error", failure, message=failure, type="OL005")
        return _document(root, all_suites)


RENDERER = JunitRenderer()
