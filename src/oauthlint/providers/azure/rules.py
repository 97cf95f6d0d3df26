"""Catalog entries for Microsoft Entra ID (Azure) app registrations."""

from __future__ import annotations

from oauthlint.model import Rule, Severity

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO
P = "azure"
REPLY_URL_DOC = "https://learn.microsoft.com/entra/identity-platform/reply-url"
ERROR_CODES_DOC = "https://learn.microsoft.com/entra/identity-platform/reference-error-codes"
PASSWORD_CREDENTIAL_DOC = "https://learn.microsoft.com/graph/api/resources/passwordcredential"

AZ001 = Rule(
    "AZ001",
    "azure-app-not-found",
    E,
    summary="No app registration with this client id (appId) exists in the tenant.",
    prevents="AADSTS700016: Application with identifier '…' was not found in the directory",
    remediation="Check the client id and the tenant id configured in Connect; the app must be registered in that tenant.",
    references=(ERROR_CODES_DOC,),
    error_patterns=(r"AADSTS700016", r"AADSTS700011", r"was not found in the directory"),
    provider=P,
)
AZ002 = Rule(
    "AZ002",
    "azure-no-redirect-uris",
    E,
    summary="The app registration has no redirect URI on the Web platform.",
    prevents="AADSTS500113: No reply address is registered for the application.",
    remediation="Add `<connect_server>/__oauth__/integrations/callback` as a Web redirect URI (Authentication blade → Add a platform → Web).",
    references=(REPLY_URL_DOC,),
    error_patterns=(r"AADSTS500113", r"no reply address is registered"),
    provider=P,
)
AZ003 = Rule(
    "AZ003",
    "azure-redirect-uri-mismatch",
    E,
    summary="The Connect callback is not among the app's Web redirect URIs (exact, case-sensitive match); near misses are named.",
    prevents="AADSTS50011: The redirect URI '…/__oauth__/integrations/callback' specified in the request does not match the redirect URIs configured for the application",
    remediation="Register exactly `<connect_server>/__oauth__/integrations/callback` under the Web platform (not SPA or mobile/desktop).",
    references=(REPLY_URL_DOC,),
    error_patterns=(
        r"AADSTS50011",
        r"does not match the redirect uris configured",
        r"reply url specified in the request does not match",
    ),
    provider=P,
)
AZ004 = Rule(
    "AZ004",
    "azure-secret-id-not-value",
    E,
    summary="The configured secret is the client secret's ID (a GUID, equal to a credential keyId), not its value.",
    prevents="AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID",
    remediation="Copy the secret's Value (shown once, when it is created) into Connect, not its Secret ID; create a new secret if the value is lost.",
    references=(PASSWORD_CREDENTIAL_DOC,),
    error_patterns=(r"AADSTS7000215", r"client secret value, not the client secret id", r"invalid client secret"),
    provider=P,
)
AZ005 = Rule(
    "AZ005",
    "azure-secret-unknown",
    E,
    summary="The first three characters of the configured secret match no password credential's `hint`.",
    prevents="AADSTS7000215: Invalid client secret provided.",
    remediation="The secret belongs to another app or was deleted; configure a current secret of this app registration.",
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
    remediation="Create a new client secret, update the integration in Connect, then delete the expired credential.",
    references=(PASSWORD_CREDENTIAL_DOC,),
    error_patterns=(r"AADSTS7000222", r"client secret keys .* are expired"),
    provider=P,
)
AZ007 = Rule(
    "AZ007",
    "azure-secret-expiring",
    W,
    summary="The password credential matching the configured secret ends within `expiry_warning_days`.",
    prevents="AADSTS7000222: The provided client secret keys are expired (once it ends)",
    remediation="Rotate now: add a new secret, update Connect, delete the old credential after the switch.",
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
    remediation="Configure a valid, unexpired secret of this app registration in Connect.",
    references=(ERROR_CODES_DOC,),
    error_patterns=(r"AADSTS7000215", r"AADSTS7000222", r"AADSTS70002\b"),
    provider=P,
)
AZ009 = Rule(
    "AZ009",
    "azure-scopes-mixed-resources",
    E,
    summary="Scopes target more than one resource, mix `.default` with other scopes, or ask for Graph where a custom API is meant.",
    prevents="BadRequest: io.jsonwebtoken.security.SignatureException: JWT signature does not match locally computed signature; AADSTS700022",
    remediation="Request scopes of one resource only (plus openid/profile/email/offline_access); use `<resource>/.default` alone or individual scopes, not both.",
    references=("https://learn.microsoft.com/entra/identity-platform/scopes-oidc",),
    error_patterns=(
        r"JWT signature does not match locally computed signature",
        r"SignatureException",
        r"AADSTS700022",
        r"AADSTS70011\b",
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
    remediation="Add the permission under API permissions and grant admin consent for the tenant.",
    references=("https://learn.microsoft.com/graph/api/resources/oauth2permissiongrant",),
    error_patterns=(r"AADSTS65001", r"AADSTS650057", r"has not consented"),
    provider=P,
)
AZ011 = Rule(
    "AZ011",
    "azure-client-type-mismatch",
    E,
    summary="A public integration but the app allows no public-client flows, or a confidential integration on a public-client app.",
    prevents="AADSTS7000218 (client_secret or client_assertion required) / AADSTS700025 (public client must not present a secret)",
    remediation="Match Connect's auth mode to the app: confidential with a Web platform and a secret, or public with 'Allow public client flows' on.",
    references=(ERROR_CODES_DOC,),
    error_patterns=(r"AADSTS7000218", r"AADSTS700025", r"client is public so neither"),
    provider=P,
)
AZ012 = Rule(
    "AZ012",
    "azure-credential-lifetime-too-long",
    W,
    summary="A password or certificate credential has no end date or a lifetime over 730 days (app or service principal).",
    prevents="(hygiene: long-lived secrets leak)",
    remediation="Replace it with a credential that expires within two years; consider certificates or workload identity federation.",
    references=(PASSWORD_CREDENTIAL_DOC,),
    provider=P,
)
AZ013 = Rule(
    "AZ013",
    "azure-expired-credential-lingering",
    I,
    summary="An expired credential is still attached to the app registration or service principal.",
    prevents="(confusion over which secret is live)",
    remediation="Delete expired credentials once nothing uses them.",
    references=(PASSWORD_CREDENTIAL_DOC,),
    provider=P,
)

RULES = (AZ001, AZ002, AZ003, AZ004, AZ005, AZ006, AZ007, AZ008, AZ009, AZ010, AZ011, AZ012, AZ013)
