"""Catalog entries for a generic OpenID Connect provider (a Connect ``custom`` integration).

Everything here is decided from public information: the issuer's discovery document
(``/.well-known/openid-configuration``, OpenID Connect Discovery 1.0 §3/§4) and one client-credentials
token request with the configured secret (RFC 6749 §4.4, errors per §5.2). No admin access is needed.
"""

from __future__ import annotations

from oauthlint.model import Rule, Severity

E, W = Severity.ERROR, Severity.WARNING
P = "oidc"
DISCOVERY = "https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata"
RFC6749_ERRORS = "https://www.rfc-editor.org/rfc/rfc6749#section-5.2"
CUSTOM_DOC = "https://docs.posit.co/connect/admin/integrations/oauth-integrations/custom/"

OI001 = Rule(
    code="OI001",
    name="oidc-endpoint-not-https",
    severity=E,
    summary="The issuer, an endpoint in its discovery document, or the integration's authorization/token URI is not https.",
    prevents="client secrets, authorization codes and tokens sent in clear text (and refused by Connect deployments that require TLS)",
    why=(
        "The token endpoint receives the client secret and returns tokens; the authorization endpoint returns "
        "codes through the browser. Over plain http anyone on the path can read them. Only loopback addresses "
        "may use http (development)."
    ),
    remediation="Serve the identity provider over https (fix its frontend/hostname setting behind a TLS proxy) and use the https URLs in Connect.",
    bad='token_uri = "http://idp.example.com/oauth2/token"',
    good='token_uri = "https://idp.example.com/oauth2/token"',
    references=(DISCOVERY, "https://www.rfc-editor.org/rfc/rfc6749#section-3.2"),
    error_patterns=(r"https required", r"ssl required", r"insecure (redirect|endpoint)"),
    provider=P,
)
OI002 = Rule(
    code="OI002",
    name="oidc-offline-access-not-advertised",
    severity=W,
    summary="A viewer integration's issuer lists `scopes_supported` without `offline_access`.",
    prevents="No refresh token found in response; invalid_scope: offline_access",
    why=(
        "Connect asks for `offline_access` to get a refresh token. An issuer whose discovery document lists its "
        "scopes but not `offline_access` usually rejects or ignores it. Discovery allows a partial list, so this "
        "is a warning: confirm on the provider that offline access is enabled for the client."
    ),
    remediation="Enable offline access / refresh tokens for the client on the identity provider (an `offline_access` scope, or the provider's equivalent), then keep `offline_access` in the integration's scopes.",
    bad='"scopes_supported": ["openid", "profile", "email"]',
    good='"scopes_supported": ["openid", "profile", "email", "offline_access"]',
    references=(DISCOVERY, "https://openid.net/specs/openid-connect-core-1_0.html#OfflineAccess", CUSTOM_DOC),
    error_patterns=(
        r"no refresh token found",
        r"invalid_scope.*offline_access",
        r"offline_access.*not (allowed|supported)",
    ),
    provider=P,
)
OI003 = Rule(
    code="OI003",
    name="oidc-refresh-grant-not-supported",
    severity=E,
    summary="A viewer integration's issuer lists `grant_types_supported` without `refresh_token`.",
    prevents="No refresh token found in response; unsupported_grant_type when Connect refreshes",
    why=(
        "Connect refreshes viewer tokens with the `refresh_token` grant. An issuer that declares its grant types "
        "and leaves it out will not issue or honour refresh tokens, so viewers are logged out when the first "
        "access token expires. (When the list is absent nothing is concluded.)"
    ),
    remediation="Enable the refresh-token grant for the client/authorization server on the identity provider.",
    bad='"grant_types_supported": ["authorization_code", "client_credentials"]',
    good='"grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"]',
    references=(DISCOVERY, "https://www.rfc-editor.org/rfc/rfc6749#section-6"),
    error_patterns=(r"unsupported_grant_type", r"no refresh token found"),
    provider=P,
)
OI004 = Rule(
    code="OI004",
    name="oidc-secret-rejected",
    severity=E,
    summary="The token endpoint rejected a client-credentials request made with the configured client id and secret (invalid_client).",
    prevents="invalid_client: client authentication failed (every login fails at the code exchange)",
    why=(
        "RFC 6749 §5.2: `invalid_client` means client authentication failed: unknown client, wrong secret, or an "
        "authentication method the client does not allow. `unauthorized_client` means the client *was* "
        "authenticated but may not use the grant, so it proves the secret right; `unsupported_grant_type` and "
        "other errors prove nothing either way (servers may check the grant before the client). Keycloak answers "
        "a wrong secret with `unauthorized_client` and 'Invalid client or Invalid client credentials', which is "
        "read as a rejection. Any token the probe receives is discarded unread."
    ),
    remediation="Copy the client's current secret from the identity provider into Connect (and oauthlint's reference); check the client id and token_endpoint_auth_method.",
    references=(RFC6749_ERRORS, CUSTOM_DOC),
    error_patterns=(
        r"invalid_client",
        r"client authentication failed",
        r"invalid client credentials",
        r"invalid client secret",
    ),
    provider=P,
)
OI005 = Rule(
    code="OI005",
    name="oidc-endpoint-mismatch",
    severity=E,
    summary="The integration's authorization_uri or token_uri differs from the issuer's discovery document.",
    prevents="404 / invalid_request at login, or the code exchange going to the wrong server (invalid_grant)",
    why=(
        "Connect's custom template uses the authorization and token URIs exactly as entered. Posit's docs say "
        "to copy them from the Authorization Server Metadata; a typo, an old realm or tenant, or a v1 endpoint "
        "where v2 is meant sends viewers to the wrong place."
    ),
    remediation="Copy `authorization_endpoint` and `token_endpoint` from the issuer's /.well-known/openid-configuration into the integration.",
    bad='authorization_uri = "https://idp.example.com/oauth2/authorise"',
    good='authorization_uri = "https://idp.example.com/oauth2/authorize"  # = authorization_endpoint',
    references=(CUSTOM_DOC, DISCOVERY),
    error_patterns=(r"invalid_grant", r"code was issued to another client"),
    provider=P,
)
OI006 = Rule(
    code="OI006",
    name="oidc-auth-method-not-supported",
    severity=E,
    summary="The integration's token_endpoint_auth_method (or `none` for a public client) is not in the issuer's `token_endpoint_auth_methods_supported`.",
    prevents="invalid_client / unauthorized_client at the token endpoint",
    why=(
        "Connect authenticates at the token endpoint the way `token_endpoint_auth_method` says "
        "(client_secret_basic or client_secret_post; a public client sends no secret, method `none`). An issuer "
        "that does not support that method refuses every code exchange."
    ),
    remediation="Set token_endpoint_auth_method to a method the issuer lists (and the client allows), or enable the method on the provider.",
    bad='token_endpoint_auth_method = "client_secret_post"  # issuer lists only client_secret_basic',
    good='token_endpoint_auth_method = "client_secret_basic"',
    references=(DISCOVERY, "https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1"),
    error_patterns=(r"invalid_client", r"authentication method", r"unauthorized_client"),
    provider=P,
)
OI007 = Rule(
    code="OI007",
    name="oidc-pkce-s256-not-supported",
    severity=W,
    summary="The integration uses PKCE (Connect's default) but the issuer's `code_challenge_methods_supported` lacks `S256`.",
    prevents="invalid_request: code challenge method not supported",
    why="Connect sends an S256 PKCE challenge unless `use_pkce` is off; an issuer that does not support S256 rejects the authorization request.",
    remediation="Enable PKCE S256 on the provider, or turn off use_pkce in the integration if the provider cannot do PKCE.",
    references=(
        "https://www.rfc-editor.org/rfc/rfc7636#section-4.2",
        "https://www.rfc-editor.org/rfc/rfc8414#section-2",
    ),
    error_patterns=(r"code challenge method", r"code_challenge_method"),
    provider=P,
)

RULES = (OI001, OI002, OI003, OI004, OI005, OI006, OI007)
