"""Catalog entries for Microsoft Entra ID (Azure) app registrations.

Codes, names and default severities are a contract (users put them in ignore lists); the texts may improve.
Each rule is emitted by one function in checks.py (``grep AZ003 providers/azure``).
"""

from __future__ import annotations

from oauthlint.model import Rule, Severity

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO
P = "azure"
REPLY_URL_DOC = "https://learn.microsoft.com/entra/identity-platform/reply-url"
ERROR_CODES_DOC = "https://learn.microsoft.com/entra/identity-platform/reference-error-codes"
PASSWORD_CREDENTIAL_DOC = "https://learn.microsoft.com/graph/api/resources/passwordcredential"
APPLICATION_DOC = "https://learn.microsoft.com/graph/api/resources/application"
SCOPES_DOC = "https://learn.microsoft.com/entra/identity-platform/scopes-oidc"
CLIENT_CREDENTIALS_DOC = "https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow"
GRANTS_DOC = "https://learn.microsoft.com/graph/api/resources/oauth2permissiongrant"
CONSENT_DOC = "https://learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent"
POSIT_AZURE_DOC = "https://docs.posit.co/connect/admin/integrations/oauth-integrations/azure/"
POSIT_TROUBLESHOOTING = "https://docs.posit.co/connect/admin/integrations/oauth-integrations/troubleshooting/"
CALLBACK = "https://connect.example.com/__oauth__/integrations/callback"

AZ001 = Rule(
    "AZ001",
    "azure-app-not-found",
    E,
    summary="No app registration with this client id (appId) exists in the tenant.",
    prevents="AADSTS700016: Application with identifier '…' was not found in the directory '…'",
    why=(
        "Connect sends its client id to the tenant's authorize and token endpoints. If no app registration in that "
        "tenant has this appId, every login fails. Common causes: the Object ID or the Secret ID was copied instead "
        "of the Application (client) ID, or the app lives in another tenant (tenant_id points elsewhere). Live, "
        "oauthlint asks Graph for `applications(appId='…')`; offline, an empty `$filter` answer or a snapshot of "
        "another appId says the same."
    ),
    remediation="Copy the Application (client) ID from the app's Overview blade into Connect, and check the tenant id.",
    bad='client_id = "a0b1c2d3-…"   # the Object ID',
    good='client_id = "6f1c2b1e-…"  # Application (client) ID',
    references=(ERROR_CODES_DOC, "https://learn.microsoft.com/graph/api/application-get"),
    error_patterns=(r"AADSTS700016", r"AADSTS700011", r"was not found in the directory"),
    provider=P,
)
AZ002 = Rule(
    "AZ002",
    "azure-no-redirect-uris",
    E,
    summary="The app registration has no redirect URI on the Web platform.",
    prevents="AADSTS500113: No reply address is registered for the application.",
    why=(
        "A viewer integration sends the browser to Entra with Connect's callback as `redirect_uri`. An app without "
        "any Web redirect URI cannot return the authorization code to a server, so the sign-in stops at Entra. "
        "Service-account integrations use client credentials and need no redirect URI."
    ),
    remediation="Add `<connect_server>/__oauth__/integrations/callback` as a Web redirect URI (Authentication blade → Add a platform → Web).",
    bad='"web": {"redirectUris": []}',
    good=f'"web": {{"redirectUris": ["{CALLBACK}"]}}',
    references=(REPLY_URL_DOC, POSIT_AZURE_DOC, POSIT_TROUBLESHOOTING),
    error_patterns=(r"AADSTS500113", r"no reply address is registered"),
    provider=P,
)
AZ003 = Rule(
    "AZ003",
    "azure-redirect-uri-mismatch",
    E,
    summary="The Connect callback is not among the app's Web redirect URIs (exact, case-sensitive match); near misses are named.",
    prevents="AADSTS50011: The redirect URI '…/__oauth__/integrations/callback' specified in the request does not match the redirect URIs configured for the application",
    why=(
        "Entra compares the redirect URI exactly: scheme, host, port, path case and trailing slash all count "
        "(only a loopback host's port is ignored). A URI registered under Single-page application or Mobile and "
        "desktop serves that client type only. oauthlint names the closest registered URI and what differs: a "
        "trailing or double slash, http where a TLS-terminating proxy made Connect look like http, host case, a "
        "port, or the wrong platform."
    ),
    remediation="Register exactly `<connect_server>/__oauth__/integrations/callback` under the Web platform (not SPA or mobile/desktop).",
    bad=f'"web": {{"redirectUris": ["{CALLBACK}/"]}}   # trailing slash',
    good=f'"web": {{"redirectUris": ["{CALLBACK}"]}}',
    references=(REPLY_URL_DOC, POSIT_AZURE_DOC, POSIT_TROUBLESHOOTING),
    error_patterns=(
        r"AADSTS50011",
        r"does not match the redirect uris configured",
        r"reply url specified in the request does not match",
        r"AADSTS9002327",
    ),
    provider=P,
)
AZ004 = Rule(
    "AZ004",
    "azure-secret-id-not-value",
    E,
    summary="The configured secret is the client secret's ID (a GUID, equal to a credential keyId), not its value.",
    prevents="AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID",
    why=(
        "The portal lists each client secret with a Secret ID (a GUID, Graph's `keyId`) next to its Value, and the "
        "Value is shown only once, right after creation. Pasting the Secret ID is the most common cause of "
        "AADSTS7000215. Entra-generated values are 16–64 characters and never GUID-shaped."
    ),
    remediation="Copy the secret's Value (shown once, when it is created) into Connect, not its Secret ID; create a new secret if the value is lost.",
    bad='client_secret = "2b5f7c9e-1a3d-4e6f-8a0b-c1d2e3f4a5b6"   # Secret ID',
    good='client_secret = "${env:SALES_SECRET}"   # the Value, e.g. "Sd4~8Q…"',
    references=(PASSWORD_CREDENTIAL_DOC, POSIT_TROUBLESHOOTING),
    error_patterns=(r"AADSTS7000215", r"client secret value, not the client secret id", r"invalid client secret"),
    provider=P,
)
AZ005 = Rule(
    "AZ005",
    "azure-secret-unknown",
    E,
    summary="The first three characters of the configured secret match no password credential's `hint`.",
    prevents="AADSTS7000215: Invalid client secret provided.",
    why=(
        "Graph publishes the first three characters of every client secret as `hint`. When the configured secret "
        "starts differently from all of them, it cannot be one of this app's secrets: it belongs to another app, "
        "was deleted after a rotation, or was mistyped. The check needs no token request and compares in constant "
        "time; the live probe (AZ008) confirms it."
    ),
    remediation="The secret belongs to another app or was deleted; configure a current secret of this app registration.",
    bad='passwordCredentials: [{"hint": "Sd4", …}]   client_secret = "Xy9~…"',
    good='passwordCredentials: [{"hint": "Sd4", …}]   client_secret = "Sd4~…"',
    references=(PASSWORD_CREDENTIAL_DOC,),
    error_patterns=(r"AADSTS7000215", r"invalid client secret", r"AADSTS70002\b"),
    provider=P,
)
AZ006 = Rule(
    "AZ006",
    "azure-secret-expired",
    E,
    summary="The password credential matching the configured secret has passed its `endDateTime`.",
    prevents="AADSTS7000222: The provided client secret keys for app '…' are expired.",
    why=(
        "Client secrets expire (at most 24 months from the portal). Connect keeps working until it next needs "
        "the token endpoint (a login or a refresh), then every viewer gets AADSTS7000222. A `hint` has only three "
        "characters, so when several credentials share it oauthlint reports only when all of them have expired."
    ),
    remediation="Create a new client secret, update the integration in Connect, then delete the expired credential.",
    bad='{"hint": "Sd4", "endDateTime": "2026-10-01T00:00:00Z"}   # in the past',
    good='{"hint": "Sd4", "endDateTime": "2027-10-01T00:00:00Z"}',
    references=(PASSWORD_CREDENTIAL_DOC, ERROR_CODES_DOC, POSIT_TROUBLESHOOTING),
    error_patterns=(r"AADSTS7000222", r"client secret keys .* are expired"),
    provider=P,
)
AZ007 = Rule(
    "AZ007",
    "azure-secret-expiring",
    W,
    summary="The password credential matching the configured secret ends within `expiry_warning_days`.",
    prevents="AADSTS7000222: The provided client secret keys are expired (once it ends)",
    why=(
        "Rotating before the end date avoids an outage: add a second secret, switch Connect to it, then remove the "
        "old one. The window is `expiry_warning_days` (default 30)."
    ),
    remediation="Rotate now: add a new secret, update Connect, delete the old credential after the switch.",
    bad='{"hint": "Sd4", "endDateTime": "<in 9 days>"}',
    good='{"hint": "Sd4", "endDateTime": "<in a year>"}',
    references=(PASSWORD_CREDENTIAL_DOC,),
    error_patterns=(r"AADSTS7000222",),
    provider=P,
)
AZ008 = Rule(
    "AZ008",
    "azure-secret-rejected",
    E,
    summary="Live probe: a client-credentials token request with the configured secret is refused by Entra ID.",
    prevents="AADSTS7000215 / AADSTS7000222 at login or token refresh",
    why=(
        "The hint check (AZ005) sees only three characters. The probe asks the tenant's token endpoint for an app "
        "token with the configured client id and secret, from a fresh msal app with an empty token cache, and "
        "reports the AADSTS code of a refusal. The token itself is discarded unread. Turn the probe off with "
        "`probe = false` in [providers.azure] where policy forbids such sign-ins."
    ),
    remediation="Configure a valid, unexpired secret of this app registration in Connect.",
    bad="invalid_client (AADSTS7000215)",
    good="token issued (and discarded)",
    references=(CLIENT_CREDENTIALS_DOC, ERROR_CODES_DOC),
    error_patterns=(r"AADSTS7000215", r"AADSTS7000222", r"AADSTS70002\b"),
    provider=P,
)
AZ009 = Rule(
    "AZ009",
    "azure-scopes-mixed-resources",
    E,
    summary="Scopes target more than one resource, mix `.default` with other scopes, or ask for Graph where a custom API is meant.",
    prevents="BadRequest: io.jsonwebtoken.security.SignatureException: JWT signature does not match locally computed signature; AADSTS700022",
    why=(
        "An access token is issued for one resource. Scopes of two APIs (Graph and `api://…`) fail with "
        "AADSTS700022 or yield a token only one of them accepts; with only OpenID scopes Entra issues a Microsoft "
        "Graph token, which no other API can validate (Graph tokens carry a nonce only Graph checks), hence the "
        "JWT signature error. `.default` already means every permission the app declares, so it is not combined "
        "with named permissions. Service accounts use client credentials, which accept only `<resource>/.default` "
        "(AADSTS1002012). Set the integration's `resource` to the API the token is for to catch a Graph token "
        "where that API is meant."
    ),
    remediation="Request scopes of one resource only (plus openid/profile/email/offline_access); use `<resource>/.default` alone or individual scopes, not both.",
    bad='scopes = ["offline_access", "https://graph.microsoft.com/User.Read", "api://sales-api/access_as_user"]',
    good='scopes = ["offline_access", "api://sales-api/access_as_user"]',
    references=(SCOPES_DOC, POSIT_AZURE_DOC, POSIT_TROUBLESHOOTING),
    error_patterns=(
        r"JWT signature does not match locally computed signature",
        r"SignatureException",
        r"AADSTS700022",
        r"AADSTS70011\b",
        r"AADSTS1002012",
        r"more than one resource",
    ),
    provider=P,
)
AZ010 = Rule(
    "AZ010",
    "azure-scope-not-granted",
    W,
    summary="A requested delegated permission is not in requiredResourceAccess, or not admin-consented.",
    prevents="AADSTS65001: The user or administrator has not consented to use the application",
    why=(
        "A permission must be declared under API permissions (`requiredResourceAccess`) and consented. Without "
        "tenant-wide admin consent (an `AllPrincipals` oauth2PermissionGrant) each viewer meets a consent prompt, "
        "or AADSTS65001 where user consent is disabled. Offline, consent is judged only when the snapshot carries "
        "`oauth2PermissionGrants`; live, reading grants needs Directory.Read.All."
    ),
    remediation="Add the permission under API permissions and grant admin consent for the tenant.",
    bad='grants: [{"consentType": "Principal", "scope": "User.Read"}]   # one user only',
    good='grants: [{"consentType": "AllPrincipals", "scope": "User.Read"}]',
    references=(GRANTS_DOC, CONSENT_DOC, ERROR_CODES_DOC),
    error_patterns=(r"AADSTS65001", r"AADSTS650057", r"has not consented"),
    provider=P,
)
AZ011 = Rule(
    "AZ011",
    "azure-client-type-mismatch",
    E,
    summary="A public integration but the app allows no public-client flows, or a confidential integration on a public-client app.",
    prevents="AADSTS7000218 (client_secret or client_assertion required) / AADSTS700025 (public client must not present a secret)",
    why=(
        "Entra decides the client type at the token endpoint from where the redirect URI is registered. A public "
        "(secretless) integration works when the callback is a Mobile-and-desktop redirect URI or 'Allow public "
        "client flows' (`isFallbackPublicClient`) is on; otherwise the code redemption needs a secret "
        "(AADSTS7000218). A confidential integration whose callback is registered only under Mobile and desktop "
        "presents a secret to a public client (AADSTS700025)."
    ),
    remediation="Match Connect's auth mode to the app: confidential with a Web platform and a secret, or public with 'Allow public client flows' on.",
    bad='auth_mode = "public"   # app: web only, isFallbackPublicClient = false',
    good='auth_mode = "public"   # app: isFallbackPublicClient = true',
    references=(ERROR_CODES_DOC, APPLICATION_DOC),
    error_patterns=(r"AADSTS7000218", r"AADSTS700025", r"client is public so neither"),
    provider=P,
)
AZ012 = Rule(
    "AZ012",
    "azure-credential-lifetime-too-long",
    W,
    summary="A password or certificate credential has no end date or a lifetime over 730 days (app or service principal).",
    prevents="(hygiene: long-lived secrets leak)",
    why=(
        "The portal caps new secrets at 24 months, but the CLI, Graph and older tools can create secrets for years "
        "or forever, and SAML signing certificates often last ten years. The longer a credential lives, the longer "
        "a leaked copy works. A 24-month period spanning 29 February (731 days) is accepted. The tenant-wide scan "
        "(`oauthlint secrets --provider azure`) covers every application and service principal."
    ),
    remediation="Replace it with a credential that expires within two years; consider certificates or workload identity federation.",
    bad='{"startDateTime": "2026-06-01T00:00:00Z", "endDateTime": "2029-06-01T00:00:00Z"}',
    good='{"startDateTime": "2026-06-01T00:00:00Z", "endDateTime": "2027-06-01T00:00:00Z"}',
    references=(PASSWORD_CREDENTIAL_DOC, "https://learn.microsoft.com/graph/api/resources/keycredential"),
    provider=P,
)
AZ013 = Rule(
    "AZ013",
    "azure-expired-credential-lingering",
    I,
    summary="An expired credential is still attached to the app registration or service principal.",
    prevents="(confusion over which secret is live)",
    why=(
        "Expired secrets and certificates do nothing but confuse: during an incident nobody knows which of several "
        "similar-looking credentials is the live one, and Entra's own 'renew expiring credentials' recommendation "
        "stops showing them once expired."
    ),
    remediation="Delete expired credentials once nothing uses them.",
    bad="passwordCredentials: [<expired 2026-01-01>, <current>]",
    good="passwordCredentials: [<current>]",
    references=(PASSWORD_CREDENTIAL_DOC,),
    provider=P,
)

RULES = (AZ001, AZ002, AZ003, AZ004, AZ005, AZ006, AZ007, AZ008, AZ009, AZ010, AZ011, AZ012, AZ013)
