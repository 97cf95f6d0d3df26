"""The versioned JSON contract (DESIGN.md "Outputs"). Fields are only ever added, never renamed or removed."""

from __future__ import annotations

import json
from typing import Any

from oauthlint.engine import Report
from oauthlint.inventory import Inventory
from oauthlint.model import Finding, Severity
from oauthlint.report import RenderOptions

VERSION = 1


def finding_dict(finding: Finding) -> dict[str, Any]:
    data: dict[str, Any] = {
        "rule": finding.code,
        "name": finding.rule.name,
        "severity": str(finding.level),
        "provider": finding.provider,
        "integration": finding.integration,
        "resource": finding.resource,
        "message": finding.message,
        "prevents": finding.rule.prevents,
        "remediation": finding.rule.remediation,
        "fingerprint": finding.fingerprint,
        "scope": finding.scope,
    }
    if finding.note:
        data["note"] = finding.note
    return data


def summary(report: Report) -> dict[str, int]:
    levels = [f.level for f in report.findings]
    return {
        "integrations": len(report.integrations),
        "errors": levels.count(Severity.ERROR),
        "warnings": levels.count(Severity.WARNING),
        "infos": levels.count(Severity.INFO),
        "suppressed": len(report.suppressed),
    }


def report_dict(report: Report) -> dict[str, Any]:
    return {
        "version": VERSION,
        "findings": [finding_dict(f) for f in report.findings],
        "suppressed": [
            {
                **finding_dict(s.finding),
                "suppression": {
                    "reason": s.suppression.reason,
                    "until": s.suppression.until.isoformat() if s.suppression.until else None,
                },
            }
            for s in report.suppressed
        ],
        "summary": summary(report),
    }


def inventory_dict(inventory: Inventory) -> dict[str, Any]:
    credentials = []
    for entry in inventory.entries:
        c = entry.credential
        credentials.append(
            {
                "provider": c.provider,
                "scope": c.scope,
                "owner": c.owner_name,
                "owner_id": c.owner_id,
                "object_type": c.object_type,
                "kind": c.kind,
                "name": c.name,
                "credential_id": c.credential_id,
                "start": c.start.isoformat() if c.start else None,
                "end": c.end.isoformat() if c.end else None,
                "days_left": entry.days_left,
                "tier": entry.tier,
                "integration": c.integration or None,
                "owners": list(c.owners),
                "detail": c.detail or None,
            }
        )
    return {
        "version": VERSION,
        "generated_at": inventory.generated_at.isoformat(),
        "within_days": inventory.within.total_seconds() / 86400 if inventory.within is not None else None,
        "credentials": credentials,
        "failures": inventory.failures,
        "summary": {tier: inventory.count(tier) for tier in ("expired", "7d", "30d", "90d", "later", "no-expiry")},
    }


def dumps(data: dict[str, Any]) -> str:
    """Readable and fast: one line per list item (json's C encoder), instead of ``indent=2`` (pure Python)."""
    lines = ["{"]
    items = list(data.items())
    for index, (key, value) in enumerate(items):
        comma = "," if index < len(items) - 1 else ""
        if isinstance(value, list) and value:
            body = ",\n".join(f"    {json.dumps(item, ensure_ascii=False)}" for item in value)
            lines.append(f"  {json.dumps(key)}: [\n{body}\n  ]{comma}")
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


class JsonRenderer:
    def findings(self, report: Report, options: RenderOptions) -> str:
        return dumps(report_dict(report))

    def credentials(self, inventory: Inventory, options: RenderOptions) -> str:
        return dumps(inventory_dict(inventory))


RENDERER = JsonRenderer()
