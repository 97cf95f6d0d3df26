"""A local fake of Microsoft Entra ID (OIDC discovery, v2.0 token endpoint) and Microsoft Graph v1.0, over TLS.

Real msal and requests talk to it end to end. One ThreadingHTTPServer on 127.0.0.1 serves both the authority
(``https://127.0.0.1:<port>/<tenant>/…``) and Graph (``https://127.0.0.1:<port>/v1.0/…``); certificates come
from ``trustme`` in the test run. Every request is recorded (method, path, query, form field *names*) so tests
can prove the linter only reads.

Documents each answer follows:

- OIDC discovery: https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc#find-your-apps-openid-configuration-document-uri
- token endpoint, client credentials (secret and certificate assertion), success and error shapes:
  https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow
- AADSTS texts: https://learn.microsoft.com/entra/identity-platform/reference-error-codes (7000215, 7000222,
  700016, 90002) and the live wording quoted in Posit's troubleshooting page
- Graph application / servicePrincipal get and list, alternate key ``(appId='…')``:
  https://learn.microsoft.com/graph/api/application-get, .../application-list, .../serviceprincipal-get
- grants of a client: https://learn.microsoft.com/graph/api/serviceprincipal-list-oauth2permissiongrants
- ``$select``/``$filter``/``$top``/``$expand``: https://learn.microsoft.com/graph/query-parameters
- paging with ``@odata.nextLink`` and an opaque ``$skiptoken``: https://learn.microsoft.com/graph/paging
- error bodies ``{"error": {"code", "message", "innerError"}}``: https://learn.microsoft.com/graph/errors
- throttling, 429 + ``Retry-After``: https://learn.microsoft.com/graph/throttling
"""

from __future__ import annotations

import base64
import contextlib
import functools
import json
import re
import secrets
import shutil
import socket
import ssl
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import trustme

GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000"
READ_APPS = "Application.Read.All"
READ_DIRECTORY = "Directory.Read.All"


@dataclass
class Client:
    """A client that may ask the token endpoint for tokens: secrets (value, end) or a certificate."""

    client_id: str
    secrets: list[tuple[str, datetime | None]] = field(default_factory=list, repr=False)
    certificate_pem: bytes | None = None
    roles: set[str] = field(default_factory=set)


@dataclass
class Tenant:
    id: str
    domains: tuple[str, ...] = ()
    apps: list[dict[str, Any]] = field(default_factory=list)
    service_principals: list[dict[str, Any]] = field(default_factory=list)
    grants: list[dict[str, Any]] = field(default_factory=list)
    owners: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Owners by object id (application or service principal ``id``)."""
    clients: dict[str, Client] = field(default_factory=dict)
    synthetic_apps: int = 0
    """Extra generated applications (benchmarks, paging) appended after ``apps``; built on the fly."""
    synthetic_service_principals: int = 0

    def add_client(
        self,
        client_id: str,
        *,
        secret: str | None = None,
        expires: datetime | None = None,
        roles: set[str] | None = None,
    ) -> Client:
        client = self.clients.setdefault(client_id, Client(client_id))
        if secret is not None:
            client.secrets.append((secret, expires))
        if roles:
            client.roles |= roles
        return client

    def all_apps(self) -> Iterator[dict[str, Any]]:
        yield from self.apps
        for i in range(self.synthetic_apps):
            yield synthetic_app(i)

    def all_service_principals(self) -> Iterator[dict[str, Any]]:
        yield from self.service_principals
        for i in range(self.synthetic_service_principals):
            yield synthetic_service_principal(i)

    def count(self, kind: str) -> int:
        if kind == "applications":
            return len(self.apps) + self.synthetic_apps
        return len(self.service_principals) + self.synthetic_service_principals

    def nth(self, kind: str, index: int) -> dict[str, Any]:
        items = self.apps if kind == "applications" else self.service_principals
        if index < len(items):
            return items[index]
        index -= len(items)
        return synthetic_app(index) if kind == "applications" else synthetic_service_principal(index)


def _guid(prefix: int, i: int) -> str:
    return f"{prefix:08x}-{(i >> 32) & 0xFFFF:04x}-4{(i >> 16) & 0xFFF:03x}-8{i & 0xFFF:03x}-{i:012x}"


@functools.cache
def _stamp(days: int) -> str:
    return (datetime(2026, 11, 1, tzinfo=UTC) + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


def synthetic_app(i: int) -> dict[str, Any]:
    """Application ``i`` of a generated tenant: one secret each, a certificate on every tenth."""
    offset = (i * 7) % 900
    app: dict[str, Any] = {
        "id": _guid(0xA0000000, i),
        "appId": _guid(0xB0000000, i),
        "displayName": f"Generated app {i}",
        "passwordCredentials": [
            {
                "customKeyIdentifier": None,
                "displayName": "generated",
                "endDateTime": _stamp(offset),
                "hint": "Gen",
                "keyId": _guid(0xC0000000, i),
                "secretText": None,
                "startDateTime": _stamp(offset - 365),
            }
        ],
        "keyCredentials": [],
    }
    if i % 10 == 0:
        app["keyCredentials"].append(
            {
                "customKeyIdentifier": "AB12",
                "displayName": f"CN=generated-{i}",
                "endDateTime": _stamp(offset + 400),
                "keyId": _guid(0xD0000000, i),
                "startDateTime": _stamp(offset - 365),
                "type": "AsymmetricX509Cert",
                "usage": "Verify",
                "key": None,
            }
        )
    return app


def synthetic_service_principal(i: int) -> dict[str, Any]:
    return {
        "id": _guid(0xE0000000, i),
        "appId": _guid(0xB0000000, i),
        "displayName": f"Generated app {i}",
        "appOwnerOrganizationId": "00000000-0000-4000-8000-00000000f00d",
        "passwordCredentials": [],
        "keyCredentials": [],
    }


@dataclass
class Fault:
    """An injected misbehaviour for requests whose ``METHOD path?query`` matches ``pattern``."""

    pattern: re.Pattern[str]
    status: int = 503
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    times: int = 1
    delay: float = 0.0
    truncate: bool = False
    malformed: bool = False


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    form_keys: tuple[str, ...]
    grant_type: str = ""
    client_id: str = ""
    authorized: bool = False
    batched: bool = False
    """A sub-request of a ``$batch`` (its own method and URL), recorded besides the batch POST itself."""

    @property
    def is_graph(self) -> bool:
        return self.path.startswith("/v1.0/") or self.path.startswith("/beta/")


class FakeEntra:
    """Start with :meth:`start`; configure tenants, faults and latency between tests; read :attr:`log`."""

    def __init__(self) -> None:
        self.ca = trustme.CA()
        self._dir = Path(tempfile.mkdtemp(prefix="entra-fake-"))
        self.ca_path = self._dir / "ca.pem"
        self.ca.cert_pem.write_to_path(str(self.ca_path))
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.reset()

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self) -> FakeEntra:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
        fake = self

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 128

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # clients that time out and hang up are part of the tests

            def finish_request(self, request: Any, client_address: Any) -> None:
                # Headers and body go out in separate writes; without TCP_NODELAY, Nagle plus the client's
                # delayed ACK would add ~40 ms to every answer (a fake artefact, not Graph's behaviour).
                request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                try:
                    tls = context.wrap_socket(request, server_side=True)
                except (ssl.SSLError, OSError):
                    return
                Handler(tls, client_address, self)

        class Handler(_Handler):
            owner = fake

        self._server = Server(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        self.base_url = f"https://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="entra-fake", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        shutil.rmtree(self._dir, ignore_errors=True)

    def reset(self) -> None:
        with self._lock:
            self.tenants: dict[str, Tenant] = {}
            self.faults: list[Fault] = []
            self.log: list[Recorded] = []
            self.tokens: dict[str, tuple[Tenant, Client]] = {}
            self.latency = 0.0
            self.date_offset = timedelta(0)
            self.max_page_size = 999
            self.cache_pages = False
            """Benchmarks: keep serialised list pages, so the fake's own JSON work is paid once (warm-up)."""
            self._page_cache: dict[tuple[Any, ...], str] = {}

    # -- configuration -----------------------------------------------------------------------------

    def add_tenant(self, tenant_id: str | None = None, *domains: str) -> Tenant:
        tenant = Tenant(tenant_id or str(uuid.uuid4()), tuple(domains))
        with self._lock:
            for key in (tenant.id, *domains):
                self.tenants[key.lower()] = tenant
        return tenant

    def fail(
        self,
        pattern: str,
        status: int = 503,
        *,
        times: int = 1,
        headers: dict[str, str] | None = None,
        body: str | None = None,
        delay: float = 0.0,
        truncate: bool = False,
        malformed: bool = False,
    ) -> None:
        """Inject a fault for the next ``times`` requests matching ``pattern`` (a regex over ``GET /path?query``)."""
        with self._lock:
            self.faults.append(
                Fault(re.compile(pattern), status, dict(headers or {}), body, times, delay, truncate, malformed)
            )

    def requests_to(self, fragment: str) -> list[Recorded]:
        return [r for r in self.log if fragment in r.path]

    # -- internals used by the handler -----------------------------------------------------------------

    def _take_fault(self, line: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.times > 0 and fault.pattern.search(line):
                    fault.times -= 1
                    return fault
        return None

    def _record(self, entry: Recorded) -> None:
        with self._lock:
            self.log.append(entry)

    def tenant(self, key: str) -> Tenant | None:
        return self.tenants.get(unquote(key).lower())


class _Handler(BaseHTTPRequestHandler):
    owner: FakeEntra
    protocol_version = "HTTP/1.1"
    server_version = "entra-fake/1"

    def log_message(self, format: str, *args: Any) -> None:  # silence stderr
        pass

    def date_time_string(self, timestamp: float | None = None) -> str:
        return format_datetime(datetime.now(UTC) + self.owner.date_offset, usegmt=True)

    # -- plumbing ------------------------------------------------------------------------------------

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PATCH(self) -> None:
        self._dispatch("PATCH")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def _dispatch(self, method: str) -> None:
        fake = self.owner
        if fake.latency:
            time.sleep(fake.latency)
        split = urlsplit(self.path)
        path = unquote(split.path)
        query = parse_qs(split.query, keep_blank_values=True)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        is_form = "x-www-form-urlencoded" in (self.headers.get("Content-Type") or "")
        form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()} if is_form else {}
        auth = self.headers.get("Authorization", "")
        fake._record(
            Recorded(
                method,
                path,
                query,
                tuple(sorted(form)),
                grant_type=form.get("grant_type", ""),
                client_id=form.get("client_id", ""),
                authorized=auth.startswith("Bearer "),
            )
        )
        fault = fake._take_fault(f"{method} {path}?{unquote(split.query)}")
        if fault is not None:
            if fault.delay:
                time.sleep(fault.delay)
            if fault.truncate:
                self._truncated()
                return
            if fault.malformed:
                self._send(200, '{"value": [{"appId": "x"', {})
                return
            if fault.status:
                default = {
                    "error": {
                        "code": "ServiceUnavailable" if fault.status >= 500 else "TooManyRequests",
                        "message": "Injected fault.",
                        "innerError": {"request-id": str(uuid.uuid4())},
                    }
                }
                self._send(fault.status, fault.body if fault.body is not None else default, fault.headers)
                return
        if method == "POST" and path == "/v1.0/$batch":
            status, payload, headers = self._batch(body, auth)
            self._send(status, payload, headers)
            return
        try:
            status, payload, headers = self._route(method, path, query, form, auth)
        except Exception as exc:  # a bug in the fake must not hang the client
            status, payload, headers = 500, {"error": {"code": "FakeBug", "message": repr(exc)}}, {}
        self._send(status, payload, headers)

    def _send(self, status: int, payload: Any, headers: dict[str, str]) -> None:
        body = (payload if isinstance(payload, str) else json.dumps(payload)).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def _truncated(self) -> None:
        body = b'{"value": [{"appId": "00000000-0000-0000-0000-000000000000", "displayName": "trunc'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body) + 500))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    # -- routing -------------------------------------------------------------------------------------

    def _route(
        self, method: str, path: str, query: dict[str, list[str]], form: dict[str, str], auth: str
    ) -> tuple[int, Any, dict[str, str]]:
        if path.startswith("/v1.0/") or path.startswith("/beta/"):
            if method != "GET":
                return _graph_error(
                    405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target."
                )
            return self._graph(path[len("/v1.0") :], query, auth)
        match = re.fullmatch(r"/([^/]+)/v2\.0/\.well-known/openid-configuration", path)
        if match and method == "GET":
            return self._discovery(match.group(1))
        match = re.fullmatch(r"/([^/]+)/oauth2/v2\.0/token", path)
        if match and method == "POST":
            return self._token(match.group(1), form)
        return 404, {"error": "not_found"}, {}

    def _discovery(self, tenant_key: str) -> tuple[int, Any, dict[str, str]]:
        tenant = self.owner.tenant(tenant_key)
        if tenant is None:
            return _aadsts(
                400,
                "invalid_tenant",
                90002,
                f"Tenant '{tenant_key}' not found. Check to make sure you "
                "have the correct tenant ID and are signing into the correct cloud. Check with your "
                "subscription administrator, this may happen if there are no active subscriptions for "
                "the tenant.",
            )
        base = self.owner.base_url
        return (
            200,
            {
                "token_endpoint": f"{base}/{tenant.id}/oauth2/v2.0/token",
                "token_endpoint_auth_methods_supported": [
                    "client_secret_post",
                    "private_key_jwt",
                    "client_secret_basic",
                ],
                "jwks_uri": f"{base}/{tenant.id}/discovery/v2.0/keys",
                "response_modes_supported": ["query", "fragment", "form_post"],
                "subject_types_supported": ["pairwise"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
                "scopes_supported": ["openid", "profile", "email", "offline_access"],
                "issuer": f"{base}/{tenant.id}/v2.0",
                "request_uri_parameter_supported": False,
                "userinfo_endpoint": f"{base}/oidc/userinfo",
                "authorization_endpoint": f"{base}/{tenant.id}/oauth2/v2.0/authorize",
                "device_authorization_endpoint": f"{base}/{tenant.id}/oauth2/v2.0/devicecode",
                "http_logout_supported": True,
                "frontchannel_logout_supported": True,
                "end_session_endpoint": f"{base}/{tenant.id}/oauth2/v2.0/logout",
                "claims_supported": ["sub", "iss", "aud", "exp", "iat", "nonce", "tid", "ver"],
                "tenant_region_scope": "EU",
                "cloud_instance_name": "microsoftonline.com",
                "cloud_graph_host_name": "graph.windows.net",
                "msgraph_host": "graph.microsoft.com",
            },
            {},
        )

    def _token(self, tenant_key: str, form: dict[str, str]) -> tuple[int, Any, dict[str, str]]:
        tenant = self.owner.tenant(tenant_key)
        if tenant is None:
            return _aadsts(
                400,
                "invalid_request",
                90002,
                f"Tenant '{tenant_key}' not found. Check to make sure you "
                "have the correct tenant ID and are signing into the correct cloud.",
            )
        if form.get("grant_type") != "client_credentials":
            return _aadsts(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.")
        client_id = form.get("client_id", "")
        client = tenant.clients.get(client_id)
        if client is None:
            return _aadsts(
                400,
                "unauthorized_client",
                700016,
                f"Application with identifier '{client_id}' was not "
                f"found in the directory '{tenant.domains[0] if tenant.domains else tenant.id}'. This can "
                "happen if the application has not been installed by the administrator of the tenant or "
                "consented to by any user in the tenant. You may have sent your authentication request to "
                "the wrong tenant.",
            )
        scope = form.get("scope", "")
        if not scope.endswith("/.default"):
            return _aadsts(
                400,
                "invalid_scope",
                1002012,
                f"The provided value for scope {scope} is not valid. "
                "Client credential flows must have a scope value with /.default suffixed to the resource "
                "identifier (application ID URI).",
            )
        if "client_secret" in form:
            given = form["client_secret"]
            now = datetime.now(UTC)
            hits = [end for value, end in client.secrets if secrets.compare_digest(value, given)]
            if not hits:
                return _aadsts(
                    401,
                    "invalid_client",
                    7000215,
                    "Invalid client secret provided. Ensure the secret "
                    "being sent in the request is the client secret value, not the client secret ID, "
                    f"for a secret added to app '{client_id}'.",
                )
            if all(end is not None and end <= now for end in hits):
                return _aadsts(
                    401,
                    "invalid_client",
                    7000222,
                    f"The provided client secret keys for app "
                    f"'{client_id}' are expired. Visit the Azure portal to create new keys for your app: "
                    "https://aka.ms/NewClientSecret, or consider using certificate credentials for added "
                    "security: https://aka.ms/certCreds.",
                )
        elif "client_assertion" in form:
            if not _assertion_ok(form["client_assertion"], client, client_id):
                return _aadsts(401, "invalid_client", 700027, "Client assertion failed signature validation.")
        else:
            return _aadsts(
                401,
                "invalid_client",
                7000218,
                "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
            )
        token = "fake-at-" + secrets.token_urlsafe(24)
        with self.owner._lock:
            self.owner.tokens[token] = (tenant, client)
        return 200, {"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": token}, {}

    # -- Graph -----------------------------------------------------------------------------------------

    def _batch(self, body: bytes, auth: str) -> tuple[int, Any, dict[str, str]]:
        """JSON batching (https://learn.microsoft.com/graph/json-batching): up to 20 sub-requests, each answered
        with its own id, status, headers and body; a throttled sub-request carries its own Retry-After."""
        try:
            requests_ = json.loads(body)["requests"]
        except (ValueError, KeyError, TypeError):
            return _graph_error(400, "BadRequest", "Invalid batch payload format.")
        if not isinstance(requests_, list) or not 1 <= len(requests_) <= 20:
            return _graph_error(400, "BadRequest", "Invalid batch payload: between 1 and 20 requests are allowed.")
        responses = []
        for sub in requests_:
            method = str(sub.get("method", "GET")).upper()
            split = urlsplit(str(sub.get("url", "")))
            path, query = unquote(split.path), parse_qs(split.query, keep_blank_values=True)
            self.owner._record(Recorded(method, "/v1.0" + path, query, (), authorized=bool(auth), batched=True))
            fault = self.owner._take_fault(f"{method} /v1.0{path}?{unquote(split.query)}")
            if fault is not None and fault.status and not (fault.truncate or fault.malformed):
                status, payload, headers = (
                    fault.status,
                    {"error": {"code": "TooManyRequests", "message": "Injected fault."}},
                    fault.headers,
                )
            elif method != "GET":
                status, payload, headers = _graph_error(
                    405, "Request_BadRequest", "Specified HTTP method is not allowed."
                )
            else:
                status, payload, headers = self._graph(path, query, auth)
            if isinstance(payload, str):
                payload = json.loads(payload)
            responses.append(
                {
                    "id": sub.get("id"),
                    "status": status,
                    "headers": {"Content-Type": "application/json", **headers},
                    "body": payload,
                }
            )
        return 200, {"responses": responses}, {}

    def _graph(self, path: str, query: dict[str, list[str]], auth: str) -> tuple[int, Any, dict[str, str]]:
        token = auth[len("Bearer ") :] if auth.startswith("Bearer ") else ""
        found = self.owner.tokens.get(token)
        if found is None:
            return _graph_error(401, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience.")
        tenant, client = found
        select = _first(query, "$select")
        fields = [f.strip() for f in select.split(",")] if select else None
        base = self.owner.base_url + "/v1.0"
        needs = READ_DIRECTORY if "oauth2PermissionGrants" in path else READ_APPS
        if needs not in client.roles and READ_DIRECTORY not in client.roles:
            return _graph_error(
                403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."
            )

        m = re.fullmatch(r"/(applications|servicePrincipals)\(appId='([^']*)'\)(/oauth2PermissionGrants)?", path)
        m2 = re.fullmatch(r"/(applications|servicePrincipals)/([^/]+)(/oauth2PermissionGrants)?", path)
        if m or m2:
            kind, key, grants = (m or m2).groups()  # type: ignore[union-attr]
            by = "appId" if m else "id"
            items = tenant.all_apps() if kind == "applications" else tenant.all_service_principals()
            obj = next((o for o in items if str(o.get(by, "")).lower() == key.lower()), None)
            if obj is None:
                return _graph_error(
                    404,
                    "Request_ResourceNotFound",
                    f"Resource '{key}' does not exist or one of its "
                    "queried reference-property objects are not present.",
                )
            if grants:
                if kind != "servicePrincipals":
                    return _graph_error(400, "Request_BadRequest", "Unsupported segment type.")
                value = [g for g in tenant.grants if g.get("clientId") == obj.get("id")]
                return 200, {"@odata.context": f"{base}/$metadata#oauth2PermissionGrants", "value": value}, {}
            payload = _project(obj, fields)
            payload["@odata.context"] = f"{base}/$metadata#{kind}/$entity"
            return 200, payload, {}

        if path in ("/applications", "/servicePrincipals", "/oauth2PermissionGrants"):
            kind = path[1:]
            flt = _first(query, "$filter")
            if flt:
                fm = re.fullmatch(r"(appId|clientId|displayName) eq '([^']*)'", flt.strip())
                if not fm:
                    return _graph_error(400, "Request_UnsupportedQuery", "Unsupported or invalid query filter clause.")
                attr, value = fm.groups()
                source: Iterator[dict[str, Any]] = (
                    iter(tenant.grants)
                    if kind == "oauth2PermissionGrants"
                    else tenant.all_apps()
                    if kind == "applications"
                    else tenant.all_service_principals()
                )
                matches = [_project(o, fields) for o in source if str(o.get(attr, "")).lower() == value.lower()]
                return 200, {"@odata.context": f"{base}/$metadata#{kind}", "value": matches}, {}
            if kind == "oauth2PermissionGrants":
                return 200, {"@odata.context": f"{base}/$metadata#{kind}", "value": tenant.grants}, {}
            top_text = _first(query, "$top") or "100"
            if not top_text.isdigit() or not 1 <= int(top_text) <= 999:
                return _graph_error(
                    400,
                    "Request_BadRequest",
                    f"Invalid page size specified: '{top_text}'. Must be between 1 and 999 inclusive.",
                )
            top = min(int(top_text), self.owner.max_page_size)
            skip_token = _first(query, "$skiptoken")
            offset = int(base64.urlsafe_b64decode(skip_token.encode()).decode()) if skip_token else 0
            cache_key = (tenant.id, kind, offset, top, select, _first(query, "$expand"))
            if self.owner.cache_pages and cache_key in self.owner._page_cache:
                return 200, self.owner._page_cache[cache_key], {}
            total = tenant.count(kind)
            expand = _first(query, "$expand")
            page = []
            for index in range(offset, min(offset + top, total)):
                obj = tenant.nth(kind, index)
                item = _project(obj, fields)
                if expand.startswith("owners"):
                    owner_fields = re.search(r"\$select=([^)]*)", expand)
                    wanted = owner_fields.group(1).split(",") if owner_fields else None
                    item["owners"] = [_project(o, wanted) for o in tenant.owners.get(str(obj.get("id")), [])]
                page.append(item)
            payload: dict[str, Any] = {"@odata.context": f"{base}/$metadata#{kind}", "value": page}
            if offset + top < total:
                params = "&".join(f"{k}={v[0]}" for k, v in query.items() if k not in ("$skiptoken", "$top"))
                token = base64.urlsafe_b64encode(str(offset + top).encode()).decode()
                payload["@odata.nextLink"] = f"{base}/{kind}?$top={top}&{params}&$skiptoken={token}".replace("&&", "&")
            if self.owner.cache_pages:
                text = json.dumps(payload)
                with self.owner._lock:
                    self.owner._page_cache[cache_key] = text
                return 200, text, {}
            return 200, payload, {}
        return _graph_error(400, "BadRequest", f"Resource not found for the segment '{path.strip('/').split('/')[0]}'.")


def _first(query: dict[str, list[str]], key: str) -> str:
    values = query.get(key)
    return values[0] if values else ""


def _project(obj: dict[str, Any], fields: list[str] | None) -> dict[str, Any]:
    if fields is None:
        return {k: v for k, v in obj.items() if k != "keyCredentials"} | (
            {"keyCredentials": [dict(c, key=None) for c in obj.get("keyCredentials", [])]}
            if "keyCredentials" in obj
            else {}
        )
    return {f: obj.get(f) for f in fields if f}


def _graph_error(status: int, code: str, message: str) -> tuple[int, Any, dict[str, str]]:
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    inner = {"date": now, "request-id": str(uuid.uuid4()), "client-request-id": str(uuid.uuid4())}
    return status, {"error": {"code": code, "message": message, "innerError": inner}}, {}


def _aadsts(status: int, error: str, code: int, text: str) -> tuple[int, Any, dict[str, str]]:
    trace, correlation = str(uuid.uuid4()), str(uuid.uuid4())
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%SZ")
    description = f"AADSTS{code}: {text} Trace ID: {trace} Correlation ID: {correlation} Timestamp: {stamp}"
    return (
        status,
        {
            "error": error,
            "error_description": description,
            "error_codes": [code],
            "timestamp": stamp,
            "trace_id": trace,
            "correlation_id": correlation,
            "error_uri": f"https://login.microsoftonline.com/error?code={code}",
        },
        {},
    )


def _b64(data: str) -> bytes:
    return base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))


def _assertion_ok(assertion: str, client: Client, client_id: str) -> bool:
    """Verify a private_key_jwt client assertion (RS256 or PS256) against the client's certificate."""
    if client.certificate_pem is None:
        return False
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    try:
        header_b64, payload_b64, signature_b64 = assertion.split(".")
        header = json.loads(_b64(header_b64))
        payload = json.loads(_b64(payload_b64))
        cert = x509.load_pem_x509_certificate(client.certificate_pem)
        signed = f"{header_b64}.{payload_b64}".encode()
        key: Any = cert.public_key()
        if header.get("alg") == "PS256":
            key.verify(_b64(signature_b64), signed, padding.PSS(padding.MGF1(hashes.SHA256()), 32), hashes.SHA256())
        else:
            key.verify(_b64(signature_b64), signed, padding.PKCS1v15(), hashes.SHA256())
    except (ValueError, InvalidSignature, KeyError):
        return False
    return payload.get("iss") == client_id and payload.get("sub") == client_id
