"""The live half of the oidc provider: discovery (GET) and the client-secret probe (one token POST).

Imports requests (through ``http``); imported only when an oidc integration is fetched live.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote_plus, urlsplit, urlunsplit

import requests

from oauthlint.errors import ProviderError, SnapshotError
from oauthlint.model import AuthMode, Integration
from oauthlint.providers.oidc.checks import insecure, normalise, shown
from oauthlint.providers.oidc.http import json_body, send, server_date, status_reason
from oauthlint.providers.oidc.probe import ProbeOutcome, ProbeResult, classify
from oauthlint.providers.oidc.settings import OidcSettings
from oauthlint.providers.oidc.snapshot import WELL_KNOWN, OidcSnapshot, validate_discovery

P = "oidc"
PROBE_METHODS = ("client_secret_basic", "client_secret_post")
MAX_CANDIDATES = 6


def issuer_candidates(integration: Integration) -> list[str]:
    """Where to look for the discovery document: ``issuer`` if configured, else every path prefix of the
    configured authorization/token URI, longest first (Keycloak ``…/realms/x``, Okta ``…/oauth2/default``,
    Auth0 and Google at the root)."""
    issuer = integration.options.get("issuer")
    if isinstance(issuer, str) and issuer:
        return [issuer.rstrip("/")]
    candidates: list[str] = []
    for key in ("authorization_uri", "token_uri"):
        url = integration.options.get(key)
        if not isinstance(url, str) or not url:
            continue
        parts = urlsplit(url)
        if not parts.scheme or not parts.netloc:
            continue
        segments = [s for s in parts.path.split("/") if s]
        for end in range(len(segments) - 1, -1, -1):
            prefix = urlunsplit((parts.scheme, parts.netloc, "/" + "/".join(segments[:end]), "", "")).rstrip("/")
            if prefix not in candidates:
                candidates.append(prefix)
    return candidates[:MAX_CANDIDATES]


def fetch_integration(
    integration: Integration, settings: OidcSettings, *, session: requests.Session | None = None
) -> OidcSnapshot:
    candidates = issuer_candidates(integration)
    if not candidates:
        raise ProviderError(
            P, "discovery", "no issuer: set `issuer` (or authorization_uri/token_uri) on the integration"
        )
    explicit = "issuer" in integration.options
    http = session or requests.Session()
    try:
        doc, url, response_date, observed = _discover(integration, candidates, explicit, settings, http)
        probe = _probe(integration, doc, settings, http)
    finally:
        if session is None:
            http.close()
    return OidcSnapshot(
        discovery=doc,
        discovery_url=url,
        scope=str(doc["issuer"]),
        probe=probe,
        server_date=response_date,
        observed_at=observed if response_date else None,
    )


def _discover(
    integration: Integration, candidates: list[str], explicit: bool, settings: OidcSettings, http: requests.Session
) -> tuple[Mapping[str, Any], str, datetime | None, datetime]:
    found: tuple[Mapping[str, Any], str, datetime | None, datetime] | None = None
    tried: list[str] = []
    for base in candidates:
        url = base + WELL_KNOWN
        operation = f"GET {shown(url)}"
        response = send("GET", url, options=settings.http, provider=P, operation=operation, session=http)
        observed = datetime.now(UTC)
        tried.append(f"{shown(url)} (HTTP {response.status_code})")
        if 400 <= response.status_code < 500 and not explicit:
            continue  # a guessed prefix that is not the issuer
        if response.status_code != 200:
            raise ProviderError(P, operation, status_reason(response, hint=_hint(response.status_code)))
        body = json_body(response)
        if body is None and not explicit:
            continue
        try:
            doc = validate_discovery(body, url)
        except SnapshotError as exc:
            if not explicit:
                continue
            raise ProviderError(P, operation, str(exc).removeprefix(f"{url}: ")) from None
        result = (doc, shown(url), server_date(response), observed)
        if explicit or _matches_configuration(integration, doc):
            return result
        found = found or result
    if found is not None:
        return found
    raise ProviderError(P, "discovery", "no OpenID Provider configuration at " + "; ".join(tried))


def _matches_configuration(integration: Integration, doc: Mapping[str, Any]) -> bool:
    for option, field in (("authorization_uri", "authorization_endpoint"), ("token_uri", "token_endpoint")):
        configured, published = integration.options.get(option), doc.get(field)
        if isinstance(configured, str) and isinstance(published, str) and normalise(configured) == normalise(published):
            return True
    return False


def _hint(status: int) -> str:
    return {
        401: "the discovery document should be public",
        403: "the discovery document should be public; a proxy or WAF may block oauthlint",
        404: "no discovery document at this issuer; check `issuer`",
        429: "rate limited; retries exhausted",
    }.get(status, "the issuer is failing" if status >= 500 else "")


def _probe(
    integration: Integration, doc: Mapping[str, Any], settings: OidcSettings, http: requests.Session
) -> ProbeResult | None:
    """One client-credentials request with the configured secret (RFC 6749 §4.4); the token is never read."""
    if not settings.probe or integration.auth_mode is not AuthMode.CONFIDENTIAL:
        return None
    secret, client_id = integration.client_secret, integration.client_id
    if secret is None or not client_id:
        return None
    configured = integration.options.get("token_uri")
    endpoint = configured if isinstance(configured, str) and configured else doc.get("token_endpoint")
    if not isinstance(endpoint, str) or not endpoint:
        return ProbeResult(ProbeOutcome.SKIPPED, detail="no token endpoint")
    if insecure(endpoint):
        return ProbeResult(
            ProbeOutcome.SKIPPED, shown(endpoint), detail="token endpoint is not https; the secret is not sent"
        )
    method = integration.options.get("token_endpoint_auth_method") or "client_secret_basic"
    if method not in PROBE_METHODS:
        return ProbeResult(ProbeOutcome.SKIPPED, shown(endpoint), detail=f"auth method {method} cannot be probed")
    form = {"grant_type": "client_credentials"}
    headers: dict[str, str] = {"Content-Type": "application/x-www-form-urlencoded"}
    if method == "client_secret_post":
        form.update(client_id=client_id, client_secret=secret.reveal())
    else:  # RFC 6749 §2.3.1: form-encode id and secret, then Basic
        pair = f"{quote_plus(client_id)}:{quote_plus(secret.reveal())}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
    operation = f"POST {shown(endpoint)} (client-credentials probe)"
    response = send(
        "POST", endpoint, options=settings.http, provider=P, operation=operation, headers=headers, data=form,
        stream=True, session=http,
    )  # fmt: skip
    try:
        status = response.status_code
        if 200 <= status < 300:
            return classify(status, endpoint=shown(endpoint))  # the body (a token) is never read
        body = json_body(response) if 400 <= status < 500 else None
    finally:
        response.close()
    error = body.get("error") if isinstance(body, Mapping) else None
    description = body.get("error_description") if isinstance(body, Mapping) else None
    if status == 401 or isinstance(error, str):
        return classify(status, error if isinstance(error, str) else "", str(description or ""), shown(endpoint))
    raise ProviderError(P, operation, status_reason(response, hint=_hint(status) or "not an OAuth error response"))
