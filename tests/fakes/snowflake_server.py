"""A small local Snowflake that speaks the connector's REST protocol (enough for security integrations).

The real ``snowflake-connector-python`` (5.x, Rust core) runs against it unmodified with
``protocol="http", host="127.0.0.1", port=<port>``. Protocol, as verified against connector 5.2.0
(provider-facts §6; snowflakedb/drivers ``sf_core/src/rest/snowflake/mod.rs``, ``auth.rs``,
``heartbeat.rs``, ``logout.rs``):

- ``POST /session/v1/login-request``: ``{"data": {ACCOUNT_NAME, LOGIN_NAME, PASSWORD | TOKEN, AUTHENTICATOR…}}``;
  success ``{"success": true, "data": {"token", "masterToken", "sessionInfo"…}}``, failure
  ``{"success": false, "code": "390100", "message": …}`` with HTTP 200.
- ``POST /queries/v1/query-request``: ``{"sqlText": …}`` (gzip or plain), answered in the JSON result
  format (``queryResultFormat: "json"``, ``rowtype``, ``rowset`` of strings); SQL errors as
  ``{"success": false, "code": "002003", "data": {"errorCode", "sqlState", "queryId"}}``.
- ``POST /session?delete=true``, ``/session/heartbeat``, ``/session/token-request``, ``/telemetry/send``,
  and a catch-all ``{"success": true}``.

Result columns follow Snowflake's documentation:

- ``SHOW [SECURITY] INTEGRATIONS``: name, type, category, enabled, comment, created_on
  (https://docs.snowflake.com/en/sql-reference/sql/show-integrations; Terraform provider
  ``securityIntegrationShowRow``); custom OAuth clients have type ``OAUTH - CUSTOM``, category ``SECURITY``.
- ``DESCRIBE [SECURITY] INTEGRATION <name>``: property, property_type, property_value, property_default
  (https://docs.snowflake.com/en/sql-reference/sql/desc-integration; Terraform ``securityIntegrationDescRow``);
  the rows and defaults of an ``OAUTH_CLIENT = CUSTOM`` integration follow
  https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-snowflake.
- ``SELECT SYSTEM$SHOW_OAUTH_CLIENT_SECRETS('<NAME>')``: one VARCHAR cell holding a JSON object with
  OAUTH_CLIENT_SECRET_2, OAUTH_CLIENT_SECRET, OAUTH_CLIENT_ID
  (https://docs.snowflake.com/en/sql-reference/functions/system_show_oauth_client_secrets); the name
  argument is case-sensitive (upper case). Requires OWNERSHIP of the integration, else error 003001
  ``SQL access control error: Insufficient privileges to operate on integration '<NAME>'`` (42501).
- Unknown integration: 002003 ``SQL compilation error:\\nIntegration '<NAME>' does not exist or not authorized.``

Every SQL text is recorded in ``FakeSnowflake.statements``; ``latency`` (seconds) delays every query.
"""

from __future__ import annotations

import gzip
import itertools
import json
import re
import secrets
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

OAUTH_CUSTOM = "OAUTH - CUSTOM"


@dataclass
class FakeIntegration:
    name: str
    client_id: str
    client_secret: str = field(repr=False)
    client_secret_2: str = field(repr=False)
    owner: str = "ACCOUNTADMIN"
    type: str = OAUTH_CUSTOM
    enabled: bool = True
    client_type: str = "CONFIDENTIAL"
    redirect_uri: str = "https://connect.example.com/__oauth__/integrations/callback"
    issue_refresh_tokens: bool = True
    refresh_token_validity: int = 7_776_000
    allow_non_tls_redirect: bool = False
    comment: str = ""
    created_on: datetime = field(default_factory=lambda: datetime(2025, 3, 1, 9, 30, tzinfo=UTC))
    extra_rows: list[tuple[str, str, str, str]] = field(default_factory=list)
    describe_needs_ownership: bool = False
    """Listed by SHOW, but DESCRIBE answers 003001 unless the session role owns it."""

    def describe_rows(self, host: str) -> list[list[str | None]]:
        """DESCRIBE rows in Snowflake's order for OAUTH_CLIENT = CUSTOM (values as strings)."""
        b = lambda v: "true" if v else "false"  # noqa: E731
        rows = [
            ("ENABLED", "Boolean", b(self.enabled), "false"),
            ("OAUTH_REDIRECT_URI", "String", self.redirect_uri, ""),
            ("OAUTH_CLIENT_TYPE", "String", self.client_type, "CONFIDENTIAL"),
            ("OAUTH_ISSUE_REFRESH_TOKENS", "Boolean", b(self.issue_refresh_tokens), "true"),
            ("OAUTH_REFRESH_TOKEN_VALIDITY", "Integer", str(self.refresh_token_validity), "7776000"),
            ("OAUTH_USE_SECONDARY_ROLES", "String", "NONE", "NONE"),
            ("OAUTH_ENFORCE_PKCE", "Boolean", "false", "false"),
            ("OAUTH_ALLOW_NON_TLS_REDIRECT_URI", "Boolean", b(self.allow_non_tls_redirect), "false"),
            ("PRE_AUTHORIZED_ROLES_LIST", "List", "", "[]"),
            ("BLOCKED_ROLES_LIST", "List", "ACCOUNTADMIN,SECURITYADMIN", "[]"),
            ("NETWORK_POLICY", "String", "", ""),
            ("OAUTH_CLIENT_RSA_PUBLIC_KEY_FP", "String", "", ""),
            ("OAUTH_CLIENT_RSA_PUBLIC_KEY_2_FP", "String", "", ""),
            ("COMMENT", "String", self.comment, ""),
            ("OAUTH_CLIENT_ID", "String", self.client_id, ""),
            ("OAUTH_AUTHORIZATION_ENDPOINT", "String", f"https://{host}/oauth/authorize", ""),
            ("OAUTH_TOKEN_ENDPOINT", "String", f"https://{host}/oauth/token-request", ""),
            ("OAUTH_ALLOWED_AUTHORIZATION_ENDPOINTS", "List", "[]", "[]"),
            ("OAUTH_ALLOWED_TOKEN_ENDPOINTS", "List", "[]", "[]"),
            *self.extra_rows,
        ]
        return [list(r) for r in rows]


@dataclass
class FakeUser:
    login: str
    role: str
    password: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)
    """An OAuth access token accepted with AUTHENTICATOR = OAUTH."""
    any_jwt: bool = False
    """Accept key-pair (SNOWFLAKE_JWT) logins without verifying the JWT."""


SHOW_COLUMNS = (
    ("name", "text"),
    ("type", "text"),
    ("category", "text"),
    ("enabled", "boolean"),
    ("comment", "text"),
    ("created_on", "timestamp_ltz"),
)
DESC_COLUMNS = (
    ("property", "text"),
    ("property_type", "text"),
    ("property_value", "text"),
    ("property_default", "text"),
)

_SHOW = re.compile(r"^\s*SHOW\s+(?:SECURITY\s+)?INTEGRATIONS(?:\s+LIKE\s+'([^']*)')?\s*;?\s*$", re.I)
_DESC = re.compile(r"^\s*DESC(?:RIBE)?\s+(?:SECURITY\s+)?INTEGRATION\s+(\"[^\"]+\"|[A-Za-z0-9_$]+)\s*;?\s*$", re.I)
_SECRETS = re.compile(r"^\s*SELECT\s+SYSTEM\$SHOW_OAUTH_CLIENT_SECRETS\(\s*'([^']*)'\s*\)\s*;?\s*$", re.I)


class UnknownAccount(Exception):
    """Snowflake answers requests for an account that does not exist with HTTP 403 Forbidden."""


class SqlError(Exception):
    def __init__(self, code: str, sql_state: str, message: str) -> None:
        super().__init__(message)
        self.code, self.sql_state, self.message = code, sql_state, message


class FakeSnowflake:
    """State plus an HTTP server on 127.0.0.1; ``start()``/``stop()``; reset state between tests."""

    def __init__(self, account: str = "myorg-myaccount") -> None:
        self.account = account
        self.integrations: dict[str, FakeIntegration] = {}
        self.users: dict[str, FakeUser] = {}
        self.statements: list[str] = []
        self.logins: list[dict[str, Any]] = []
        self.requests: list[str] = []
        self.latency = 0.0
        self.login_latency = 0.0
        self.network_policy_blocks = False
        self.sessions: dict[str, str] = {}
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------------
    def start(self) -> FakeSnowflake:
        fake = self

        class Handler(_Handler):
            server_state = fake

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-snowflake", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def port(self) -> int:
        assert self._server is not None
        return self._server.server_address[1]

    def reset(self) -> None:
        with self._lock:
            self.integrations.clear()
            self.users.clear()
            self.statements.clear()
            self.logins.clear()
            self.requests.clear()
            self.sessions.clear()
            self.latency = 0.0
            self.login_latency = 0.0
            self.network_policy_blocks = False

    # -- state helpers -----------------------------------------------------------------------------
    def add_user(self, user: FakeUser) -> FakeUser:
        self.users[user.login.upper()] = user
        return user

    def add_integration(self, integration: FakeIntegration) -> FakeIntegration:
        self.integrations[integration.name.upper()] = integration
        return integration

    def add_generated(self, count: int, prefix: str = "OAUTH_APP") -> list[FakeIntegration]:
        made = []
        for i in range(count):
            made.append(
                self.add_integration(
                    FakeIntegration(
                        name=f"{prefix}_{i:04d}",
                        client_id=f"client-{i:04d}-{secrets.token_hex(6)}=",
                        client_secret=secrets.token_urlsafe(24),
                        client_secret_2=secrets.token_urlsafe(24),
                    )
                )
            )
        return made

    def oauth_statements(self) -> Iterator[str]:
        yield from self.statements

    # -- protocol ----------------------------------------------------------------------------------
    def login(self, data: dict[str, Any]) -> dict[str, Any]:
        if self.login_latency:
            time.sleep(self.login_latency)
        safe = {k: v for k, v in data.items() if k not in ("PASSWORD", "TOKEN")}
        self.logins.append(safe)
        account = str(data.get("ACCOUNT_NAME") or "")
        if account.lower() != self.account.split(".")[0].lower():
            raise UnknownAccount(account)
        if self.network_policy_blocks:
            return _fail("390422", "Incoming request with IP/Token 127.0.0.1 is not allowed to access Snowflake.")
        user = self.users.get(str(data.get("LOGIN_NAME") or "").upper())
        authenticator = str(data.get("AUTHENTICATOR") or "SNOWFLAKE").upper()
        ok = False
        if authenticator == "OAUTH":
            token_user = next((u for u in self.users.values() if u.token and u.token == data.get("TOKEN")), None)
            user, ok = token_user, token_user is not None
            if not ok:
                return _fail("390303", "Invalid OAuth access token. ")
        elif user is not None and authenticator == "SNOWFLAKE_JWT":
            ok = user.any_jwt and bool(data.get("TOKEN"))
            if not ok:
                return _fail("390144", "JWT token is invalid.")
        elif user is not None and user.password is not None:
            ok = data.get("PASSWORD") == user.password
        if not ok or user is None:
            return _fail("390100", "Incorrect username or password was specified.")
        token = f"session-{uuid.uuid4().hex}"
        with self._lock:
            self.sessions[token] = user.role
        return {
            "success": True,
            "code": None,
            "message": None,
            "data": {
                "token": token,
                "masterToken": f"master-{uuid.uuid4().hex}",
                "validityInSeconds": 3600,
                "masterValidityInSeconds": 14400,
                "sessionId": next(self._ids),
                "serverVersion": "9.30.0",
                "parameters": [{"name": "AUTOCOMMIT", "value": True}],
                "sessionInfo": {"databaseName": None, "schemaName": None, "warehouseName": None, "roleName": user.role},
            },
        }

    def query(self, token: str, sql: str) -> dict[str, Any]:
        with self._lock:
            self.statements.append(sql)
            role = self.sessions.get(token)
        if self.latency:
            time.sleep(self.latency)
        query_id = str(uuid.uuid4())
        if role is None:
            return _fail("390112", "Your session has expired. Please login again.")
        try:
            columns, rows = self._execute(sql, role)
        except SqlError as exc:
            return {
                "success": False,
                "code": exc.code,
                "message": exc.message,
                "data": {"errorCode": exc.code, "sqlState": exc.sql_state, "queryId": query_id},
            }
        return {
            "success": True,
            "code": None,
            "message": None,
            "data": {
                "queryResultFormat": "json",
                "rowtype": [_column(name, kind) for name, kind in columns],
                "rowset": rows,
                "total": len(rows),
                "returned": len(rows),
                "queryId": query_id,
                "statementTypeId": 4096,
                "parameters": [],
                "finalDatabaseName": None,
                "finalSchemaName": None,
                "finalWarehouseName": None,
                "finalRoleName": role,
            },
        }

    def _execute(self, sql: str, role: str) -> tuple[tuple[tuple[str, str], ...], list[list[str | None]]]:
        host = f"{self.account}.snowflakecomputing.com"
        if m := _SHOW.match(sql):
            pattern = m.group(1)
            rows = []
            for si in sorted(self.integrations.values(), key=lambda s: s.name):
                if pattern and not _like(pattern, si.name):
                    continue
                created = f"{si.created_on.timestamp():.9f}"
                rows.append([si.name, si.type, "SECURITY", "true" if si.enabled else "false", si.comment, created])
            return SHOW_COLUMNS, rows
        if m := _DESC.match(sql):
            name = m.group(1)
            key = name[1:-1] if name.startswith('"') else name.upper()
            si = self.integrations.get(key)
            if si is None:
                raise SqlError(
                    "002003", "02000", f"SQL compilation error:\nIntegration '{key}' does not exist or not authorized."
                )
            if si.describe_needs_ownership and role.upper() != si.owner.upper():
                raise SqlError(
                    "003001",
                    "42501",
                    f"SQL access control error:\nInsufficient privileges to operate on integration '{key}'",
                )
            return DESC_COLUMNS, si.describe_rows(host)
        if m := _SECRETS.match(sql):
            name = m.group(1)
            si = self.integrations.get(name)  # case-sensitive: the docs require upper case
            if si is None:
                raise SqlError(
                    "002003", "02000", f"SQL compilation error:\nIntegration '{name}' does not exist or not authorized."
                )
            if role.upper() != si.owner.upper():
                raise SqlError(
                    "003001",
                    "42501",
                    f"SQL access control error:\nInsufficient privileges to operate on integration '{name}'",
                )
            cell = json.dumps(
                {
                    "OAUTH_CLIENT_SECRET_2": si.client_secret_2,
                    "OAUTH_CLIENT_SECRET": si.client_secret,
                    "OAUTH_CLIENT_ID": si.client_id,
                }
            )
            return ((f"SYSTEM$SHOW_OAUTH_CLIENT_SECRETS('{name}')", "text"),), [[cell]]
        raise SqlError(
            "001003", "42000", "SQL compilation error:\nsyntax error line 1 at position 0 unexpected statement."
        )


def _like(pattern: str, name: str) -> bool:
    regex = "^" + re.escape(pattern).replace("%", ".*").replace("_", ".") + "$"
    return re.match(regex, name, re.I) is not None


def _column(name: str, kind: str) -> dict[str, Any]:
    return {
        "name": name,
        "database": "",
        "schema": "",
        "table": "",
        "type": kind,
        "length": 16777216 if kind == "text" else None,
        "byteLength": 16777216 if kind == "text" else None,
        "precision": None,
        "scale": 9 if kind.startswith("timestamp") else None,
        "nullable": True,
        "collation": None,
    }


def _fail(code: str, message: str) -> dict[str, Any]:
    return {"success": False, "code": code, "message": message, "data": {"errorCode": code}}


class _Handler(BaseHTTPRequestHandler):
    server_state: FakeSnowflake
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _body(self) -> dict[str, Any]:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if self.headers.get("Content-Encoding", "").lower() == "gzip" or raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        try:
            return json.loads(raw or b"{}")
        except json.JSONDecodeError:
            return {}

    def _send(self, payload: dict[str, Any], status: int = 200) -> None:
        body = json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client timed out and hung up
            self.close_connection = True

    def _forbidden(self) -> None:
        body = b"<html><body>403 Forbidden</body></html>"
        self.send_response(403)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        fake = self.server_state
        path = self.path.split("?", 1)[0]
        fake.requests.append(path)
        body = self._body()
        if path == "/session/v1/login-request":
            try:
                self._send(fake.login(body.get("data") or {}))
            except UnknownAccount:
                self._forbidden()
        elif path == "/queries/v1/query-request":
            auth = self.headers.get("Authorization", "")
            token = auth[len('Snowflake Token="') : -1] if auth.startswith('Snowflake Token="') else ""
            self._send(fake.query(token, str(body.get("sqlText") or "")))
        elif path == "/session" and "delete=true" in self.path:
            auth = self.headers.get("Authorization", "")
            token = auth[len('Snowflake Token="') : -1] if auth.startswith('Snowflake Token="') else ""
            with fake._lock:
                fake.sessions.pop(token, None)
            self._send({"success": True, "code": None, "message": None, "data": None})
        else:  # heartbeat, token renewal, telemetry, abort
            self._send({"success": True, "code": None, "message": None, "data": None})

    def do_GET(self) -> None:
        self.server_state.requests.append(self.path.split("?", 1)[0])
        self._send({"success": True, "code": None, "message": None, "data": None})
