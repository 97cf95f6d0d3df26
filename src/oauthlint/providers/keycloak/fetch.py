"""Live Keycloak: the admin REST API (read-only) through python-keycloak, and the token-endpoint secret probe.

This is the provider's only network I/O. python-keycloak is imported here, never at package import.

Requests an integration check makes with admin credentials (Keycloak 26.x admin REST API):

- ``POST /realms/{auth_realm}/protocol/openid-connect/token``: the admin login (password or client credentials);
- ``GET /admin/realms/{realm}/clients?clientId=X&search=false``: the client, with ``secret``, attributes (incl.
  the rotated secret and expiry times) and default/optional client scope names (needs view-clients);
- ``GET /admin/realms/{realm}/clients/{id}/client-secret/rotated`` only when the attributes show a rotation but
  the representation does not carry the rotated secret (404 = none);
- ``GET /admin/realms/{realm}/roles/default-roles-{realm}/composites/realm`` (needs view-realm);
- ``GET /admin/realms/{realm}/client-policies/policies`` and ``…/profiles`` (needs view-realm).

The login and the three realm reads are shared by every integration of a run (:func:`shared_session`).

Never a write: no ``POST …/client-secret``, no ``DELETE …/rotated``, no PUT. Without admin credentials (or with
``secret_check = "probe"``) the secret is checked by a client-credentials grant at the token endpoint; the
answer (provider-facts.md §4.3) tells a wrong secret from a right one. A token it may return is dropped
unread. Errors become :class:`ProviderError` with one line: the HTTP status, Keycloak's error code, the
missing realm-management role — never a secret, a token or a request body.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import Any
from urllib.parse import quote

import requests

from oauthlint.errors import ConfigError, ProviderError
from oauthlint.model import Integration, Secret
from oauthlint.providers.keycloak.settings import KeycloakSettings
from oauthlint.providers.keycloak.snapshot import (
    ATTR_ROTATED,
    ATTR_ROTATED_CREATED,
    ATTR_ROTATED_EXPIRES,
    KeycloakClient,
    KeycloakSnapshot,
    RealmFacts,
    RealmSnapshot,
    SecretProbe,
    parse_client,
    rotation_policies,
)

P = "keycloak"
VIEW_CLIENTS = "view-clients"
VIEW_REALM = "view-realm"
STATS: dict[str, int] = {"requests": 0}
"""HTTP requests sent by this module since import (benchmarks read it)."""


def _count(response: requests.Response, *args: Any, **kwargs: Any) -> None:
    STATS["requests"] += 1 + len(response.history)


def _transport_reason(exc: BaseException, url: str, timeout: float) -> str:
    """One line for a failed connection; walks the cause chain python-keycloak wraps."""
    chain: list[BaseException] = []
    cur: BaseException | None = exc
    while cur is not None and len(chain) < 6:
        chain.append(cur)
        cur = cur.__cause__ or cur.__context__
    for e in chain:
        if isinstance(e, requests.exceptions.SSLError):
            return f"TLS verification failed for {url} (set ca_bundle to the CA that signed it, or verify = false)"
        if isinstance(e, requests.exceptions.Timeout):
            return f"no answer from {url} within {timeout:g} s (timeout)"
        if isinstance(e, requests.exceptions.ConnectionError):
            return f"cannot connect to {url} (connection refused or host unreachable)"
    return f"cannot reach {url} ({type(exc).__name__})"


def _oauth_error(response: requests.Response) -> tuple[str, str]:
    """``(error, error_description)`` of an OAuth/Keycloak error response; never echoes anything else."""
    return _parse_body(response.content)


def _status_line(response: requests.Response) -> str:
    error, description = _oauth_error(response)
    text = f"HTTP {response.status_code}"
    if error:
        text += f" {error}"
    if description:
        text += f": {description}"
    return text


class AdminSession:
    """A logged-in, read-only view of one Keycloak server's admin API."""

    def __init__(self, settings: KeycloakSettings) -> None:
        if not settings.server_url:
            raise ConfigError("providers.keycloak: server_url is required for live checks")
        if not settings.has_admin_credentials:
            raise ConfigError("providers.keycloak: live admin reads need client_id/client_secret or username/password")
        self.settings = settings
        self.server_url = settings.server_url.rstrip("/")
        self.auth_realm = settings.auth_realm or settings.realm or "master"
        self._admin: Any = None
        self.server_date: datetime | None = None
        self.observed_at: datetime | None = None
        self._facts: dict[str, RealmFacts] = {}
        self._facts_lock = threading.Lock()

    # -------------------------------------------------------------------------------------------- session

    def __enter__(self) -> AdminSession:
        from keycloak import KeycloakAdmin, KeycloakOpenIDConnection
        from keycloak.exceptions import KeycloakError

        s = self.settings
        secret = s.client_secret.reveal() if s.client_secret else None
        password = s.password.reveal() if s.password else None
        try:
            connection = KeycloakOpenIDConnection(
                server_url=self.server_url + "/",
                username=s.username,
                password=password,
                realm_name=self.auth_realm,
                user_realm_name=self.auth_realm,
                client_id=s.client_id or "admin-cli",
                client_secret_key=secret if not s.username else None,
                verify=s.verify,
                timeout=int(max(1, s.timeout)),
                max_retries=0,
            )
            connection._s.hooks["response"].append(_count)
            connection.keycloak_openid.connection._s.hooks["response"].append(_count)
            connection.get_token()
        except KeycloakError as exc:
            raise ProviderError(P, "admin login", self._login_reason(exc)) from None
        except (ValueError, OSError) as exc:
            raise ProviderError(P, "admin login", _transport_reason(exc, self.server_url, s.timeout)) from None
        self._admin = KeycloakAdmin(connection=connection)
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._admin is not None:
            connection = self._admin.connection
            connection.token = None  # drop the admin token
            connection._s.close()
            self._admin = None

    def _login_reason(self, exc: Any) -> str:
        from keycloak.exceptions import KeycloakConnectionError

        if isinstance(exc, KeycloakConnectionError):
            return _transport_reason(exc, self.server_url, self.settings.timeout)
        who = f"user '{self.settings.username}'" if self.settings.username else f"client '{self.settings.client_id}'"
        status = getattr(exc, "response_code", None)
        error, description = _parse_body(getattr(exc, "response_body", b""))
        if status == 404:
            return f"auth realm '{self.auth_realm}' does not exist (HTTP 404)"
        detail = f"HTTP {status}" + (f" {error}" if error else "") + (f": {description}" if description else "")
        return f"{who} could not log in to realm '{self.auth_realm}' ({detail}); check the admin credentials"

    # ----------------------------------------------------------------------------------------------- GETs

    def get(
        self, path: str, operation: str, role: str, realm: str, ok: tuple[int, ...] = (200,), shape: type = list
    ) -> Any:
        """GET an admin path; map failures to one-line ProviderErrors. Returns parsed JSON of the expected
        ``shape`` (a list of objects, or an object); None for a 404 listed in ``ok``."""
        from keycloak.exceptions import KeycloakError

        try:
            response = self._admin.connection.raw_get(path)
        except KeycloakError as exc:
            raise ProviderError(P, operation, _transport_reason(exc, self.server_url, self.settings.timeout)) from None
        self._note_date(response)
        if response.status_code in ok:
            return None if response.status_code == 404 else _json_of_shape(response, shape, operation)
        if response.status_code == 403:
            reason = (
                f"HTTP 403 Forbidden: the admin account lacks the realm-management role '{role}' in realm '{realm}'"
            )
            if realm != self.auth_realm and self.auth_realm != "master":
                reason += f" (it logs in to realm '{self.auth_realm}'; use one [[providers.keycloak]] per realm)"
            raise ProviderError(P, operation, reason)
        if response.status_code == 404:
            raise ProviderError(P, operation, f"realm '{realm}' does not exist (HTTP 404)")
        if response.status_code == 401:
            raise ProviderError(P, operation, f"{_status_line(response)}: the admin token was not accepted")
        raise ProviderError(P, operation, _status_line(response))

    def _note_date(self, response: requests.Response) -> None:
        date = response.headers.get("Date")
        if date:
            from email.utils import parsedate_to_datetime

            try:
                self.server_date = parsedate_to_datetime(date)
                self.observed_at = datetime.now(UTC)
            except (TypeError, ValueError):
                pass

    def find_client(self, realm: str, client_id: str) -> KeycloakClient | None:
        r = quote(realm, safe="")
        reps = self.get(
            f"admin/realms/{r}/clients?clientId={quote(client_id, safe='')}&search=false",
            f"reading client '{client_id}' of realm '{realm}'",
            VIEW_CLIENTS,
            realm,
        )
        rep = next((c for c in reps if c.get("clientId") == client_id), None)
        if rep is None:
            self._require_visible_clients(realm)
            return None
        rep = self._with_rotated_secret(realm, rep)
        return parse_client(rep, f"{self.server_url} realm '{realm}' client '{client_id}'")

    def _require_visible_clients(self, realm: str) -> None:
        """Before "no such client" (KC001): every realm has Keycloak's own clients, so an account that sees none
        lacks view-clients (Keycloak then filters the list silently) and the absence proves nothing."""
        some = self.get(
            f"admin/realms/{quote(realm, safe='')}/clients?first=0&max=1",
            f"listing clients of realm '{realm}'",
            VIEW_CLIENTS,
            realm,
        )
        if not some:
            raise ProviderError(
                P,
                f"listing clients of realm '{realm}'",
                f"the admin account sees no client at all, not even Keycloak's built-in ones: it lacks the "
                f"realm-management role {VIEW_CLIENTS}",
            )

    def _with_rotated_secret(self, realm: str, rep: dict[str, Any]) -> dict[str, Any]:
        """Servers that do not copy ``client.secret.rotated`` into the representation: ask for it, but only when
        the client's attributes show a rotation (the executor always writes the rotated expiry with it)."""
        attrs = rep.get("attributes") or {}
        rotated = ATTR_ROTATED_EXPIRES in attrs or ATTR_ROTATED_CREATED in attrs
        if not rotated or ATTR_ROTATED in attrs or rep.get("publicClient") or rep.get("bearerOnly"):
            return rep
        body = self.get(
            f"admin/realms/{quote(realm, safe='')}/clients/{rep['id']}/client-secret/rotated",
            f"reading the rotated secret of client '{rep.get('clientId')}'",
            VIEW_CLIENTS,
            realm,
            ok=(200, 404),
            shape=dict,
        )
        if body and body.get("value"):
            return {**rep, "attributes": {**attrs, ATTR_ROTATED: body["value"]}}
        return rep

    def realm_facts(self, realm: str) -> RealmFacts:
        """Default roles and rotation policies of the realm; read once per session (integrations share them)."""
        with self._facts_lock:
            if realm not in self._facts:
                self._facts[realm] = self._read_realm_facts(realm)
            return self._facts[realm]

    def _read_realm_facts(self, realm: str) -> RealmFacts:
        r = quote(realm, safe="")
        defaults = self.get(
            f"admin/realms/{r}/roles/{quote('default-roles-' + realm.lower(), safe='')}/composites/realm",
            f"reading the default roles of realm '{realm}'",
            VIEW_REALM,
            realm,
        )
        policies = self.get(
            f"admin/realms/{r}/client-policies/policies",
            f"reading the client policies of realm '{realm}'",
            VIEW_REALM,
            realm,
            shape=dict,
        )
        profiles = self.get(
            f"admin/realms/{r}/client-policies/profiles",
            f"reading the client profiles of realm '{realm}'",
            VIEW_REALM,
            realm,
            shape=dict,
        )
        return RealmFacts(
            default_roles=tuple(str(role.get("name")) for role in defaults),
            rotation_policies=rotation_policies(policies, profiles),
        )

    def realm_snapshot(self, realm: str, with_facts: bool = False) -> RealmSnapshot:
        """Every client of the realm in one request (``GET /clients`` without paging returns all).

        The realm audit needs no realm facts (default roles, policies: view-realm); ``with_facts`` reads them.
        """
        reps = self.get(
            f"admin/realms/{quote(realm, safe='')}/clients",
            f"listing the clients of realm '{realm}'",
            VIEW_CLIENTS,
            realm,
        )
        source = f"{self.server_url} realm '{realm}'"
        clients = tuple(parse_client(rep, f"{source} client '{rep.get('clientId')}'") for rep in reps)
        return RealmSnapshot(
            scope=realm,
            clients=clients,
            realm=self.realm_facts(realm) if with_facts else RealmFacts(),
            server_url=self.server_url,
            source=source,
            server_date=self.server_date,
            observed_at=self.observed_at,
        )


SESSION_TTL = 120.0
"""Seconds a logged-in admin session (or a failed login) is shared by the integrations of one run."""
_POOL: dict[KeycloakSettings, _PoolEntry] = {}
_POOL_LOCK = threading.Lock()


@dataclass
class _PoolEntry:
    born: float
    value: AdminSession | ProviderError
    users: int = 0
    retired: bool = False

    def close_if_idle(self) -> None:
        """Log out once the entry is retired and no integration is still using the session."""
        if self.retired and self.users == 0 and isinstance(self.value, AdminSession):
            self.value.__exit__(None, None, None)


@contextmanager
def shared_session(settings: KeycloakSettings) -> Iterator[AdminSession]:
    """One admin login per server and credentials for all integrations checked concurrently in a run.

    The login happens under a lock, so parallel integrations wait for it instead of logging in N times; a
    failed login is remembered for the same time, so bad admin credentials cost one failed attempt, not one
    per integration (Keycloak's brute-force detection counts them). An expired session is retired from the
    pool but closed only when the last integration using it is done.
    """
    now = time.monotonic()
    with _POOL_LOCK:
        for key, old in list(_POOL.items()):
            if now - old.born > SESSION_TTL:
                del _POOL[key]
                old.retired = True
                old.close_if_idle()
        entry = _POOL.get(settings)
        if entry is None:
            try:
                entry = _PoolEntry(now, AdminSession(settings).__enter__())
            except ProviderError as exc:
                entry = _PoolEntry(now, exc)
            _POOL[settings] = entry
        entry.users += 1
    try:
        value = entry.value
        if isinstance(value, ProviderError):
            raise ProviderError(value.provider, value.operation, value.reason)
        yield value
    finally:
        with _POOL_LOCK:
            entry.users -= 1
            entry.close_if_idle()


def _json_of_shape(response: requests.Response, shape: type, operation: str) -> Any:
    """The body when it is a JSON object (``shape`` dict) or a list of objects (``shape`` list), else an error:
    an HTML login page of a proxy, or ``[null]`` for clients the account may not view, must not read as data."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, shape) and (shape is not list or all(isinstance(item, dict) for item in body)):
        return body
    got = "not JSON" if body is None else f"a JSON {type(body).__name__}"
    if isinstance(body, list):
        got += " with entries that are not objects"
    expected = "a list of objects" if shape is list else "an object"
    raise ProviderError(
        P,
        operation,
        f"unexpected answer (HTTP {response.status_code}, {got}; expected {expected}): is server_url Keycloak's "
        "base URL, and does the admin account have view-clients?",
    )


def _parse_body(body: Any) -> tuple[str, str]:
    """``(error, error_description)`` of an OAuth/Keycloak error body (bytes or text); ``("", "")`` otherwise."""
    import json

    try:
        data = json.loads(body) if isinstance(body, bytes | str) and body else {}
    except ValueError:
        return "", ""
    if not isinstance(data, dict):
        return "", ""
    error = str(data.get("error") or data.get("errorMessage") or "")
    return error[:80], str(data.get("error_description") or "")[:160]


# -------------------------------------------------------------------------------------------------- probe


@contextmanager
def _openid(server_url: str, realm: str, client_id: str, secret: Secret, settings: KeycloakSettings) -> Iterator[Any]:
    from keycloak import KeycloakOpenID

    oidc = KeycloakOpenID(
        server_url=server_url.rstrip("/") + "/",
        realm_name=realm,
        client_id=client_id,
        client_secret_key=secret.reveal(),
        verify=settings.verify,
        timeout=int(max(1, settings.timeout)),
        max_retries=0,
    )
    oidc.connection._s.hooks["response"].append(_count)
    try:
        yield oidc
    finally:
        oidc.connection._s.close()


def probe_secret(
    server_url: str, realm: str, client_id: str, secret: Secret, settings: KeycloakSettings
) -> SecretProbe:
    """Client-credentials grant with the configured secret; classify Keycloak's answer (facts §4.3).

    The request body carries the secret, so nothing of the request is ever echoed; of the response only the
    status and the OAuth error code/description are read, and a token, if issued, is discarded unread.
    """
    from keycloak.exceptions import KeycloakError

    path = f"realms/{quote(realm, safe='')}/protocol/openid-connect/token"
    data = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret.reveal()}
    with _openid(server_url, realm, client_id, secret, settings) as oidc:
        try:
            response = oidc.connection.raw_post(path, data=data)
        except KeycloakError as exc:
            raise ProviderError(
                P, "secret probe at the token endpoint", _transport_reason(exc, server_url, settings.timeout)
            ) from None
    del data
    status = response.status_code
    if status == 200:
        return SecretProbe("valid", "HTTP 200: a token was issued and discarded")
    error, description = _oauth_error(response)
    detail = f"HTTP {status} {error}".strip()
    lowered = description.lower()
    if status == 404:
        raise ProviderError(P, "secret probe at the token endpoint", f"realm '{realm}' does not exist (HTTP 404)")
    if "not enabled to retrieve service account" in lowered:
        return SecretProbe("valid", f"{detail}: {description}")
    if "public client" in lowered:
        return SecretProbe("public", f"{detail}: {description}")
    if "bearer-only" in lowered:  # authenticated, but a bearer-only client cannot log anyone in
        return SecretProbe("bearer-only", f"{detail}: {description}")
    if error == "invalid_client":
        return SecretProbe("unknown-client", f"{detail}: {description}")
    if error == "unauthorized_client" and "invalid client" in lowered:
        return SecretProbe("invalid", f"{detail}: {description}")
    raise ProviderError(P, "secret probe at the token endpoint", f"{detail}: {description}".rstrip(": "))


# ------------------------------------------------------------------------------------------- integration


def _target(integration: Integration, settings: KeycloakSettings) -> tuple[str, str, str]:
    server_url = integration.options.get("server_url") or settings.server_url
    realm = integration.options.get("realm") or settings.realm
    where = integration.source or f"integration '{integration.name}'"
    if not server_url:
        raise ConfigError(f"{where}: no Keycloak server_url (set it here or in [providers.keycloak])")
    if not realm:
        raise ConfigError(f"{where}: no Keycloak realm (set realm here or in [providers.keycloak])")
    if not integration.client_id:
        raise ConfigError(f"{where}: client_id is required for a live Keycloak check")
    return str(server_url).rstrip("/"), str(realm), integration.client_id


def fetch_integration(
    integration: Integration,
    settings: KeycloakSettings,
    session_factory: Callable[[KeycloakSettings], AbstractContextManager[AdminSession]] = shared_session,
) -> KeycloakSnapshot:
    """The live snapshot of one integration's client: admin read when possible, else the secret probe."""
    server_url, realm, client_id = _target(integration, settings)
    secret = integration.client_secret
    probe: SecretProbe | None = None
    if not settings.has_admin_credentials or settings.secret_check == "probe":  # noqa: S105
        if not secret:
            raise ProviderError(P, "live check", "no admin credentials and no client secret to probe with")
        probe = probe_secret(server_url, realm, client_id, secret, settings)
    client: KeycloakClient | None = None
    facts = RealmFacts()
    date = observed = None
    if settings.has_admin_credentials:
        with session_factory(settings) as session:
            client = session.find_client(realm, client_id)
            facts = session.realm_facts(realm) if client is not None else RealmFacts()
            date, observed = session.server_date, session.observed_at
    unseen_secret = client is not None and client.confidential and not client.secret_known
    if probe is None and secret and unseen_secret and settings.secret_check == "auto":  # noqa: S105
        probe = probe_secret(server_url, realm, client_id, secret, settings)
    return KeycloakSnapshot(
        scope=realm,
        requested_client_id=client_id,
        client=client,
        realm=facts,
        server_url=server_url,
        source=f"{server_url} realm '{realm}'",
        probe=probe,
        server_date=date,
        observed_at=observed,
    )
