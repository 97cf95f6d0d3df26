"""``[providers.keycloak]``: how oauthlint reaches Keycloak's admin API (read-only).

One server::

    [providers.keycloak]
    server_url = "https://sso.example.com"     # Keycloak's base URL (no /admin, no /realms)
    realm = "corp"                             # default realm of keycloak integrations and of --all
    realms = ["corp", "partners"]              # optional: realms the audit / secret scan cover
    auth_realm = "corp"                        # realm the credentials below log in to (default: realm)
    client_id = "oauthlint"                    # a service account with realm-management roles
    client_secret = "${env:OAUTHLINT_KEYCLOAK_SECRET}"    # view-clients + view-realm
    # or: username = "auditor", password = "${env:KC_PASSWORD}" (admin-cli, in auth_realm)
    verify = true                              # false, or use ca_bundle = "/etc/ssl/corp-ca.pem"
    timeout = 10                               # seconds per HTTP request
    secret_check = "auto"                      # auto | admin | probe (see below)
    include_builtin = false                    # audit Keycloak's own clients too

Several servers: ``[[providers.keycloak]]`` (a list of such tables); an integration picks the one whose
``server_url`` equals its own ``server_url`` key, else the one whose ``realm``/``realms`` holds its realm.

``secret_check``: ``admin`` compares the configured secret with the admin-read secret (needs view-clients);
``probe`` asks the token endpoint with a client-credentials grant (needs no admin rights; the answer tells a
wrong secret from a right one and no token is kept); ``auto`` uses the admin read when it can see the
client, else the probe. Without any admin credentials only the probe runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from oauthlint.errors import ConfigError
from oauthlint.model import Integration, Secret
from oauthlint.validation import reject_unknown_keys

KEYS = (
    "server_url",
    "realm",
    "realms",
    "auth_realm",
    "client_id",
    "client_secret",
    "username",
    "password",
    "verify",
    "ca_bundle",
    "timeout",
    "secret_check",
    "include_builtin",
)
SECRET_CHECKS = ("auto", "admin", "probe")


@dataclass(frozen=True)
class KeycloakSettings:
    server_url: str | None = None
    realm: str | None = None
    realms: tuple[str, ...] = ()
    auth_realm: str | None = None
    client_id: str | None = None
    client_secret: Secret | None = None
    username: str | None = None
    password: Secret | None = None
    verify: bool | str = True
    """True, False, or a CA bundle path (requests' ``verify``)."""
    timeout: float = 10.0
    secret_check: str = "auto"  # noqa: S105 (a mode, not a secret)
    include_builtin: bool = False

    @property
    def has_admin_credentials(self) -> bool:
        return bool((self.client_id and self.client_secret) or (self.username and self.password))

    @property
    def audit_realms(self) -> tuple[str, ...]:
        return self.realms or ((self.realm,) if self.realm else ())


@dataclass(frozen=True)
class KeycloakServers:
    """Every configured Keycloak server; ``for_integration`` picks one."""

    servers: tuple[KeycloakSettings, ...] = ()

    def for_integration(self, integration: Integration) -> KeycloakSettings:
        url = integration.options.get("server_url")
        realm = integration.options.get("realm")
        if url:
            for s in self.servers:
                if s.server_url and s.server_url.rstrip("/") == str(url).rstrip("/"):
                    return s
            # An integration may name a server that has no admin settings: probe-only.
            base = self.servers[0] if len(self.servers) == 1 else KeycloakSettings()
            if base.server_url and base.server_url.rstrip("/") != str(url).rstrip("/"):
                base = KeycloakSettings()
            return KeycloakSettings(
                server_url=str(url),
                realm=realm or base.realm,
                verify=base.verify,
                timeout=base.timeout,
            )
        if realm and len(self.servers) > 1:
            for s in self.servers:
                if realm == s.realm or realm in s.realms:
                    return s
        if self.servers:
            return self.servers[0]
        return KeycloakSettings()


def _string(raw: Mapping[str, Any], key: str, where: str) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{where}.{key}: expected a non-empty string")
    return value


def _secret(raw: Mapping[str, Any], key: str, where: str) -> Secret | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, Secret):
        return value
    if isinstance(value, str):
        return Secret(value, source=f"{where}.{key}")
    raise ConfigError(f"{where}.{key}: expected a string or a ${{env:VAR}} / ${{file:PATH}} reference")


def parse_one(raw: Any, where: str) -> KeycloakSettings:
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{where}: expected a table")
    reject_unknown_keys(raw, KEYS, where)
    server_url = _string(raw, "server_url", where)
    if server_url and not server_url.startswith(("http://", "https://")):
        raise ConfigError(f"{where}.server_url: expected an http(s) URL such as https://sso.example.com")
    realms = raw.get("realms", ())
    if not isinstance(realms, list | tuple) or not all(isinstance(r, str) and r for r in realms):
        raise ConfigError(f"{where}.realms: expected a list of realm names")
    verify: bool | str = True
    if "verify" in raw:
        if not isinstance(raw["verify"], bool):
            raise ConfigError(f"{where}.verify: expected true or false (use ca_bundle for a CA file)")
        verify = raw["verify"]
    ca_bundle = _string(raw, "ca_bundle", where)
    if ca_bundle:
        verify = ca_bundle
    timeout = raw.get("timeout", 10)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
        raise ConfigError(f"{where}.timeout: expected a positive number of seconds")
    secret_check = raw.get("secret_check", "auto")
    if secret_check not in SECRET_CHECKS:
        raise ConfigError(f"{where}.secret_check: expected one of {', '.join(SECRET_CHECKS)}")
    include_builtin = raw.get("include_builtin", False)
    if not isinstance(include_builtin, bool):
        raise ConfigError(f"{where}.include_builtin: expected true or false")
    settings = KeycloakSettings(
        server_url=server_url,
        realm=_string(raw, "realm", where),
        realms=tuple(realms),
        auth_realm=_string(raw, "auth_realm", where),
        client_id=_string(raw, "client_id", where),
        client_secret=_secret(raw, "client_secret", where),
        username=_string(raw, "username", where),
        password=_secret(raw, "password", where),
        verify=verify,
        timeout=float(timeout),
        secret_check=secret_check,
        include_builtin=include_builtin,
    )
    if settings.username and settings.client_secret:
        raise ConfigError(f"{where}: give either client_id/client_secret or username/password, not both")
    if bool(settings.username) != bool(settings.password):
        raise ConfigError(f"{where}: username and password go together")
    if settings.client_secret and not settings.client_id:
        raise ConfigError(f"{where}: client_secret needs client_id")
    return settings


def parse_settings(raw: Any, where: str) -> KeycloakServers:
    if raw is None:
        return KeycloakServers()
    if isinstance(raw, list):
        return KeycloakServers(tuple(parse_one(r, f"{where}[{i}]") for i, r in enumerate(raw)))
    return KeycloakServers((parse_one(raw, where),))
