"""Runs the checks: fetch or load each integration's snapshot, apply core and provider rules, collect a report.

Failures are isolated per integration. A provider that cannot be asked yields the finding OL005 with the
reason; a bug in a check yields OL005 too. Nothing here ever turns an error into a pass.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from oauthlint.config import Config, Suppression
from oauthlint.core_checks import check_clock_skew, check_integration
from oauthlint.errors import ProviderError, UsageError
from oauthlint.model import Finding, Integration, Severity, scrub_known_secrets
from oauthlint.providers.base import CheckContext, Provider
from oauthlint.registry import registry
from oauthlint.rules import CORE_RULES, OL005
from oauthlint.selection import RuleSelection

log = logging.getLogger("oauthlint")

DEFAULT_OFFLINE_SCOPES = ("offline_access",)
MAX_WORKERS = 16


@dataclass(frozen=True)
class SuppressedFinding:
    finding: Finding
    suppression: Suppression


@dataclass
class Report:
    """The outcome of one run: what the reports render and the exit code is computed from."""

    findings: list[Finding] = field(default_factory=list)
    suppressed: list[SuppressedFinding] = field(default_factory=list)
    integrations: list[Integration] = field(default_factory=list)
    rules_run: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Per integration name, the enabled rule codes that were evaluated (JUnit test cases)."""
    unused_suppressions: list[Suppression] = field(default_factory=list)
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    config_path: Path | None = None
    """The config file the integrations came from (SARIF and GitHub annotations point at it)."""
    audit: bool = False
    """An account-wide audit (``--all``): ``integrations`` holds only the objects that have findings."""


@dataclass(frozen=True)
class Evaluation:
    """One integration's outcome before selection and suppression."""

    integration: Integration
    findings: tuple[Finding, ...]
    rules_run: tuple[str, ...]


def offline_scopes(provider: Provider) -> tuple[str, ...]:
    return tuple(getattr(provider, "offline_scopes", DEFAULT_OFFLINE_SCOPES))


def evaluate(integration: Integration, snapshot: Any, provider: Provider, context: CheckContext) -> list[Finding]:
    """Core and provider rules on one snapshot. Pure: no I/O."""
    findings = list(check_integration(integration, offline_scopes(provider)))
    findings.extend(
        check_clock_skew(integration, getattr(snapshot, "server_date", None), getattr(snapshot, "observed_at", None))
    )
    findings.extend(provider.check(integration, snapshot, context))
    return findings


def obtain_snapshot(integration: Integration, provider: Provider, settings: Any) -> Any:
    """The snapshot from the integration's export file, or fetched live from the provider."""
    if integration.snapshot is not None:
        return provider.load_snapshot(integration.snapshot, integration)
    return provider.fetch(integration, settings)


def run(
    config: Config,
    *,
    selection: RuleSelection,
    now: datetime | None = None,
    integrations: Sequence[Integration] | None = None,
    extra_evaluations: Sequence[Evaluation] = (),
    max_workers: int = MAX_WORKERS,
) -> Report:
    """Check every integration (concurrently when they are fetched live) and apply selection and suppressions.

    ``extra_evaluations`` are outcomes decided elsewhere (the Connect deployment gate) that get the same
    selection and suppression treatment."""
    now = now or datetime.now(UTC)
    context = CheckContext(now=now, expiry_warning_days=config.expiry_warning_days)
    targets = list(config.integrations if integrations is None else integrations)

    def one(integration: Integration) -> Evaluation:
        return _evaluate_safely(integration, config, context)

    live = sum(1 for i in targets if i.snapshot is None)
    if live > 1 and max_workers > 1:
        # Fetching is I/O-bound; offline snapshots ride along in the same pool at no cost.
        with ThreadPoolExecutor(max_workers=min(max_workers, live), thread_name_prefix="oauthlint") as pool:
            evaluations = list(pool.map(one, targets))
    else:
        evaluations = [one(i) for i in targets]
    report = assemble(
        [*evaluations, *extra_evaluations], selection=selection, suppressions=config.suppressions, today=now.date()
    )
    report.generated_at = now
    report.config_path = config.path
    return report


def audit_report(
    findings: Iterable[Finding], *, selection: RuleSelection, suppressions: Sequence[Suppression], now: datetime
) -> Report:
    """A report for an account-wide audit (``--all``): one entry per audited object that has findings."""
    by_object: dict[str, list[Finding]] = {}
    providers: dict[str, str] = {}
    for finding in findings:
        by_object.setdefault(finding.integration, []).append(finding)
        providers.setdefault(finding.integration, finding.provider)
    evaluations = []
    for name, found in by_object.items():
        provider = registry().get(providers[name])
        rules_run = tuple(rule.code for rule in provider.rules)
        evaluations.append(Evaluation(Integration(name=name, provider=providers[name]), tuple(found), rules_run))
    report = assemble(evaluations, selection=selection, suppressions=suppressions, today=now.date())
    report.generated_at = now
    report.audit = True
    return report


def assemble(
    evaluations: Iterable[Evaluation], *, selection: RuleSelection, suppressions: Sequence[Suppression], today: date
) -> Report:
    report = Report()
    used: set[int] = set()
    enabled_runs: dict[tuple[str, ...], tuple[str, ...]] = {}  # one provider's rule list is shared by many
    for evaluation in evaluations:
        report.integrations.append(evaluation.integration)
        runs = enabled_runs.get(evaluation.rules_run)
        if runs is None:
            runs = enabled_runs[evaluation.rules_run] = tuple(c for c in evaluation.rules_run if selection.enabled(c))
        report.rules_run[evaluation.integration.name] = runs
        for finding in evaluation.findings:
            if not selection.enabled(finding.code):
                continue
            index, suppression = _matching_suppression(finding, suppressions)
            if suppression is None:
                report.findings.append(finding)
                continue
            used.add(index)
            if suppression.until is not None and suppression.until < today:
                note = f"suppression expired on {suppression.until.isoformat()} (reason was: {suppression.reason})"
                report.findings.append(replace(finding, note=note))
            else:
                report.suppressed.append(SuppressedFinding(finding, suppression))
    report.unused_suppressions = [s for i, s in enumerate(suppressions) if i not in used]
    return report


def _evaluate_safely(integration: Integration, config: Config, context: CheckContext) -> Evaluation:
    """One integration, whatever happens: a provider that fails, or a fetcher or check with a bug, becomes OL005
    beside the rules that need no provider (a dead provider must not hide a missing offline_access)."""
    provider = registry().get(integration.provider)
    rules_run = tuple(r.code for r in CORE_RULES) + tuple(rule.code for rule in provider.rules)
    stage = "fetching"
    try:
        snapshot = obtain_snapshot(integration, provider, config.provider_settings.get(integration.provider))
        stage = "checking"
        return Evaluation(integration, tuple(evaluate(integration, snapshot, provider, context)), rules_run)
    except UsageError:
        raise
    except ProviderError as exc:
        reason = f"{exc.operation} failed: {scrub_known_secrets(exc.reason)}"
    except Exception as exc:  # a bug must not become a crash or a pass
        reason = f"unexpected error while {stage}: {describe_exception(exc)}"
        log.debug("%s %s: %s", stage, integration.name, reason)
    core = check_integration(integration, offline_scopes(provider))
    return Evaluation(integration, (*core, _failure(integration, reason)), rules_run)


def _failure(integration: Integration, reason: str) -> Finding:
    return Finding(
        rule=OL005,
        integration=integration.name,
        provider=integration.provider,
        message=f"{integration.provider}: {reason}; nothing was checked against the provider.",
        resource=f"integration '{integration.name}'",
        object_id=integration.provider,
    )


def describe_exception(exc: BaseException) -> str:
    """``Type: first line``, with every known secret value scrubbed."""
    text = str(exc).splitlines()[0] if str(exc) else ""
    return scrub_known_secrets(f"{type(exc).__name__}: {text}" if text else type(exc).__name__)


def _matching_suppression(finding: Finding, suppressions: Sequence[Suppression]) -> tuple[int, Suppression | None]:
    for index, suppression in enumerate(suppressions):
        if suppression.rule != finding.code:
            continue
        if suppression.fingerprint is not None and suppression.fingerprint != finding.fingerprint:
            continue
        if suppression.integration is not None and suppression.integration != finding.integration:
            continue
        return index, suppression
    return -1, None


def exit_code(report: Report, fail_on: str) -> int:
    """0: nothing at or above ``fail_on``; 1: findings at or above it. (2 is for usage errors, raised elsewhere.)"""
    if fail_on == "never":
        return 0
    threshold = Severity.parse(fail_on)
    return 1 if any(f.level >= threshold for f in report.findings) else 0
