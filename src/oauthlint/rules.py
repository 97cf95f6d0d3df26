"""The rule catalog: one registry that ``oauthlint rules``, ``explain``, the reports and docs/rules.md read.

Core rules (OL…) live here; each provider keeps its rules beside its checks
(``providers/<name>/rules.py``) and lists them in its ``rules`` attribute. :func:`catalog` joins them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from oauthlint.model import Rule, Severity

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO

CODE_PATTERN = re.compile(r"^[A-Z]{2,4}[0-9]{3}$")

OL001 = Rule(
    code="OL001",
    name="missing-offline-scope",
    severity=E,
    summary="A viewer integration's scopes do not ask for a refresh token (`offline_access`; Snowflake: `refresh_token`).",
    prevents="No refresh token found in response. Refresh tokens are required to update access tokens when they expire.",
    why=(
        "Connect keeps a viewer logged in by refreshing the access token. Providers only return a refresh token "
        "when the authorization request asks for offline access: `offline_access` for Entra ID, Keycloak, Okta and "
        "most OIDC providers, `refresh_token` for Snowflake. Without it the first login works and Connect then "
        "fails with the error above."
    ),
    remediation="Add `offline_access` (Snowflake: `refresh_token`) to the integration's scopes in Connect.",
    bad='scopes = ["openid", "profile"]',
    good='scopes = ["openid", "profile", "offline_access"]',
    references=("https://docs.posit.co/connect/admin/integrations/oauth-integrations/troubleshooting/",),
    error_patterns=(r"no refresh token found", r"missing the offline_access scope"),
)

OL002 = Rule(
    code="OL002",
    name="public-client-with-secret",
    severity=E,
    summary="The integration is in public auth mode but a client secret is configured.",
    prevents="The config key client_secret must not be provided",
    why=(
        "A public client proves nothing with a secret; Connect refuses to save or use a public integration "
        "that still carries one, typically after a confidential integration was switched to public."
    ),
    remediation="Remove the secret (Connect Server API: set the public integration's `client_secret` to null), or switch the integration back to confidential.",
    bad='auth_mode = "public"\nclient_secret = "${env:SECRET}"',
    good='auth_mode = "public"  # and no client_secret',
    references=("https://docs.posit.co/connect/admin/integrations/oauth-integrations/troubleshooting/",),
    error_patterns=(r"config key client_secret must not be provided",),
)

OL003 = Rule(
    code="OL003",
    name="confidential-client-without-secret",
    severity=E,
    summary="The integration is confidential but no client secret is configured.",
    prevents="invalid client credentials (401 invalid_client / unauthorized_client at the token endpoint)",
    why="A confidential client must authenticate at the token endpoint; without a secret every code exchange fails.",
    remediation="Configure the client secret (a `${env:VAR}` or `${file:PATH}` reference), or make the integration public if the provider's client is public.",
    bad='auth_mode = "confidential"  # no client_secret',
    good='auth_mode = "confidential"\nclient_secret = "${env:SALES_SECRET}"',
    error_patterns=(r"invalid client credentials", r"AADSTS7000218", r"must contain .*client_secret"),
)

OL004 = Rule(
    code="OL004",
    name="callback-url-invalid",
    severity=E,
    summary="The Connect callback URL is missing, not https (http is only for localhost), or malformed.",
    prevents="redirect URI mismatches at every provider (AADSTS50011, Invalid parameter: redirect_uri, mismatch in the given redirect uri)",
    why=(
        "Every provider compares the redirect URI Connect sends, `<connect_server>/__oauth__/integrations/callback`, "
        "with what is registered. oauthlint needs the Connect server's public URL to predict that comparison; "
        "providers refuse plain http for anything but loopback addresses."
    ),
    remediation="Set `connect_server` to the public https URL users open Connect at, without query or fragment.",
    bad='connect_server = "connect.example.com"',
    good='connect_server = "https://connect.example.com"',
    error_patterns=(),
)

OL005 = Rule(
    code="OL005",
    name="provider-check-failed",
    severity=E,
    summary="The provider could not be queried (authentication, permission, network, TLS, throttling), so nothing was checked.",
    prevents='a false "all clear"',
    why=(
        "A linter that cannot reach the provider must not report success. The message names the operation and "
        "the cause (HTTP status, provider error code) so the credentials, permission or network can be fixed."
    ),
    remediation="Fix what the message names: the linter's own provider credentials, a missing read permission, the network path or CA bundle; then run again.",
    error_patterns=(),
)

OL006 = Rule(
    code="OL006",
    name="clock-skew",
    severity=W,
    summary="The local clock and the provider's `Date` header differ by more than 2 minutes.",
    prevents="token validity failures (tokens not yet valid or already expired, e.g. AADSTS700024)",
    why="Tokens carry `nbf`/`exp` times; a skewed clock on Connect's host makes fresh tokens look invalid.",
    remediation="Synchronise the host clock with NTP (chrony, systemd-timesyncd).",
    error_patterns=(r"AADSTS700024", r"not yet valid", r"clock skew"),
)

CORE_RULES: tuple[Rule, ...] = (OL001, OL002, OL003, OL004, OL005, OL006)


def catalog(extra: Iterable[Rule] | None = None) -> Mapping[str, Rule]:
    """Every rule, keyed and ordered by code: the core rules plus every registered provider's."""
    from oauthlint.registry import registry

    rules: dict[str, Rule] = {rule.code: rule for rule in CORE_RULES}
    for provider in registry().providers():
        for rule in provider.rules:
            _add(rules, rule)
    for rule in extra or ():
        _add(rules, rule)
    return dict(sorted(rules.items()))


def _add(rules: dict[str, Rule], rule: Rule) -> None:
    if not CODE_PATTERN.match(rule.code):
        raise ValueError(f"rule code {rule.code!r} is not a prefix plus three digits")
    existing = rules.get(rule.code)
    if existing is not None and existing is not rule:
        raise ValueError(f"rule code {rule.code} is defined twice ({existing.name}, {rule.name})")
    rules[rule.code] = rule
