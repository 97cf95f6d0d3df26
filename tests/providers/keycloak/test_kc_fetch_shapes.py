"""Admin API answers of an unexpected shape (a proxy's HTML page, an object where a list belongs, null entries)
become one-line ProviderErrors (OL005) naming what was read, never a traceback text or a silent pass."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest
import requests

from oauthlint.errors import ProviderError
from oauthlint.model import Secret
from oauthlint.providers.keycloak.fetch import AdminSession
from oauthlint.providers.keycloak.settings import KeycloakSettings

SETTINGS = KeycloakSettings(
    server_url="https://kc.example.com", realm="corp", client_id="oauthlint", client_secret=Secret("canary-kc-77")
)


def _response(body: bytes, status: int = 200) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = body
    return response


def session_answering(body: Any) -> AdminSession:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    session = AdminSession(SETTINGS)
    session._admin = SimpleNamespace(connection=SimpleNamespace(raw_get=lambda path: _response(raw)))
    return session


@pytest.mark.parametrize(
    "body",
    [
        b"<html><body>Sign in to the corporate proxy</body></html>",  # not JSON
        {"error": "something"},  # an object where the list of clients belongs
        [None],  # Keycloak versions that map clients the caller cannot view to null
        ["connect"],
    ],
)
def test_client_lookup_with_unexpected_shape_is_a_provider_error(body: Any) -> None:
    with pytest.raises(ProviderError) as info:
        session_answering(body).find_client("corp", "connect")
    assert "reading client 'connect' of realm 'corp'" in info.value.operation
    assert "unexpected answer" in info.value.reason


def test_realm_facts_with_unexpected_shape_is_a_provider_error() -> None:
    with pytest.raises(ProviderError) as info:
        session_answering({"not": "a list"}).realm_facts("corp")
    assert "default roles" in info.value.operation
    assert "unexpected answer" in info.value.reason
