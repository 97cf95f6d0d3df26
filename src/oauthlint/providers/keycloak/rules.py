"""Catalog entries for Keycloak clients used by a Connect custom OAuth integration.

Codes, names and default severities are a contract; texts may improve. Facts: provider-facts.md (Keycloak),
checked against a real Keycloak 26.7.3 by tests/providers/keycloak.
"""

from __future__ import annotations

from oauthlint.model import Rule, Severity

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO
P = "keycloak"
ADMIN_GUIDE = "https://www.keycloak.org/docs/latest/server_admin/index.html"
CLIENTS_DOC = "https://www.keycloak.org/docs/latest/server_admin/#_oidc_clients"
ADMIN_API = "https://www.keycloak.org/docs-api/latest/rest-api/index.html"
REDIRECT_UTILS = "https://www.keycloak.org/docs-api/latest/javadocs/org/keycloak/protocol/oidc/utils/RedirectUtils.html"
ROTATION_DOC = (
    "https://www.keycloak.org/docs-api/latest/javadocs/org/keycloak/services/clientpolicy/executor/"
    "ClientSecretRotationExecutor.html"
)
TROUBLE_DOC = "https://docs.posit.co/connect/admin/integrations/oauth-integrations/troubleshooting/"
INVALID_CLIENT = r"invalid client or invalid client credentials"

KC001 = Rule(
    code="KC001",
    name="keycloak-client-not-found",
    severity=E,
    summary="No client with this clientId exists in the realm.",
    prevents="invalid_client: Invalid client or Invalid client credentials",
    why=(
        "Connect sends its client_id to the realm's authorization and token endpoints. When the realm has no "
        "client with exactly that clientId (a typo, the client lives in another realm, the realm in the "
        "integration's URLs is wrong), Keycloak refuses the login and every token request with invalid_client. "
        "Live, oauthlint looks the client up by clientId (exact match) through the admin API; without admin "
        "rights the token endpoint's invalid_client answer to a client-credentials probe says the same (it "
        "cannot tell a missing client from a disabled one). Offline, a realm export whose clients list lacks "
        "the clientId fires it."
    ),
    remediation=(
        "Copy the Client ID from Clients → <client> → Settings into Connect, and make the integration's "
        "authorization/token URLs name the realm that holds it (…/realms/<realm>/protocol/openid-connect/…)."
    ),
    bad='client_id = "connect-sale"   # the realm has "connect-sales"',
    good='client_id = "connect-sales"',
    references=(CLIENTS_DOC, ADMIN_API, TROUBLE_DOC),
    error_patterns=(r"invalid_client\b", r"client not found", r"could not find client"),
    provider=P,
)
KC002 = Rule(
    code="KC002",
    name="keycloak-client-disabled",
    severity=E,
    summary="The client is disabled (enabled = false).",
    prevents="invalid_client: Invalid client or Invalid client credentials",
    why=(
        "A disabled client cannot start a login or get tokens; Keycloak 20+ answers with the same "
        "invalid_client / 'Invalid client or Invalid client credentials' as for a missing client, so the "
        "runtime error does not say which. Older servers said 'Client is not enabled'."
    ),
    remediation="Turn the client on: Clients → <client> → Settings → Enabled.",
    bad='{"clientId": "connect-sales", "enabled": false}',
    good='{"clientId": "connect-sales", "enabled": true}',
    references=(CLIENTS_DOC,),
    error_patterns=(r"client is not enabled", r"client disabled", r"client not enabled"),
    provider=P,
)
KC003 = Rule(
    code="KC003",
    name="keycloak-redirect-uri-not-allowed",
    severity=E,
    summary=(
        "The Connect callback matches none of the client's Valid redirect URIs under Keycloak's own matching rules."
    ),
    prevents="Invalid parameter: redirect_uri",
    why=(
        "Keycloak checks redirect_uri against the client's Valid redirect URIs with its own rules "
        "(RedirectUtils): exact, case-sensitive string equality; '*' is a wildcard only as the last character "
        "('…/path/*' also matches '…/path'); a bare '*' matches anything; an entry starting with '/' is "
        "relative to the client's Root URL, or to Keycloak's own address when Root URL is empty; plain-http "
        "loopback redirects match on any port. oauthlint ports these rules, so a passing check means Keycloak "
        "will accept the callback, and it names near misses: a trailing slash, http where Connect sends https "
        "(a TLS-terminating proxy), letter case, a port, a query string, a '*' that is not last, a relative "
        "entry without Root URL. The login page shows 'Invalid parameter: redirect_uri' and never reaches "
        "Connect."
    ),
    remediation=(
        "Add `<connect_server>/__oauth__/integrations/callback` exactly as Connect sends it to Clients → "
        "<client> → Settings → Valid redirect URIs."
    ),
    bad='"redirectUris": ["https://connect.example.com/__oauth__/integrations/callback/"]',
    good='"redirectUris": ["https://connect.example.com/__oauth__/integrations/callback"]',
    references=(CLIENTS_DOC, REDIRECT_UTILS, TROUBLE_DOC),
    error_patterns=(r"invalid parameter: ?redirect_uri", r"invalid redirect[_ ]uri", r"invalid_redirect_uri"),
    provider=P,
)
KC004 = Rule(
    code="KC004",
    name="keycloak-redirect-wildcard",
    severity=W,
    summary="A redirect URI wildcard is broad enough to match other hosts (`*`, `https://host*`).",
    prevents="(security: authorization codes sent to an attacker's host)",
    why=(
        "Keycloak's trailing '*' is a plain prefix match. 'https://connect.example.com*' therefore also accepts "
        "'https://connect.example.com.evil.tld/…', and a bare '*' accepts any URI: anyone who can make a "
        "user click a link receives that user's authorization code. A wildcard after the host's path "
        "('https://connect.example.com/__oauth__/*') stays on the host and is not flagged. kcwarden rates host "
        "wildcards Critical; CVE-2026-7504 was an open redirect through wildcard redirect URIs."
    ),
    remediation="Replace the wildcard with the exact callback URL (or at least end the host with '/' before '*').",
    bad='"redirectUris": ["https://connect.example.com*"]',
    good='"redirectUris": ["https://connect.example.com/__oauth__/integrations/callback"]',
    references=(CLIENTS_DOC, REDIRECT_UTILS),
    provider=P,
)
KC005 = Rule(
    code="KC005",
    name="keycloak-secret-mismatch",
    severity=E,
    summary="The configured secret is not the client's secret (admin read, or a live client-credentials probe).",
    prevents="unauthorized_client: Invalid client or Invalid client credentials",
    why=(
        "When Connect exchanges the authorization code it authenticates with the client secret; a wrong one "
        "fails the login with unauthorized_client 'Invalid client or Invalid client credentials' (and later "
        "token refreshes with 400/401). oauthlint compares the configured secret in constant time with the "
        "client's current and rotated secret read through the admin API, or, without admin rights, asks the "
        "token endpoint with a client-credentials grant: 'Invalid client or Invalid client credentials' means "
        "wrong (or expired), 'Client not enabled to retrieve service account' or a token (discarded unread) "
        "means right. Exports mask secrets, so offline the rule runs only on admin-API JSON."
    ),
    remediation=(
        "Copy the client's current secret (Clients → <client> → Credentials → Client secret) into the Connect "
        "integration."
    ),
    bad="client_secret = an old secret from before 'Regenerate' was pressed",
    good='client_secret = "${env:CONNECT_SALES_SECRET}"   # the value Keycloak shows under Credentials',
    references=(CLIENTS_DOC, TROUBLE_DOC),
    error_patterns=(r"unauthorized_client", INVALID_CLIENT, r"invalid client credentials", r"invalid client secret"),
    provider=P,
)
KC006 = Rule(
    code="KC006",
    name="keycloak-secret-expired",
    severity=E,
    summary=(
        "The client secret has passed `client.secret.expiration.time`, or only the rotated secret matches "
        "and it expired."
    ),
    prevents="400 Bad Request: Invalid client or Invalid client credentials",
    why=(
        "With a client policy using the secret-rotation executor (preview feature client-secret-rotation), "
        "secrets get an expiry (attribute client.secret.expiration.time). Keycloak checks it after the value: "
        "even the right secret fails once it expired, and nothing rotates it on use. When an admin saves or "
        "regenerates the client, the previous secret moves to client.secret.rotated and keeps working only "
        "until client.secret.rotated.expiration.time; Connect, still holding it, then fails every refresh "
        "with 'Invalid client or Invalid client credentials'."
    ),
    remediation=(
        "Regenerate the secret (Clients → <client> → Credentials) or let the rotation policy rotate it, and "
        "put the new current secret into Connect."
    ),
    bad='"client.secret.expiration.time": "1795219200"   # 2026-11-20, in the past',
    good="Connect holds the current secret and its expiration lies beyond the warning window",
    references=(ROTATION_DOC, ADMIN_GUIDE, TROUBLE_DOC),
    error_patterns=(r"400 bad request.*invalid client", INVALID_CLIENT),
    provider=P,
)
KC007 = Rule(
    code="KC007",
    name="keycloak-secret-expiring",
    severity=W,
    summary="The current or rotated client secret expires within the warning window.",
    prevents="400 Bad Request: Invalid client or Invalid client credentials (once it expires)",
    why=(
        "The same failure as KC006, announced ahead: the current secret's client.secret.expiration.time lies "
        "within expiry_warning_days, or Connect holds the rotated-out secret, which Keycloak accepts only until "
        "client.secret.rotated.expiration.time (two days by default). The finding's note names the realm's "
        "secret-rotation client policies."
    ),
    remediation="Put the client's current secret into Connect now; plan rotations before the expiry date.",
    bad="Connect holds the previous secret; client.secret.rotated.expiration.time is in two days",
    good="Connect holds the current secret; its expiry is months away",
    references=(ROTATION_DOC, ADMIN_GUIDE),
    error_patterns=(INVALID_CLIENT,),
    provider=P,
)
KC008 = Rule(
    code="KC008",
    name="keycloak-no-refresh-tokens",
    severity=E,
    summary=(
        "`use.refresh.tokens` is off, or offline_access is requested but is not a client scope, or the "
        "realm's offline_access role is not a default role."
    ),
    prevents="No refresh token found in response; invalid_scope: Invalid scopes: offline_access",
    why=(
        "Connect needs a refresh token to keep viewers signed in. Keycloak issues none when the client's "
        "'Use refresh tokens' switch is off (attribute use.refresh.tokens = false; absent means on). When "
        "Connect requests offline_access, the client needs the offline_access client scope as a default or "
        "optional scope (new clients get it as optional), else Keycloak answers invalid_scope 'Invalid scopes: "
        "offline_access'; and users need the realm role offline_access, normally granted through "
        "default-roles-<realm>, else the token endpoint says 'Offline tokens not allowed for the user or "
        "client'. kcwarden flags offline_access scopes as a risk; for Connect they are required."
    ),
    remediation=(
        "Clients → <client> → Advanced → OpenID Connect Compatibility Modes → Use refresh tokens: On; "
        "Client scopes tab → Add client scope → offline_access (Optional); Realm settings → User registration "
        "→ Default roles: keep offline_access."
    ),
    bad='"attributes": {"use.refresh.tokens": "false"}',
    good='"optionalClientScopes": ["offline_access", …], use.refresh.tokens absent or "true"',
    references=(CLIENTS_DOC, ADMIN_GUIDE, TROUBLE_DOC),
    error_patterns=(
        r"no refresh token found",
        r"invalid_scope",
        r"invalid scopes",
        r"offline tokens not allowed",
    ),
    provider=P,
)
KC009 = Rule(
    code="KC009",
    name="keycloak-standard-flow-disabled",
    severity=E,
    summary="A viewer integration but the client's Standard flow (authorization code) is off.",
    prevents="unauthorized_client: Client is not allowed to initiate browser login with given response_type",
    why=(
        "Viewer integrations log users in with the authorization-code flow, which Keycloak calls Standard "
        "flow. With it off (standardFlowEnabled = false) the login page answers unauthorized_client before "
        "the user can sign in. Service-account integrations use client credentials and are not affected."
    ),
    remediation="Clients → <client> → Settings → Capability config → Standard flow: On.",
    bad='{"standardFlowEnabled": false}',
    good='{"standardFlowEnabled": true}',
    references=(CLIENTS_DOC,),
    error_patterns=(r"not allowed to initiate browser login",),
    provider=P,
)
KC010 = Rule(
    code="KC010",
    name="keycloak-client-type-mismatch",
    severity=E,
    summary="The client's publicClient / bearerOnly setting disagrees with the integration's auth mode.",
    prevents="invalid_client / unauthorized_client",
    why=(
        "A confidential Connect integration sends a client secret; a public Keycloak client (Client "
        "authentication off) ignores it, so the integration works without the protection a secret gives and "
        "the client is not what its owner believes. A public integration sends no secret, which a "
        "confidential client rejects with unauthorized_client. A bearer-only client (legacy flag) can neither "
        "log users in nor get tokens. The realm audit also flags bearer-only clients configured for browser "
        "login."
    ),
    remediation=(
        "For a confidential integration: Clients → <client> → Settings → Client authentication: On (and copy "
        "the secret). For a public integration: Client authentication Off and PKCE S256."
    ),
    bad='auth_mode = "confidential" with {"publicClient": true}',
    good='auth_mode = "confidential" with {"publicClient": false, "bearerOnly": false}',
    references=(CLIENTS_DOC,),
    error_patterns=(r"public client not allowed", r"bearer-only", r"bearer only"),
    provider=P,
)

RULES = (KC001, KC002, KC003, KC004, KC005, KC006, KC007, KC008, KC009, KC010)
