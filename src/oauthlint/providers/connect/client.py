"""A read-only client for Connect's Server API (GET only, ``Authorization: Key <api key>``).

Endpoints (provider-facts.md §1; S1 integrations, S3 sessions, S5 posit-sdk-py ``associations.py``):
``GET /__api__/v1/oauth/integrations``, ``GET /__api__/v1/content/{guid}/oauth/integrations/associations``,
``GET /__api__/v1/oauth/sessions?all=true``. Errors are Connect ``APIError`` objects (``code``, ``error``,
``payload``). posit-sdk-py would add a dependency for three GETs and hides status codes that the OL005
messages need, so plain requests is used (through ``oidc.http``: timeouts, CA bundle, bounded retries).
Imports requests: import this module only when talking to Connect.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import requests

from oauthlint.errors import ProviderError
from oauthlint.model import Secret, scrub_known_secrets
from oauthlint.providers.oidc.http import json_body, send, status_reason
from oauthlint.providers.oidc.settings import HttpOptions

P = "connect"
INTEGRATIONS = "/v1/oauth/integrations"
SESSIONS = "/v1/oauth/sessions"
HINTS = {
    401: "the API key was refused: check CONNECT_API_KEY",
    403: "the API key's user lacks permission (listing OAuth integrations needs a publisher or administrator, all sessions an administrator)",
}


def api_base(server: str) -> str:
    base = server.strip().rstrip("/")
    return base.removesuffix("/__api__") + "/__api__"


class ConnectClient:
    def __init__(
        self,
        server: str,
        api_key: str | Secret,
        options: HttpOptions | None = None,
        session: requests.Session | None = None,
    ) -> None:
        self.base = api_base(server)
        self._key = api_key if isinstance(api_key, Secret) else Secret(api_key, source="CONNECT_API_KEY")
        self.options = options or HttpOptions()
        self._session = session or requests.Session()

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> ConnectClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, path: str, *, not_found: str = "", query: str = "") -> Any:
        url = self.base + path + (f"?{query}" if query else "")
        operation = f"GET {urlsplit(self.base).path}{path}" + (f"?{query}" if query else "")
        headers = {"Authorization": f"Key {self._key.reveal()}"}
        response = send(
            "GET", url, options=self.options, provider=P, operation=operation, headers=headers, session=self._session
        )
        if 300 <= response.status_code < 400:
            where = urlsplit(response.headers.get("Location", "")).netloc or "elsewhere"
            reason = status_reason(response, hint=f"redirected to {where}; use the server's canonical URL")
            raise ProviderError(P, operation, reason)
        if response.status_code != 200:
            raise ProviderError(P, operation, _error_reason(response, not_found))
        body = json_body(response)
        if body is None:
            raise ProviderError(P, operation, "the answer is not JSON; is this the URL of a Connect server?")
        return body

    def integrations(self) -> list[Mapping[str, Any]]:
        return _list(
            self.get(INTEGRATIONS, not_found="no OAuth integrations API here (needs Connect 2024.12 or later)"),
            INTEGRATIONS,
        )

    def content_associations(self, content_guid: str) -> list[Mapping[str, Any]]:
        path = f"/v1/content/{content_guid}/oauth/integrations/associations"
        return _list(self.get(path, not_found=f"no content item {content_guid}"), path)

    def sessions(self) -> list[Mapping[str, Any]]:
        return _list(self.get(SESSIONS, query="all=true", not_found="no OAuth sessions API here"), SESSIONS)


def _error_reason(response: requests.Response, not_found: str) -> str:
    hint = HINTS.get(response.status_code) or (not_found if response.status_code == 404 else "")
    if response.status_code >= 500:
        hint = "Connect is failing"
    text = status_reason(response, hint=hint)
    body = json_body(response)
    if isinstance(body, Mapping) and ("code" in body or "error" in body):
        message = str(body.get("error") or "")[:160]
        text += f"; Connect error {body.get('code')}" + (f": {message}" if message else "")
    return scrub_known_secrets(text)


def _list(body: Any, path: str) -> list[Mapping[str, Any]]:
    if not isinstance(body, list):
        raise ProviderError(P, f"GET {path}", "expected a JSON list")
    return [item for item in body if isinstance(item, Mapping)]
