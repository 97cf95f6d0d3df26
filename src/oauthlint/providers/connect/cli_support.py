"""Glue for ``oauthlint check --connect-server URL [--content GUID …]`` (the lead's cli.py calls these).

Both functions turn a Connect failure into an OL005 evaluation instead of raising, so a gate that cannot
reach Connect fails (exit 1) with the reason, never passes and never crashes::

    api_key = api_key_from_env()                         # UsageError (exit 2) when CONNECT_API_KEY is unset
    targets, extra, skipped = connect_targets(loaded, server, api_key)
    extra += gate_evaluations(loaded, server, api_key, content, targets)
    report = engine.run(loaded, selection=…, integrations=targets, extra_evaluations=extra)

(``extra_evaluations`` is the requested engine change: ``assemble([*evaluations, *extra], …)`` so that
selection, suppressions and baselines apply to CN findings too.)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from oauthlint.engine import Evaluation
from oauthlint.errors import ProviderError
from oauthlint.model import AuthType, Finding, Integration, Secret, scrub_known_secrets
from oauthlint.providers.connect.mapping import Skipped
from oauthlint.providers.connect.rules import RULES
from oauthlint.providers.connect.source import api_key_from_env, content_findings, load_source
from oauthlint.rules import OL005

GATE_RULES = tuple(rule.code for rule in RULES)


def connect_targets(
    config: Any, server: str, api_key: str | Secret
) -> tuple[list[Integration], list[Evaluation], list[Skipped]]:
    """The server's integrations to check, and those oauthlint cannot check (with the reason); on failure none,
    plus an OL005 evaluation naming the reason."""
    try:
        source = load_source(server, api_key, config)
    except ProviderError as exc:
        pseudo = _pseudo(f"connect {server}", server)
        return [], [Evaluation(pseudo, (_failure(pseudo, exc),), ("OL005",))], []
    return list(source.integrations), [], list(source.skipped)


def gate_evaluations(
    config: Any, server: str, api_key: str | Secret, content_guids: Sequence[str], integrations: Sequence[Integration]
) -> list[Evaluation]:
    """One evaluation per ``--content`` GUID (integration name ``content <guid>``) with its CN001/CN002 findings."""
    if not content_guids:
        return []
    guids = list(dict.fromkeys(g.strip() for g in content_guids))
    try:
        findings = content_findings(server, api_key, guids, integrations, config=config)
    except ProviderError as exc:
        pseudo = _pseudo(f"content {', '.join(guids)}", server)
        return [Evaluation(pseudo, (_failure(pseudo, exc),), ("OL005", *GATE_RULES))]
    evaluations = []
    cn002 = [f for f in findings if f.code != "CN001"]
    for index, guid in enumerate(guids):
        own = [f for f in findings if f.code == "CN001" and f.object_id == guid]
        if index == 0:
            own += cn002  # sessions are per integration, not per content: report them once
        evaluations.append(Evaluation(_pseudo(f"content {guid}", server), tuple(own), GATE_RULES))
    return evaluations


def _pseudo(name: str, server: str) -> Integration:
    return Integration(
        name=name, provider="connect", auth_type=AuthType.VIEWER, connect_server=server, source=f"connect {server}"
    )


def _failure(integration: Integration, exc: ProviderError) -> Finding:
    return Finding(
        OL005,
        integration=integration.name,
        provider="connect",
        message=f"connect: {exc.operation} failed: {scrub_known_secrets(exc.reason)}; nothing was checked.",
        resource=integration.name,
        object_id="connect",
    )


__all__ = ["api_key_from_env", "connect_targets", "gate_evaluations"]
