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


def _probe_answer(monkeypatch: pytest.MonkeyPatch, status: int, body: dict[str, str]) -> Any:
    """probe_secret against a stubbed token endpoint answering ``status``/``body``."""
    from contextlib import contextmanager
    from types import SimpleNamespace

    import requests

    from oauthlint.model import Secret
    from oauthlint.providers.keycloak import fetch
    from oauthlint.providers.keycloak.settings import KeycloakSettings

    response = requests.Response()
    response.status_code = status
    response._content = json.dumps(body).encode()

    @contextmanager
    def stub(*args: Any) -> Any:
        yield SimpleNamespace(connection=SimpleNamespace(raw_post=lambda path, data: response))

    monkeypatch.setattr(fetch, "_openid", stub)
    return fetch.probe_secret(
        "https://kc.example.com", "corp", "connect-sales", Secret("canary-kc-9"), KeycloakSettings()
    )


def test_probe_of_a_bearer_only_client_is_kc010_without_admin_rights(monkeypatch: pytest.MonkeyPatch) -> None:
    from oauthlint.model import AuthMode, Integration
    from oauthlint.model import Secret as S
    from oauthlint.providers.keycloak.snapshot import KeycloakSnapshot

    body = {
        "error": "unauthorized_client",
        "error_description": "Bearer-only client not allowed to retrieve service account",
    }
    probe = _probe_answer(monkeypatch, 401, body)
    integration = Integration(
        name="i",
        provider="keycloak",
        auth_mode=AuthMode.CONFIDENTIAL,
        client_id="connect-sales",
        client_secret=S("x-1"),
    )
    snapshot = KeycloakSnapshot(scope="corp", requested_client_id="connect-sales", client=None, probe=probe)
    codes = [f.code for f in provider.check(integration, snapshot, CTX)]
    assert codes == ["KC010"]
