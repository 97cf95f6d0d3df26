"""Live fetcher: reads security integrations with ``snowflake-connector-python`` (imported lazily).

Read-only by construction: :meth:`Session.run` refuses any statement other than ``SHOW …``,
``DESC[RIBE] …`` and ``SELECT SYSTEM$SHOW_OAUTH_CLIENT_SECRETS(…)`` (other SYSTEM$ functions can act:
SYSTEM$ABORT_SESSION, SYSTEM$GENERATE_SCIM_ACCESS_TOKEN …). Queries per lookup: ``SHOW SECURITY INTEGRATIONS``, one
``DESCRIBE`` per OAuth integration (in parallel, ``parallel_queries`` at a time; only the named one
when ``integration_name`` is set) and one ``SYSTEM$SHOW_OAUTH_CLIENT_SECRETS`` for the match.

Every connector error becomes a one-line :class:`ProviderError` built from its error number and a
fixed description (never the connector's own text with request ids, never a secret). Client secrets
read for SF006 are compared in constant time inside :meth:`Session.compare_secret` and dropped.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from oauthlint.errors import ProviderError
from oauthlint.model import Integration, Secret
from oauthlint.providers.snowflake.account import Account, AccountError, parse_account, resolve
from oauthlint.providers.snowflake.settings import ConnectionSettings, SnowflakeSettings
from oauthlint.providers.snowflake.snapshot import (
    Lookup,
    SecretComparison,
    SecretOutcome,
    SecurityIntegration,
    SnowflakeSnapshot,
    compare_secret,
    integration_from_properties,
    parse_secrets_cell,
)

PROVIDER = "snowflake"
READ_ONLY = re.compile(r"^\s*(SHOW\s|DESC\s|DESCRIBE\s|SELECT\s+SYSTEM\$SHOW_OAUTH_CLIENT_SECRETS\s*\()", re.I)
OAUTH_TYPE = re.compile(r"^OAUTH\s*-", re.I)
"""SHOW's ``type`` for Snowflake OAuth integrations (``OAUTH - CUSTOM``, ``OAUTH - TABLEAU_DESKTOP`` …),
not External OAuth (``EXTERNAL_OAUTH - …``), which has no client id or secret in Snowflake."""
DEFAULT_PARALLEL = 8


def is_read_only(sql: str) -> bool:
    """One SHOW / DESCRIBE / SELECT SYSTEM$SHOW_OAUTH_CLIENT_SECRETS statement, nothing chained after a semicolon."""
    return READ_ONLY.match(sql) is not None and ";" not in sql.strip().rstrip(";")


class ReadOnlyViolation(AssertionError):
    """A statement that is not SHOW / DESCRIBE / SELECT SYSTEM$SHOW_OAUTH_CLIENT_SECRETS was about to be sent."""


@dataclass(frozen=True)
class ShowRow:
    name: str
    type: str
    enabled: bool | None
    created_on: datetime | None


# -- connector errors -> one line ----------------------------------------------------------------------

_LOGIN_REASONS: dict[int, str] = {
    390100: "incorrect user name or password",
    390422: "a network policy does not allow this client's IP address",
    390303: "the OAuth access token is invalid",
    390318: "the OAuth access token has expired",
    390144: "the key-pair JWT was rejected (public key not assigned to the user, or wrong key)",
    390112: "the session expired",
}


def describe_error(exc: BaseException, secrets: Sequence[Secret | None] = ()) -> str:
    """A one-line reason naming the connector's error number; never request ids, never a secret."""
    errno = getattr(exc, "errno", None)
    sqlstate = getattr(exc, "sqlstate", None)
    raw = str(getattr(exc, "raw_msg", None) or getattr(exc, "msg", None) or exc)
    text = " ".join(raw.split())
    code = f" ({errno:06d})" if isinstance(errno, int) and errno > 0 else ""
    if isinstance(errno, int) and errno in _LOGIN_REASONS:
        reason = _LOGIN_REASONS[errno]
    elif errno == 14 or "timed out" in text.lower() or sqlstate == "HYT00":
        match = re.search(r"timed out after \d+s", text)
        reason = match.group(0) if match else "timed out"
    elif "403 Forbidden" in text or re.search(r"\b403\b", text):
        reason = "Snowflake answered 403 Forbidden: the account identifier names no account (or the host is wrong)"
    elif "Connection refused" in text:
        reason = "connection refused"
    elif re.search(r"dns|resolve|lookup address|Name or service not known", text, re.I):
        reason = "the account host name does not resolve"
    elif re.search(r"certificate|tls|ssl", text, re.I):
        reason = "TLS failure (certificate not trusted or hostname mismatch)"
    elif errno in (7, 251001, 251005, 251006, 251007):
        reason = "the connector rejected the connection settings: " + _config_issue(text)
    elif errno == 3001 or sqlstate == "42501":
        reason = "insufficient privileges"
    elif errno == 2003:
        reason = "object does not exist or not authorized"
    else:
        first = re.sub(r"\s*\((request_id|sfqid)=[^)]*\)", "", text)
        first = re.sub(r"^\d{6} \([0-9A-Z]{5}\): ", "", first)
        reason = first[:160] or type(exc).__name__
    return _redact(reason + code, secrets)


def _config_issue(text: str) -> str:
    """The first issue the connector names (its texts carry parameter names, never values)."""
    if match := re.search(r"Connection '[^']+' not found in config files", text):
        return match.group(0)
    if match := re.search(r"\((\d+) issue\(s\)\): ([^;]+)", text):
        more = int(match.group(1)) - 1
        return match.group(2).strip() + (f" (and {more} more)" if more > 0 else "")
    match = re.search(r"(\w+): (Invalid character '.' in account identifier)", text)
    return f"{match.group(1)}: {match.group(2)}" if match else "invalid or missing parameter"


def _redact(text: str, secrets: Sequence[Secret | None]) -> str:
    for secret in secrets:
        if secret is not None and secret.reveal() and secret.reveal() in text:
            text = text.replace(secret.reveal(), "<redacted>")
    return text


# -- connection ----------------------------------------------------------------------------------------


def connect_kwargs(conn: ConnectionSettings, account: Account | None) -> dict[str, Any]:
    """Keyword arguments for ``snowflake.connector.connect`` (contains secrets: never log it)."""
    kwargs: dict[str, Any] = {"login_timeout": conn.login_timeout}
    if conn.connection_name:
        kwargs["connection_name"] = conn.connection_name
        if conn.connections_file is not None:
            kwargs["connections_file_path"] = str(conn.connections_file)
    else:
        if account is None:
            raise ProviderError(PROVIDER, "log in", "no account: set account in [providers.snowflake] or pass one")
        kwargs["account"] = account.identifier if conn.account is None else conn.account
        kwargs["host"] = account.host
        if conn.user:
            kwargs["user"] = conn.user
        if conn.password is not None:
            kwargs["password"] = conn.password.reveal()
        elif conn.private_key_file is not None:
            kwargs["authenticator"] = "SNOWFLAKE_JWT"
            kwargs["private_key_file"] = str(conn.private_key_file)
            if conn.private_key_passphrase is not None:
                kwargs["private_key_file_pwd"] = conn.private_key_passphrase.reveal()
        elif conn.token is not None:
            kwargs["authenticator"] = "oauth"
            kwargs["token"] = conn.token.reveal()
        elif conn.authenticator == "externalbrowser":
            kwargs["authenticator"] = "externalbrowser"
    for key in ("role", "warehouse", "host", "port", "protocol"):
        value = getattr(conn, key)
        if value is not None:
            kwargs[key] = value
    return kwargs


def _connector_major() -> int:
    from snowflake.connector.version import VERSION  # type: ignore[import-untyped]

    return int(VERSION[0])


@contextmanager
def open_connection(conn: ConnectionSettings, account: Account | None) -> Iterator[Any]:
    """Log in; every failure is a ProviderError naming the account, user/method and the error number."""
    import snowflake.connector  # type: ignore[import-untyped]

    kwargs = connect_kwargs(conn, account)
    if _connector_major() >= 5:
        if "private_key_file_pwd" in kwargs:
            kwargs["private_key_password"] = kwargs.pop("private_key_file_pwd")
        kwargs["query_timeout"] = conn.query_timeout
        kwargs["enable_server_session_keep_alive_auto_detection"] = False
    who = f"as {conn.user}" if conn.user else f"with {conn.method}"
    target = f"to account {account.identifier} " if account is not None else ""
    operation = f"log in {target}{who}"
    secrets = (conn.password, conn.token, conn.private_key_passphrase)
    try:
        connection = snowflake.connector.connect(**kwargs)
    except Exception as exc:  # the connector raises many kinds; none may escape raw
        raise ProviderError(PROVIDER, operation, describe_error(exc, secrets)) from None
    finally:
        kwargs.clear()
    try:
        yield connection
    finally:
        with suppress(Exception):  # closing a session must not hide the result
            connection.close()


class Session:
    """Read-only queries on one connection."""

    def __init__(self, connection: Any, account: Account, parallel: int = DEFAULT_PARALLEL) -> None:
        self.connection = connection
        self.account = account
        self.parallel = max(1, parallel)
        self.queries = 0

    @property
    def role(self) -> str:
        try:
            return str(self.connection.role or "")
        except Exception:
            return ""

    def run(self, sql: str) -> list[dict[str, Any]]:
        """Execute one read-only statement; rows as dicts with lower-case column names."""
        if not is_read_only(sql):
            raise ReadOnlyViolation(f"refusing to send a statement that is not read-only: {sql.split()[0]!r}")
        self.queries += 1
        cursor = self.connection.cursor()
        try:
            cursor.execute(sql)
            columns = [str(d[0]).lower() for d in cursor.description or ()]
            return [dict(zip(columns, row, strict=False)) for row in cursor.fetchall()]
        finally:
            cursor.close()

    def show_oauth_integrations(self, like: str | None = None) -> list[ShowRow]:
        sql = "SHOW SECURITY INTEGRATIONS" + (f" LIKE '{like}'" if like else "")
        try:
            rows = self.run(sql)
        except ProviderError:
            raise
        except Exception as exc:
            raise ProviderError(PROVIDER, sql, describe_error(exc)) from None
        found = []
        for row in rows:
            kind = str(row.get("type") or "")
            if OAUTH_TYPE.match(kind):
                created = row.get("created_on")
                found.append(
                    ShowRow(
                        name=str(row.get("name") or ""),
                        type=kind,
                        enabled=row.get("enabled") if isinstance(row.get("enabled"), bool) else None,
                        created_on=created if isinstance(created, datetime) else None,
                    )
                )
        return found

    def describe(self, show: ShowRow) -> SecurityIntegration:
        sql = f"DESCRIBE SECURITY INTEGRATION {quote_identifier(show.name)}"
        try:
            rows = self.run(sql)
        except Exception as exc:
            raise ProviderError(PROVIDER, f"DESCRIBE SECURITY INTEGRATION {show.name}", describe_error(exc)) from None
        properties = {
            str(r.get("property") or "").upper(): (
                None if r.get("property_value") is None else str(r["property_value"])
            )
            for r in rows
            if r.get("property")
        }
        return integration_from_properties(show.name, properties, kind=show.type, created_on=_utc(show.created_on))

    def describe_all(self, shows: Sequence[ShowRow]) -> tuple[list[SecurityIntegration], list[ProviderError]]:
        """DESCRIBE each, ``parallel`` at a time on this connection (the connector allows shared connections).

        Returns the integrations described and, separately, the DESCRIBEs that failed (e.g. 003001 on an
        integration the role may list but not describe), so one refusal does not hide the others.
        """

        def one(show: ShowRow) -> SecurityIntegration | ProviderError:
            try:
                return self.describe(show)
            except ProviderError as exc:
                return exc

        if len(shows) <= 1 or self.parallel == 1:
            results = [one(s) for s in shows]
        else:
            with ThreadPoolExecutor(max_workers=min(self.parallel, len(shows))) as pool:
                results = list(pool.map(one, shows))
        done = [r for r in results if isinstance(r, SecurityIntegration)]
        failed = [r for r in results if isinstance(r, ProviderError)]
        return done, failed

    def compare_secret(self, name: str, configured: Secret) -> SecretComparison:
        """SYSTEM$SHOW_OAUTH_CLIENT_SECRETS, compared at once and dropped; UNAVAILABLE when not permitted."""
        sql = f"SELECT SYSTEM$SHOW_OAUTH_CLIENT_SECRETS('{name.replace(chr(39), chr(39) * 2)}')"
        try:
            rows = self.run(sql)
        except Exception as exc:
            errno = getattr(exc, "errno", None)
            if errno == 3001 or getattr(exc, "sqlstate", None) == "42501":
                role = f"role {self.role}" if self.role else "the connection's role"
                detail = (
                    f"SYSTEM$SHOW_OAUTH_CLIENT_SECRETS needs OWNERSHIP of {name}, which {role} lacks (003001); "
                    "run oauthlint with the integration's owner role to compare the secret"
                )
            else:
                detail = f"SYSTEM$SHOW_OAUTH_CLIENT_SECRETS('{name}') failed: {describe_error(exc, (configured,))}"
            return SecretComparison(SecretOutcome.UNAVAILABLE, detail)
        cell = next(iter(rows[0].values()), None) if rows else None
        try:
            secrets = parse_secrets_cell(cell, f"SYSTEM$SHOW_OAUTH_CLIENT_SECRETS('{name}')")
        except Exception:
            return SecretComparison(
                SecretOutcome.UNAVAILABLE, "SYSTEM$SHOW_OAUTH_CLIENT_SECRETS returned no JSON object"
            )
        finally:
            rows.clear()
            del cell
        try:
            return compare_secret(configured, secrets)
        finally:
            secrets.clear()


def quote_identifier(name: str) -> str:
    """Unquoted when it is a plain upper-case identifier, else a double-quoted one."""
    if re.fullmatch(r"[A-Z_][A-Z0-9_$]*", name):
        return name
    return '"' + name.replace('"', '""') + '"'


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


# -- entry points ---------------------------------------------------------------------------------------


def choose_connection(settings: Any, account: Account | None) -> ConnectionSettings:
    if isinstance(settings, ConnectionSettings):
        return settings
    if isinstance(settings, SnowflakeSettings) and account is None and len(settings.connections) == 1:
        return settings.connections[0]
    if isinstance(settings, SnowflakeSettings) and account is not None:
        conn = settings.for_account(account.scope)
        if conn is not None:
            return conn
        if settings.connections:
            raise ProviderError(
                PROVIDER, "choose a connection", f"no [providers.snowflake] entry for account {account.identifier}"
            )
    raise ProviderError(
        PROVIDER,
        "choose a connection",
        "no [providers.snowflake] settings: set connection_name (connections.toml) or user plus a login method",
    )


@contextmanager
def open_session(settings: Any, account: Account | None) -> Iterator[Session]:
    """Log in for ``account`` (None: the connection's own account, e.g. a named connection) and query."""
    conn = choose_connection(settings, account)
    if account is None and conn.account is not None:
        account = parse_account(conn.account)
    with open_connection(conn, account) as connection:
        connected = _connected_account(connection)
        if account is None:
            account = connected_account(connected)
        elif conn.connection_name and connected and _first_label(connected) != _first_label(account.account_name):
            raise ProviderError(
                PROVIDER,
                f"use connection {conn.connection_name!r}",
                f"it logs in to account {connected}, but the integration lives in {account.identifier}",
            )
        yield Session(connection, account, conn.parallel_queries)


def _first_label(name: str) -> str:
    return name.split(".")[0].lower().replace("_", "-")


def _connected_account(connection: Any) -> str:
    try:
        return str(connection.account or "")
    except Exception:
        return ""


def connected_account(name: str) -> Account:
    """The account a named connection logged in to (as the connector reports it)."""
    try:
        return parse_account(name)
    except AccountError:
        return Account(name, f"{name.lower()}.snowflakecomputing.com")


@dataclass(frozen=True)
class AccountIndex:
    """Every OAuth integration of one account as one login saw it (SHOW + one DESCRIBE each)."""

    integrations: tuple[SecurityIntegration, ...]
    failures: tuple[ProviderError, ...]
    built: float

    def find(self, client_id: str | None) -> tuple[SecurityIntegration | None, int]:
        """Exact OAUTH_CLIENT_ID match; ProviderError when absent but some DESCRIBE failed (SF001 uncertain)."""
        searched = len(self.integrations) + len(self.failures)
        for si in self.integrations:
            if client_id is not None and si.client_id == client_id:
                return si, searched
        if self.failures:
            first = self.failures[0]
            others = f" and {len(self.failures) - 1} more" if len(self.failures) > 1 else ""
            raise ProviderError(PROVIDER, first.operation + others, first.reason)
        return None, searched


INDEX_TTL = 120.0
"""Seconds an account index is reused by later lookups in the same process (``check`` over many integrations)."""
_indexes: dict[tuple[ConnectionSettings, str], AccountIndex] = {}
_index_locks: dict[tuple[ConnectionSettings, str], threading.Lock] = {}
_registry_lock = threading.Lock()


def clear_index_cache() -> None:
    with _registry_lock:
        _indexes.clear()
        _index_locks.clear()


def cached_index(key: tuple[ConnectionSettings, str]) -> AccountIndex | None:
    with _registry_lock:
        index = _indexes.get(key)
    if index is not None and time.monotonic() - index.built < INDEX_TTL:
        return index
    return None


def account_index(session: Session, key: tuple[ConnectionSettings, str]) -> AccountIndex:
    """The account's index, built once per key and TTL even when many lookups run concurrently."""
    with _registry_lock:
        lock = _index_locks.setdefault(key, threading.Lock())
    with lock:
        index = cached_index(key)
        if index is None:
            described, failed = session.describe_all(session.show_oauth_integrations())
            index = AccountIndex(tuple(described), tuple(failed), time.monotonic())
            with _registry_lock:
                _indexes[key] = index
        return index


def find_named(session: Session, name: str) -> SecurityIntegration | None:
    """The integration called ``name`` (one SHOW … LIKE and one DESCRIBE), else None."""
    pattern = name.upper().replace("\\", "\\\\").replace("'", "''")
    shows = [s for s in session.show_oauth_integrations(pattern) if s.name.upper() == name.upper()]
    described, failed = session.describe_all(shows[:1])
    if failed:
        raise failed[0]
    return described[0] if described else None


def fetch(integration: Integration, settings: Any) -> SnowflakeSnapshot:
    """``Provider.fetch``: validate the account (SF007) before connecting, then look the integration up.

    With ``integration_name`` set: SHOW … LIKE and one DESCRIBE. Otherwise the account index (SHOW and a
    DESCRIBE per OAuth integration, shared by every lookup in the account for INDEX_TTL seconds). Plus
    one SYSTEM$SHOW_OAUTH_CLIENT_SECRETS when a secret is configured.
    """
    try:
        account = resolve(integration.options)
    except AccountError:
        return SnowflakeSnapshot(scope="", integration=None, lookup=Lookup.SKIPPED)
    name = str(integration.options.get("integration_name") or "") or None
    if not integration.client_id and not name:
        return SnowflakeSnapshot(account.scope, None, lookup=Lookup.NOT_FOUND)
    conn = choose_connection(settings, account)
    key = (conn, account.scope)
    wants_secret = integration.client_secret is not None and bool(integration.client_secret)
    index = cached_index(key) if name is None else None
    if index is not None and not wants_secret:
        si, searched = index.find(integration.client_id)
        return _snapshot(account, si, searched, SecretComparison())
    with open_session(conn, account) as session:
        si = find_named(session, name) if name else None
        searched = 1 if si is not None else 0
        if si is None:
            si, searched = account_index(session, key).find(integration.client_id)
        secret = SecretComparison()
        if si is not None and wants_secret and integration.client_secret is not None:
            secret = session.compare_secret(si.name, integration.client_secret)
    return _snapshot(account, si, searched, secret)


def _snapshot(
    account: Account, si: SecurityIntegration | None, searched: int, secret: SecretComparison
) -> SnowflakeSnapshot:
    if si is None:
        return SnowflakeSnapshot(account.scope, None, lookup=Lookup.NOT_FOUND, searched=searched)
    return SnowflakeSnapshot(account.scope, si, lookup=Lookup.FOUND, searched=searched, secret=secret)
