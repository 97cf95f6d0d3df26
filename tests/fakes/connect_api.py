"""A local fake of Posit Connect's Server API: the read endpoints oauthlint uses, per Connect's OpenAPI description.

Sources (see /work/shared/reference/provider-facts.md, Posit Connect §1–§2):
- S1 ``api-evangelist/posit`` ``openapi/posit-oauth-integrations-api-openapi.yml``: ``GET /v1/oauth/integrations``
  ("administrator or publisher privileges") → array of ``OAuthIntegration`` {``id``, ``guid``, ``created_time``,
  ``updated_time``, ``name``, ``description``, ``template``, ``auth_type``, ``config``, ``permissions``,
  ``environment_variables``, ``content_count`` (administrators only)}; ``APIError`` {``code``, ``error``,
  ``payload``}; servers ``/__api__``; security scheme ``Authorization: Key <api key>``.
- S3 ``openapi/posit-oauth-sessions-api-openapi.yml``: ``GET /v1/oauth/sessions`` with query ``all`` ("with
  administrator privileges … for all users") → array of ``OAuthSession`` {``id``, ``guid``, ``user_guid``,
  ``oauth_integration_guid``, ``has_refresh_token``, ``created_time``, ``updated_time``}.
- S5 posit-sdk-py ``oauth/associations.py``: ``GET /v1/content/{guid}/oauth/integrations/associations`` →
  ``OAuthIntegrationAssociationOutput`` {``app_guid``, ``content_guid``, ``oauth_integration_guid``,
  ``oauth_integration_name``, ``oauth_integration_description``, ``oauth_integration_template``,
  ``oauth_integration_auth_type``, ``created_time``} (S1 schema).
- S4 ``posit-dev/connectapi`` real dump: config keys per template, secrets never returned (``sample_integrations``).
APIError ``code`` numbers here are illustrative (the spec does not list them per status).

Every request is recorded (method, path, query, whether the API key was right; never the key). Anything but
GET answers 405 and is recorded, so tests can assert oauthlint never writes.
"""

from __future__ import annotations

import json
import ssl
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import trustme

T0 = "2025-07-01T10:00:00Z"


@dataclass
class Recorded:
    method: str
    path: str
    query: str
    key_ok: bool


@dataclass
class ConnectData:
    integrations: list[dict[str, Any]] = field(default_factory=list)
    associations: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """content guid → associations; a content guid not in here is a 404."""
    sessions: list[dict[str, Any]] = field(default_factory=list)
    api_keys: dict[str, str] = field(default_factory=dict)
    """API key → role (``administrator`` or ``publisher``)."""
    failures: dict[str, list[int]] = field(default_factory=dict)
    """path → statuses to answer first (one consumed per request)."""


def integration(
    guid: str, name: str, template: str, config: dict[str, Any], auth_type: str = "Viewer"
) -> dict[str, Any]:
    """An OAuthIntegration as S1 describes it (``auth_type`` also inside ``config``, as in S4)."""
    return {
        "id": str(abs(hash(guid)) % 1000),
        "guid": guid,
        "created_time": T0,
        "updated_time": T0,
        "name": name,
        "description": f"{template} integration",
        "template": template,
        "auth_type": auth_type,
        "config": {"auth_type": auth_type, **config},
        "permissions": [],
        "environment_variables": [],
    }


def association(content_guid: str, item: dict[str, Any]) -> dict[str, Any]:
    return {
        "app_guid": content_guid,
        "content_guid": content_guid,
        "oauth_integration_guid": item["guid"],
        "oauth_integration_name": item["name"],
        "oauth_integration_description": item["description"],
        "oauth_integration_template": item["template"],
        "oauth_integration_auth_type": item["auth_type"],
        "created_time": T0,
    }


def session(
    guid: str, integration_guid: str, has_refresh_token: bool, user: str = "21caced7-979e-4e83-ad11-01837528d9d9"
) -> dict[str, Any]:
    return {
        "id": str(abs(hash(guid)) % 1000),
        "guid": guid,
        "user_guid": user,
        "oauth_integration_guid": integration_guid,
        "has_refresh_token": has_refresh_token,
        "created_time": T0,
        "updated_time": T0,
    }


class FakeConnect:
    def __init__(self, data: ConnectData, *, tls_dir: Path | None = None) -> None:
        self.data = data
        self.requests: list[Recorded] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.ca_bundle: Path | None = None
        scheme = "http"
        if tls_dir is not None:
            ca = trustme.CA()
            self.ca_bundle = tls_dir / "connect-ca.pem"
            ca.cert_pem.write_to_path(str(self.ca_bundle))
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ca.issue_cert("127.0.0.1").configure_cert(context)
            self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
            scheme = "https"
        self.url = f"{scheme}://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> FakeConnect:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def _api_error(code: int, message: str) -> dict[str, Any]:
    return {"code": code, "error": message, "payload": None}


def _handler(fake: FakeConnect) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return

        def _send(self, status: int, body: Any) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _role(self) -> str | None:
            header = self.headers.get("Authorization", "")
            return fake.data.api_keys.get(header[4:]) if header.startswith("Key ") else None

        def _refuse_write(self) -> None:
            parts = urlsplit(self.path)
            fake.requests.append(Recorded(self.command, parts.path, parts.query, self._role() is not None))
            self._send(405, _api_error(3, "method not allowed in this fake: oauthlint is read-only"))

        do_POST = do_PUT = do_PATCH = do_DELETE = _refuse_write

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            path, query = parts.path, parse_qs(parts.query)
            role = self._role()
            fake.requests.append(Recorded("GET", path, parts.query, role is not None))
            pending = fake.data.failures.get(path)
            if pending:
                self._send(pending.pop(0), _api_error(1, "injected failure"))
                return
            if role is None:
                self._send(401, _api_error(3, "Invalid API key"))
                return
            api = path.removeprefix("/__api__")
            if api == "/v1/oauth/integrations":
                items = [dict(i) for i in fake.data.integrations]
                if role == "administrator":
                    for item in items:
                        item["content_count"] = sum(
                            1
                            for a in fake.data.associations.values()
                            for x in a
                            if x["oauth_integration_guid"] == item["guid"]
                        )
                self._send(200, items)
                return
            if api == "/v1/oauth/sessions":
                if query.get("all") == ["true"]:
                    if role != "administrator":
                        self._send(403, _api_error(4, "You do not have permission to perform this operation."))
                        return
                    self._send(200, fake.data.sessions)
                else:
                    self._send(200, [])  # the API key's own user has no OAuth sessions
                return
            segments = api.strip("/").split("/")
            if (
                len(segments) == 6
                and segments[:2] == ["v1", "content"]
                and segments[3:] == ["oauth", "integrations", "associations"]
            ):
                content = segments[2]
                if content not in fake.data.associations:
                    self._send(404, _api_error(4, "The requested object does not exist."))
                    return
                self._send(200, fake.data.associations[content])
                return
            self._send(404, _api_error(4, "The requested object does not exist."))

    return Handler
