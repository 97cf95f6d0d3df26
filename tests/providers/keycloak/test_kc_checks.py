"""Pure Keycloak checks beyond the per-rule fixtures (tests/rules/KC*)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from oauthlint.config import parse_integration
from oauthlint.providers.base import CheckContext
from oauthlint.providers.keycloak import provider

pytestmark = pytest.mark.filterwarnings("ignore::oauthlint.config.InlineSecretWarning")  # fixture canaries
RULES = Path(__file__).parents[2] / "rules"
CTX = CheckContext(now=datetime(2026, 11, 25, 12, tzinfo=UTC))


def codes_for(authenticator: str | None, auth_mode: str = "confidential") -> list[str]:
    case: dict[str, Any] = json.loads((RULES / "KC010" / "passes_confidential_confidential.json").read_text())
    raw, rep = case["integration"], case["snapshot"]
    raw["auth_mode"] = auth_mode
    if auth_mode == "public":
        raw.pop("client_secret", None)
        rep["publicClient"] = True
    if authenticator is None:
        rep.pop("clientAuthenticatorType", None)
    else:
        rep["clientAuthenticatorType"] = authenticator
    integration = parse_integration(raw, where="test")
    snapshot = provider.parse_snapshot(rep, integration, "test")
    return [f.code for f in provider.check(integration, snapshot, CTX)]


@pytest.mark.parametrize("authenticator", ["client-jwt", "client-secret-jwt", "client-x509"])
def test_confidential_integration_needs_the_client_secret_authenticator(authenticator: str) -> None:
    assert "KC010" in codes_for(authenticator)


@pytest.mark.parametrize("authenticator", ["client-secret", None])
def test_client_secret_authenticator_passes(authenticator: str | None) -> None:
    assert "KC010" not in codes_for(authenticator)


def test_public_integration_ignores_the_authenticator() -> None:
    assert "KC010" not in codes_for("client-jwt", auth_mode="public")
