"""Catalog entries for Keycloak clients used by a Connect custom OAuth integration."""

from __future__ import annotations

from oauthlint.model import Rule, Severity

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO
P = "keycloak"
CLIENTS_DOC = "https://www.keycloak.org/docs/latest/server_admin/#_oidc_clients"

KC001 = Rule(
    "KC001",
    "keycloak-client-not-found",
    E,
    summary="No client with this clientId exists in the realm.",
    prevents="invalid_client: Invalid client or Invalid client credentials",
    remediation="Check the client id and the realm in the integration's authorization and token URIs.",
    references=(CLIENTS_DOC,),
    error_patterns=(r"invalid_client", r"client not found"),
    provider=P,
)
KC002 = Rule(
    "KC002",
    "keycloak-client-disabled",
    E,
    summary="The client is disabled (enabled = false).",
    prevents="invalid_client: Invalid client or Invalid client credentials",
    remediation="Enable the client (Clients → <client> → Enabled).",
    references=(CLIENTS_DOC,),
    error_patterns=(r"client is not enabled", r"client disabled"),
    provider=P,
)
KC003 = Rule(
    "KC003",
    "keycloak-redirect-uri-not-allowed",
    E,
    summary="The Connect callback matches none of the client's Valid redirect URIs under Keycloak's own matching rules.",
    prevents="Invalid parameter: redirect_uri",
    remediation="Add `<connect_server>/__oauth__/integrations/callback` to the client's Valid redirect URIs.",
    references=(CLIENTS_DOC,),
    error_patterns=(r"invalid parameter: redirect_uri", r"invalid redirect uri"),
    provider=P,
)
KC004 = Rule(
    "KC004",
    "keycloak-redirect-wildcard",
    W,
    summary="A redirect URI wildcard is broad enough to match other hosts (`*`, `https://host*`).",
    prevents="(security: authorization codes sent to an attacker's host)",
    remediation="Replace wildcards with the exact callback URL.",
    references=(CLIENTS_DOC,),
    provider=P,
)
KC005 = Rule(
    "KC005",
    "keycloak-secret-mismatch",
    E,
    summary="The configured secret is not the client's secret (admin read, or a live client-credentials probe).",
    prevents="unauthorized_client: Invalid client or Invalid client credentials",
    remediation="Copy the client's current secret (Clients → <client> → Credentials) into Connect.",
    references=(CLIENTS_DOC,),
    error_patterns=(
        r"unauthorized_client",
        r"invalid client or invalid client credentials",
        r"invalid client credentials",
    ),
    provider=P,
)
KC006 = Rule(
    "KC006",
    "keycloak-secret-expired",
    E,
    summary="The client secret has passed `client.secret.expiration.time`, or only the rotated secret matches and it expired.",
    prevents="400 Bad Request: Invalid client or Invalid client credentials",
    remediation="Regenerate the secret (or let the rotation policy rotate it) and update Connect.",
    references=(CLIENTS_DOC,),
    error_patterns=(r"400 bad request.*invalid client", r"invalid client or invalid client credentials"),
    provider=P,
)
KC007 = Rule(
    "KC007",
    "keycloak-secret-expiring",
    W,
    summary="The current or rotated client secret expires within the warning window.",
    prevents="400 Bad Request: Invalid client or Invalid client credentials (once it expires)",
    remediation="Rotate the secret and update Connect before it expires.",
    references=(CLIENTS_DOC,),
    provider=P,
)
KC008 = Rule(
    "KC008",
    "keycloak-no-refresh-tokens",
    E,
    summary="`use.refresh.tokens` is off, or offline_access is requested but is not a client scope, or the realm's offline_access role is not a default role.",
    prevents="No refresh token found in response; invalid_scope: Invalid scopes: offline_access",
    remediation="Turn on 'Use refresh tokens' (Advanced → OpenID Connect Compatibility Modes), attach the offline_access client scope, keep offline_access in the realm's default roles.",
    references=(CLIENTS_DOC,),
    error_patterns=(r"no refresh token found", r"invalid_scope", r"invalid scopes", r"offline tokens not allowed"),
    provider=P,
)
KC009 = Rule(
    "KC009",
    "keycloak-standard-flow-disabled",
    E,
    summary="A viewer integration but the client's Standard flow (authorization code) is off.",
    prevents="unauthorized_client: Client is not allowed to initiate browser login with given response_type",
    remediation="Enable Standard flow on the client.",
    references=(CLIENTS_DOC,),
    error_patterns=(r"not allowed to initiate browser login",),
    provider=P,
)
KC010 = Rule(
    "KC010",
    "keycloak-client-type-mismatch",
    E,
    summary="The client's publicClient / bearerOnly setting disagrees with the integration's auth mode.",
    prevents="invalid_client / unauthorized_client",
    remediation="Make the client confidential (Client authentication on) for a confidential integration, public for a public one.",
    references=(CLIENTS_DOC,),
    error_patterns=(r"public client not allowed", r"bearer-only"),
    provider=P,
)

RULES = (KC001, KC002, KC003, KC004, KC005, KC006, KC007, KC008, KC009, KC010)
