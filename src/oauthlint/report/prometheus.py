"""Prometheus text exposition (format 0.0.4) for node_exporter's textfile collector or a Pushgateway.

``secrets``: ``oauthlint_secret_expiry_timestamp_seconds`` per credential, the convention of certificate-expiry
exporters (x509-certificate-exporter, ssl_exporter: a gauge of the end time in Unix seconds, so an alert is
``oauthlint_secret_expiry_timestamp_seconds - time() < 14 * 86400``). Credentials without an end date have no
series (``oauthlint_secrets{tier="no-expiry"}`` counts them).

``check``: ``oauthlint_findings{rule,severity}`` for every rule that ran (0 when it found nothing, so an alert
on ``> 0`` resolves), and the suppressed count.

Both: ``oauthlint_last_run_success`` (1 when every provider could be asked: no OL005 finding, no listing
failure) and ``oauthlint_last_run_timestamp_seconds``.

Escaping per https://prometheus.io/docs/instrumenting/exposition_formats/ : label values escape backslash,
double quote and line feed; HELP text escapes backslash and line feed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from oauthlint.engine import Report
from oauthlint.inventory import TIERS, Inventory
from oauthlint.model import Rule, Severity
from oauthlint.report import RenderOptions

Labels = tuple[tuple[str, str], ...]


def escape_label(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def escape_help(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


@dataclass
class Family:
    name: str
    help: str
    samples: list[tuple[Labels, float]] = field(default_factory=list)
    kind: str = "gauge"
    _seen: set[Labels] = field(default_factory=set)

    def add(self, value: float, **labels: str) -> None:
        key = tuple(labels.items())
        if key in self._seen:
            return  # one series per label set; entries arrive soonest first
        self._seen.add(key)
        self.samples.append((key, value))

    def render(self) -> list[str]:
        lines = [f"# HELP {self.name} {escape_help(self.help)}", f"# TYPE {self.name} {self.kind}"]
        for labels, value in self.samples:
            rendered = ",".join(f'{key}="{escape_label(val)}"' for key, val in labels)
            lines.append(f"{self.name}{{{rendered}}} {_number(value)}" if rendered else f"{self.name} {_number(value)}")
        return lines


def exposition(families: Iterable[Family]) -> str:
    lines: list[str] = []
    for family in families:
        lines.extend(family.render())
    return "\n".join(lines) + "\n"


def _run_families(success: bool, timestamp: float) -> list[Family]:
    ok = Family("oauthlint_last_run_success", "1 when every provider could be asked (no OL005, no listing failure).")
    ok.add(1 if success else 0)
    when = Family("oauthlint_last_run_timestamp_seconds", "When this oauthlint run happened, in Unix seconds.")
    when.add(timestamp)
    return [ok, when]


def _rules_run(report: Report) -> Sequence[Rule]:
    from oauthlint.rules import catalog

    known = catalog()
    codes = sorted({code for codes in report.rules_run.values() for code in codes})
    return [known[code] for code in codes if code in known]


class PrometheusRenderer:
    def findings(self, report: Report, options: RenderOptions) -> str:
        counts: Counter[tuple[str, Severity]] = Counter((f.code, f.level) for f in report.findings)
        for rule in _rules_run(report):
            if not any(code == rule.code for code, _ in counts):
                counts[(rule.code, rule.severity)] += 0
        findings = Family("oauthlint_findings", "Findings of the last run by rule and severity (suppressed excluded).")
        for (code, level), number in sorted(counts.items()):
            findings.add(number, rule=code, severity=str(level))
        by_severity = Family("oauthlint_findings_by_severity", "Findings of the last run by severity.")
        levels = Counter(f.level for f in report.findings)
        for level in Severity:
            by_severity.add(levels[level], severity=str(level))
        suppressed = Family("oauthlint_suppressed_findings", "Findings silenced by a suppression or the baseline.")
        suppressed.add(len(report.suppressed))
        integrations = Family("oauthlint_integrations", "Integrations checked in the last run.")
        integrations.add(len(report.integrations))
        success = not any(f.code == "OL005" for f in report.findings)
        run = _run_families(success, report.generated_at.timestamp())
        return exposition([findings, by_severity, suppressed, integrations, *run])

    def credentials(self, inventory: Inventory, options: RenderOptions) -> str:
        expiry = Family(
            "oauthlint_secret_expiry_timestamp_seconds",
            "When the client secret or certificate ends, in Unix seconds.",
        )
        for entry in inventory.entries:
            c = entry.credential
            if c.end is None:
                continue
            expiry.add(
                c.end.timestamp(),
                provider=c.provider,
                scope=c.scope,
                integration=c.integration,
                owner=c.owner_name,
                owner_id=c.owner_id,
                object_type=c.object_type,
                kind=c.kind,
                credential=c.credential_id or c.name,
            )
        tiers = Family("oauthlint_secrets", "Credentials listed, by expiry tier.")
        for tier in TIERS:
            tiers.add(inventory.count(tier), tier=tier)
        failures = Family("oauthlint_secret_listing_failures", "Providers whose credentials could not be listed.")
        failures.add(len(inventory.failures))
        run = _run_families(not inventory.failures, inventory.generated_at.timestamp())
        return exposition([expiry, tiers, failures, *run])


RENDERER = PrometheusRenderer()
