"""A local fake OpenID Connect issuer: discovery document and token endpoint, over HTTPS (trustme CA).

Wire format from the specifications, not from any one vendor:
- discovery: OpenID Connect Discovery 1.0 §3 (metadata fields) and §4 (``<issuer>/.well-known/openid-configuration``);
- token endpoint: RFC 6749 §4.4 (client credentials), §2.3.1 (client_secret_basic: form-encoded id and secret in
  HTTP Basic; client_secret_post: form fields), §5.1 success and §5.2 errors (``invalid_client`` with 401 and
  ``WWW-Authenticate`` when Basic was used; ``unauthorized_client``; ``unsupported_grant_type``);
- ``keycloak_style``: Keycloak's answer to a wrong secret, 401 ``unauthorized_client`` "Invalid client or Invalid
  client credentials" (keycloak/keycloak#16923), and to a right secret of a client without service accounts,
  401 ``unauthorized_client`` "Client not enabled to retrieve service account" (provider-facts.md §4.2).
Every request is recorded (method, path, whether credentials came with it; never their values).
"""

from __future__ import annotations

import base64
import json
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote_plus

import trustme

ISSUED_TOKEN = "ACCESS-TOKEN-canary-9d8e7f-never-print"


@dataclass
class Recorded:
    method: str
    path: str
    had_basic_auth: bool
    form_keys: tuple[str, ...]


@dataclass
class IssuerBehaviour:
    realm_path: str = "/realms/demo"
    client_id: str = "connect-client"
    client_secret: str = ""
    client_credentials_allowed: bool = True
    keycloak_style: bool = False
    grant_check_first: bool = False
    discovery_overrides: dict[str, Any] = field(default_factory=dict)
    discovery_failures: list[int] = field(default_factory=list)
    """Statuses to answer discovery with first (retry tests), consumed one per request."""
    discovery_status: int = 200
    token_status_override: tuple[int, str] | None = None
    """(status, body) for the token endpoint, e.g. (503, "down")."""
    date_header: str | None = None


class FakeIssuer:
    def __init__(self, tmp_dir: Path, behaviour: IssuerBehaviour | None = None) -> None:
        self.behaviour = behaviour or IssuerBehaviour()
        self.requests: list[Recorded] = []
        self.ca = trustme.CA()
        self.ca_bundle = tmp_dir / "issuer-ca.pem"
        self.ca.cert_pem.write_to_path(str(self.ca_bundle))
        cert = self.ca.issue_cert("127.0.0.1", "localhost")
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        cert.configure_cert(context)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self.base = f"https://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def issuer(self) -> str:
        return self.base + self.behaviour.realm_path

    def discovery(self) -> dict[str, Any]:
        protocol = self.issuer + "/protocol/openid-connect"
        doc: dict[str, Any] = {
            "issuer": self.issuer,
            "authorization_endpoint": protocol + "/auth",
            "token_endpoint": protocol + "/token",
            "userinfo_endpoint": protocol + "/userinfo",
            "jwks_uri": protocol + "/certs",
            "scopes_supported": ["openid", "profile", "email", "offline_access"],
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["plain", "S256"],
        }
        doc.update(self.behaviour.discovery_overrides)
        return {k: v for k, v in doc.items() if v is not None}

    def __enter__(self) -> FakeIssuer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def _handler(fake: FakeIssuer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
            return

        def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
            data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json" if not isinstance(body, str) else "text/plain")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def date_time_string(self, timestamp: float | None = None) -> str:
            return fake.behaviour.date_header or formatdate(timestamp, usegmt=True)

        def do_GET(self) -> None:
            fake.requests.append(Recorded("GET", self.path, "Authorization" in self.headers, ()))
            if self.path != fake.behaviour.realm_path + "/.well-known/openid-configuration":
                self._send(404, {"error": "not found"})
                return
            if fake.behaviour.discovery_failures:
                status = fake.behaviour.discovery_failures.pop(0)
                self._send(status, "temporarily unavailable", {"Retry-After": "0"})
                return
            if fake.behaviour.discovery_status != 200:
                self._send(fake.behaviour.discovery_status, {"error": "nope"})
                return
            self._send(200, fake.discovery())

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            basic = self.headers.get("Authorization", "")
            fake.requests.append(Recorded("POST", self.path, basic.startswith("Basic "), tuple(sorted(form))))
            if self.path != fake.behaviour.realm_path + "/protocol/openid-connect/token":
                self._send(404, {"error": "not found"})
                return
            if fake.behaviour.token_status_override:
                status, body = fake.behaviour.token_status_override
                self._send(status, body)
                return
            if fake.behaviour.grant_check_first and form.get("grant_type") != "authorization_code":
                self._send(400, {"error": "unsupported_grant_type"})
                return
            client_id, secret = _client_credentials(basic, form)
            b = fake.behaviour
            if client_id != b.client_id or secret != b.client_secret:
                if b.keycloak_style:
                    body = {
                        "error": "unauthorized_client",
                        "error_description": "Invalid client or Invalid client credentials",
                    }
                    self._send(401, body)
                    return
                headers = {"WWW-Authenticate": 'Basic realm="token"'} if basic else {}
                self._send(
                    401, {"error": "invalid_client", "error_description": "Client authentication failed"}, headers
                )
                return
            if form.get("grant_type") != "client_credentials":
                self._send(400, {"error": "unsupported_grant_type"})
                return
            if not b.client_credentials_allowed:
                # Keycloak (TokenEndpoint.clientCredentialsGrant, provider-facts.md §4.2) answers 401 here
                self._send(
                    401 if b.keycloak_style else 400,
                    {
                        "error": "unauthorized_client",
                        "error_description": "Client not enabled to retrieve service account",
                    },
                )
                return
            self._send(200, {"access_token": ISSUED_TOKEN, "token_type": "Bearer", "expires_in": 300})

    return Handler


def _client_credentials(basic: str, form: dict[str, str]) -> tuple[str | None, str | None]:
    if basic.startswith("Basic "):
        decoded = base64.b64decode(basic[6:]).decode()
        user, _, password = decoded.partition(":")
        return unquote_plus(user), unquote_plus(password)
    return form.get("client_id"), form.get("client_secret")


def running(tmp_dir: Path, behaviour: IssuerBehaviour | None = None) -> Iterator[FakeIssuer]:
    with FakeIssuer(tmp_dir, behaviour) as fake:
        yield fake
