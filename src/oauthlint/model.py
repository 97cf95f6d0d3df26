"""The plain types every part of oauthlint shares: severities, rules, secrets, integrations, findings.

Nothing here does I/O, and nothing here imports a provider's client library.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import re
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

CALLBACK_PATH = "/__oauth__/integrations/callback"


class Severity(enum.IntEnum):
    """Ordered, so that ``--fail-on`` is a comparison: info < warning < error."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    def __str__(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r}; expected info, warning or error") from None


class AuthType(enum.StrEnum):
    """Connect's auth types: a viewer logs in (authorization code), a service account does not."""

    VIEWER = "viewer"
    SERVICE_ACCOUNT = "service-account"

    def __str__(self) -> str:
        return self.value


class AuthMode(enum.StrEnum):
    """Whether Connect authenticates to the provider with a client secret."""

    CONFIDENTIAL = "confidential"
    PUBLIC = "public"

    def __str__(self) -> str:
        return self.value


class Secret:
    """A secret value that never shows itself.

    ``str()``, ``repr()``, formatting and pickling all refuse to reveal the value; code that must send
    it to a provider calls :meth:`reveal`. Comparison is constant-time (:meth:`matches`).
    """

    __slots__ = ("__weakref__", "_value", "source")

    def __init__(self, value: str, source: str = "inline") -> None:
        self._value = value
        self.source = source
        _LIVE_SECRETS.add(self)

    def reveal(self) -> str:
        return self._value

    def matches(self, other: str | None) -> bool:
        """Constant-time comparison with a provider-side secret."""
        if other is None:
            return False
        return hmac.compare_digest(self._value.encode(), other.encode())

    @property
    def prefix3(self) -> str:
        """The first three characters: what Microsoft Graph publishes as a password credential's ``hint``."""
        return self._value[:3]

    def __repr__(self) -> str:
        return f"Secret(<redacted, from {self.source}>)"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return repr(self)

    def __reduce__(self) -> Any:
        raise TypeError("a Secret cannot be pickled")

    def __bool__(self) -> bool:
        return bool(self._value)


_LIVE_SECRETS: weakref.WeakSet[Secret] = weakref.WeakSet()


URL_CREDENTIALS = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@]+@")


def scrub_known_secrets(text: str) -> str:
    """Replace the value of every Secret this process holds, and any ``user:password@`` in a URL: the last line
    of defence for error text."""
    for value in sorted({s.reveal() for s in list(_LIVE_SECRETS)}, key=len, reverse=True):
        if len(value) >= 4:
            text = text.replace(value, "***")
    return URL_CREDENTIALS.sub(r"\1***@", text)


@dataclass(frozen=True)
class Integration:
    """The consumer-side configuration of one OAuth integration (what Connect holds)."""

    name: str
    provider: str
    auth_type: AuthType = AuthType.VIEWER
    auth_mode: AuthMode = AuthMode.CONFIDENTIAL
    client_id: str | None = None
    client_secret: Secret | None = None
    scopes: tuple[str, ...] = ()
    connect_server: str | None = None
    snapshot: Path | None = None
    options: Mapping[str, Any] = field(default_factory=dict)
    """Provider-specific keys (``tenant_id``, ``realm``, ``account`` …), validated by the provider."""
    source: str = ""
    """Where the integration was defined, for messages: ``oauthlint.toml: integrations[2]``."""
    secret_unknown: bool = False
    """True when the integration came from a source that never reveals secrets (Connect's API) and the config
    supplied none: the secret may well exist, oauthlint just cannot see it."""

    @property
    def callback_url(self) -> str | None:
        """The redirect URI Connect sends: ``<connect_server>/__oauth__/integrations/callback``."""
        if not self.connect_server:
            return None
        return self.connect_server.rstrip("/") + CALLBACK_PATH

    @property
    def needs_login(self) -> bool:
        """Viewer integrations run the authorization-code flow (redirect, refresh tokens)."""
        return self.auth_type is AuthType.VIEWER


@dataclass(frozen=True)
class Rule:
    """One catalog entry. Codes are a contract: users put them in ignore lists and suppressions."""

    code: str
    name: str
    severity: Severity
    summary: str
    """One line: what the rule checks."""
    prevents: str
    """The runtime error this rule predicts, quoted as users meet it; "" for hygiene rules."""
    remediation: str
    why: str = ""
    bad: str = ""
    good: str = ""
    references: tuple[str, ...] = ()
    error_patterns: tuple[str, ...] = ()
    """Case-insensitive regular expressions that ``oauthlint explain`` matches pasted error text against."""
    provider: str = "core"


@dataclass(frozen=True)
class Finding:
    """One problem found. ``scope`` is the tenant, realm or account the object lives in."""

    rule: Rule
    integration: str
    provider: str
    message: str
    resource: str = ""
    scope: str = ""
    object_id: str = ""
    """A stable provider-side id (appId, client uuid, keyId …) that distinguishes findings of one rule."""
    severity: Severity | None = None
    note: str = ""

    def __post_init__(self) -> None:
        if self.severity is None:
            object.__setattr__(self, "severity", self.rule.severity)

    @property
    def level(self) -> Severity:
        return self.severity if self.severity is not None else self.rule.severity

    @property
    def code(self) -> str:
        return self.rule.code

    @property
    def fingerprint(self) -> str:
        """Stable across runs: rule, provider, scope, object id and integration; never message text or dates."""
        parts = (self.rule.code, self.provider, self.scope, self.object_id, self.integration)
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Credential:
    """One expiring credential, as the ``secrets`` command lists it. Metadata only: never a secret value."""

    provider: str
    scope: str
    owner_name: str
    """The app registration, client or security integration the credential belongs to."""
    owner_id: str
    object_type: str
    """``application``, ``servicePrincipal``, ``client``, ``security integration`` …"""
    kind: str
    """``password``, ``certificate``, ``client secret``, ``rotated client secret`` …"""
    name: str = ""
    credential_id: str = ""
    start: datetime | None = None
    end: datetime | None = None
    integration: str = ""
    owners: tuple[str, ...] = ()
    detail: str = ""
