"""``[providers.snowflake]``: how oauthlint logs in to Snowflake (validated without importing the connector).

Either a named connection from the connector's own ``connections.toml``::

    [providers.snowflake]
    connection_name = "audit"                 # ~/.snowflake/connections.toml [audit]
    connections_file = "/etc/snowflake/connections.toml"   # optional

or the connection itself: ``user`` plus exactly one of ``password``, ``private_key_file`` (with optional
``private_key_passphrase``), ``token`` (an OAuth access token) or ``authenticator = "externalbrowser"``::

    [providers.snowflake]
    account = "myorg-myaccount"               # optional: defaults to the integration's account
    user = "OAUTHLINT"
    private_key_file = "~/.snowflake/oauthlint.p8"
    private_key_passphrase = "${env:SNOWFLAKE_KEY_PASSPHRASE}"
    role = "OAUTHLINT_AUDITOR"                # needs USAGE on the integrations (OWNERSHIP for SF006)

Several accounts: a list of such tables (``[[providers.snowflake]]``), each with ``account``; an
integration uses the table whose ``account`` is its own, else the one without ``account``.
``host``, ``port`` and ``protocol`` override where the connector connects (private link, tests);
``login_timeout`` and ``query_timeout`` are seconds; ``parallel_queries`` (default 8) bounds concurrent
DESCRIBE queries. Secret values may be ``${env:…}``/``${file:…}``
references (they arrive as :class:`~oauthlint.model.Secret`) or literals.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oauthlint.errors import ConfigError
from oauthlint.model import Secret
from oauthlint.providers.snowflake.account import AccountError, parse_account
from oauthlint.validation import reject_unknown_keys

AUTHENTICATORS = ("snowflake", "snowflake_jwt", "oauth", "externalbrowser")
_STR_KEYS = ("connection_name", "account", "user", "authenticator", "role", "warehouse", "host", "protocol")
_SECRET_KEYS = ("password", "private_key_passphrase", "token")
_PATH_KEYS = ("connections_file", "private_key_file")
_INT_KEYS = ("port", "login_timeout", "query_timeout", "parallel_queries")
KNOWN_KEYS = frozenset((*_STR_KEYS, *_SECRET_KEYS, *_PATH_KEYS, *_INT_KEYS))


@dataclass(frozen=True)
class ConnectionSettings:
    """One way to log in. ``__repr__`` never shows a secret (they are :class:`Secret`)."""

    where: str
    connection_name: str | None = None
    connections_file: Path | None = None
    account: str | None = None
    user: str | None = None
    authenticator: str | None = None
    password: Secret | None = None
    private_key_file: Path | None = None
    private_key_passphrase: Secret | None = None
    token: Secret | None = None
    role: str | None = None
    warehouse: str | None = None
    host: str | None = None
    port: int | None = None
    protocol: str | None = None
    login_timeout: int = 30
    query_timeout: int = 60
    parallel_queries: int = 8
    """How many DESCRIBE queries run at once on the connection (``--all`` over many integrations)."""

    @property
    def method(self) -> str:
        """``connection <name>``, ``password``, ``key pair``, ``OAuth token`` or ``external browser``."""
        if self.connection_name:
            return f"connection {self.connection_name!r}"
        if self.authenticator == "externalbrowser":
            return "external browser"
        if self.token is not None:
            return "OAuth token"
        if self.private_key_file is not None:
            return "key pair"
        return "password"


@dataclass(frozen=True)
class SnowflakeSettings:
    connections: tuple[ConnectionSettings, ...]

    def for_account(self, scope: str) -> ConnectionSettings | None:
        """The connection for an account (normal form), else the one without ``account``."""
        fallback = None
        for conn in self.connections:
            if conn.account is None:
                fallback = fallback or conn
            elif parse_account(conn.account).scope == scope:
                return conn
        return fallback


def parse_settings(raw: Any, where: str) -> SnowflakeSettings:
    if raw is None:
        return SnowflakeSettings(())
    if isinstance(raw, Mapping):
        return SnowflakeSettings((_one(raw, where),))
    if isinstance(raw, Sequence) and not isinstance(raw, str):
        conns = tuple(_one(item, f"{where}[{i}]") for i, item in enumerate(raw))
        if sum(c.account is None for c in conns) > 1:
            raise ConfigError(f"{where}: with several connections, at most one may omit 'account'")
        return SnowflakeSettings(conns)
    raise ConfigError(f"{where}: expected a table or a list of tables, got {type(raw).__name__}")


def _one(raw: Any, where: str) -> ConnectionSettings:
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{where}: expected a table, got {type(raw).__name__}")
    reject_unknown_keys(raw, sorted(KNOWN_KEYS), where)
    values: dict[str, Any] = {}
    for key, value in raw.items():
        values[key] = _typed(key, value, where)
    authenticator = values.get("authenticator")
    if authenticator is not None:
        authenticator = authenticator.lower()
        if authenticator not in AUTHENTICATORS:
            raise ConfigError(f"{where}.authenticator: {authenticator!r} is not one of {', '.join(AUTHENTICATORS)}")
        values["authenticator"] = authenticator
    if values.get("account") is not None:
        try:
            parse_account(values["account"])
        except AccountError as exc:
            raise ConfigError(f"{where}.account: {exc}") from None
    if values.get("protocol") not in (None, "https", "http"):
        raise ConfigError(f"{where}.protocol: expected 'https' or 'http'")
    settings = ConnectionSettings(where=where, **values)
    _check_method(settings, where)
    return settings


def _typed(key: str, value: Any, where: str) -> Any:
    if key in _SECRET_KEYS:
        if isinstance(value, Secret):
            return value
        if isinstance(value, str):
            return Secret(value, source=f"{where}.{key}")
        raise ConfigError(f"{where}.{key}: expected a string or a ${{env:VAR}} / ${{file:PATH}} reference")
    if isinstance(value, Secret):  # a ${env:…}/${file:…} reference on a key that is not secret (user, account …)
        value = value.reveal()
    if key in _INT_KEYS:
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ConfigError(f"{where}.{key}: expected a positive integer")
        return value
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}.{key}: expected a non-empty string")
    if key in _PATH_KEYS:
        return Path(value).expanduser()
    return value.strip()


def _check_method(s: ConnectionSettings, where: str) -> None:
    if s.connection_name:
        return
    given = [
        name
        for name, present in (
            ("password", s.password is not None),
            ("private_key_file", s.private_key_file is not None),
            ("token", s.token is not None),
            ("authenticator = 'externalbrowser'", s.authenticator == "externalbrowser"),
        )
        if present
    ]
    if len(given) > 1:
        raise ConfigError(f"{where}: choose one way to log in, not {' and '.join(given)}")
    if s.token is None and not s.user:
        raise ConfigError(
            f"{where}: set connection_name (a connections.toml entry) or user plus one of password, "
            "private_key_file, token, authenticator = 'externalbrowser'"
        )
    if not given:
        raise ConfigError(
            f"{where}: user {s.user!r} needs one of password, private_key_file, token or "
            "authenticator = 'externalbrowser'"
        )
    if s.private_key_passphrase is not None and s.private_key_file is None:
        raise ConfigError(f"{where}.private_key_passphrase: only meaningful with private_key_file")
