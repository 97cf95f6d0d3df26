"""Pure checks for a generic OIDC issuer (OI001–OI007): the discovery document and the probe outcome."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

from oauthlint.model import AuthMode, Finding, Integration, Rule
from oauthlint.providers.base import CheckContext, emits
from oauthlint.providers.oidc.probe import ProbeOutcome
from oauthlint.providers.oidc.rules import OI001, OI002, OI003, OI004, OI005, OI006, OI007
from oauthlint.providers.oidc.snapshot import URL_FIELDS, OidcSnapshot

OFFLINE_ACCESS = "offline_access"
CONFIGURED_URIS = (("authorization_uri", "authorization_endpoint"), ("token_uri", "token_endpoint"))


def _finding(rule: Rule, integration: Integration, snapshot: OidcSnapshot, message: str, what: str) -> Finding:
    return Finding(
        rule,
        integration=integration.name,
        provider="oidc",
        message=message,
        resource=f"issuer {snapshot.scope}",
        scope=snapshot.scope,
        object_id=f"{integration.client_id or ''}#{what}",
    )


def shown(url: str) -> str:
    """The URL as messages may show it: without ``user:password@`` (credentials some put in URLs)."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def insecure(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme == "https":
        return False
    return not (parts.scheme == "http" and is_loopback(parts.hostname))


@emits(OI001)
def check_https(integration: Integration, snapshot: OidcSnapshot, context: CheckContext) -> Iterator[Finding]:
    urls = [(key, snapshot.text(key)) for key in URL_FIELDS]
    urls += [(key, integration.options.get(key)) for key, _ in CONFIGURED_URIS]
    for key, url in urls:
        if isinstance(url, str) and url and insecure(url):
            owner = "the integration's" if key.endswith("_uri") else "the discovery document's"
            yield _finding(
                OI001,
                integration,
                snapshot,
                f"{owner} {key} {shown(url)!r} is not https; secrets, codes and tokens would cross the network in "
                "clear text.",
                key,
            )


@emits(OI002)
def check_offline_access(integration: Integration, snapshot: OidcSnapshot, context: CheckContext) -> Iterator[Finding]:
    supported = snapshot.listed("scopes_supported")
    if not integration.needs_login or supported is None or OFFLINE_ACCESS in supported:
        return
    yield _finding(
        OI002,
        integration,
        snapshot,
        f"The issuer's scopes_supported ({', '.join(supported) or 'empty'}) does not list offline_access, so it "
        "may not issue refresh tokens; confirm offline access is enabled for this client.",
        "scopes_supported",
    )


@emits(OI003)
def check_refresh_grant(integration: Integration, snapshot: OidcSnapshot, context: CheckContext) -> Iterator[Finding]:
    grants = snapshot.listed("grant_types_supported")
    if not integration.needs_login or grants is None or "refresh_token" in grants:
        return
    yield _finding(
        OI003,
        integration,
        snapshot,
        f"The issuer's grant_types_supported ({', '.join(grants) or 'empty'}) does not include refresh_token; "
        "Connect cannot refresh viewer tokens.",
        "grant_types_supported",
    )


@emits(OI004)
def check_probe(integration: Integration, snapshot: OidcSnapshot, context: CheckContext) -> Iterator[Finding]:
    probe = snapshot.probe
    if probe is None or probe.outcome is not ProbeOutcome.REJECTED:
        return
    endpoint = probe.endpoint or snapshot.text("token_endpoint") or "the token endpoint"
    yield _finding(
        OI004,
        integration,
        snapshot,
        f"{endpoint} rejected client {integration.client_id!r} with the configured secret ({probe.detail}); "
        "the secret is wrong or expired, or the client id or authentication method is.",
        "client-secret",
    )


def normalise(url: str) -> str:
    parts = urlsplit(url.strip())
    port = parts.port
    default = {"https": 443, "http": 80}.get(parts.scheme.lower())
    netloc = (parts.hostname or "").lower() + (f":{port}" if port and port != default else "")
    return f"{parts.scheme.lower()}://{netloc}{parts.path.rstrip('/')}"


@emits(OI005)
def check_endpoints_match(integration: Integration, snapshot: OidcSnapshot, context: CheckContext) -> Iterator[Finding]:
    for option, field in CONFIGURED_URIS:
        configured, published = integration.options.get(option), snapshot.text(field)
        if option == "authorization_uri" and not integration.needs_login:
            continue
        if not isinstance(configured, str) or not configured or not published:
            continue
        if normalise(configured) != normalise(published):
            yield _finding(
                OI005,
                integration,
                snapshot,
                f"The integration's {option} {shown(configured)!r} is not the issuer's {field} {shown(published)!r}.",
                option,
            )


def effective_auth_method(integration: Integration) -> str | None:
    if integration.auth_mode is AuthMode.PUBLIC:
        return "none"
    method = integration.options.get("token_endpoint_auth_method")
    return method if isinstance(method, str) and method else None


@emits(OI006)
def check_auth_method(integration: Integration, snapshot: OidcSnapshot, context: CheckContext) -> Iterator[Finding]:
    method = effective_auth_method(integration)
    supported = snapshot.listed("token_endpoint_auth_methods_supported")
    if method is None or supported is None or method in supported:
        return
    what = "a public client (method none)" if method == "none" else f"token_endpoint_auth_method {method!r}"
    yield _finding(
        OI006,
        integration,
        snapshot,
        f"The integration uses {what}, but the issuer's token_endpoint_auth_methods_supported is "
        f"{', '.join(supported) or 'empty'}.",
        "token_endpoint_auth_method",
    )


@emits(OI007)
def check_pkce(integration: Integration, snapshot: OidcSnapshot, context: CheckContext) -> Iterator[Finding]:
    methods = snapshot.listed("code_challenge_methods_supported")
    if not integration.needs_login or not integration.options.get("use_pkce", True) or methods is None:
        return
    if "S256" in methods:
        return
    yield _finding(
        OI007,
        integration,
        snapshot,
        f"Connect sends an S256 PKCE challenge, but the issuer's code_challenge_methods_supported is "
        f"{', '.join(methods) or 'empty'}.",
        "code_challenge_methods_supported",
    )


CHECKS = (
    check_https,
    check_offline_access,
    check_refresh_grant,
    check_probe,
    check_endpoints_match,
    check_auth_method,
    check_pkce,
)
