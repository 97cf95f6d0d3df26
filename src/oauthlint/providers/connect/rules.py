"""Catalog entries for the Connect deployment gate (``oauthlint check --connect-server URL --content GUID``)."""

from __future__ import annotations

from oauthlint.model import Rule, Severity

E, W = Severity.ERROR, Severity.WARNING
P = "connect"
TROUBLESHOOTING = "https://docs.posit.co/connect/admin/integrations/oauth-integrations/troubleshooting/"
ADD_TO_CONTENT = "https://docs.posit.co/connect/user/oauth-integrations/#adding-oauth-integrations-to-deployed-content"

CN001 = Rule(
    code="CN001",
    name="connect-content-unassociated",
    severity=E,
    summary="A content item named in the deployment gate has no OAuth integration associated.",
    prevents="ClientError: No OAuth integrations have been associated with this content item.",
    why=(
        "Content asks Connect for credentials (`/__api__/v1/oauth/integrations/credentials`); Connect answers "
        "from the integrations associated with that content item. With none associated, every credential "
        "exchange fails, for every viewer, until a publisher adds one in the content's Access settings."
    ),
    remediation="Associate the integration with the content (Content Settings → Access → Integrations, or PUT /__api__/v1/content/{guid}/oauth/integrations/associations).",
    bad="GET /__api__/v1/content/{guid}/oauth/integrations/associations  →  []",
    good='→ [{"oauth_integration_guid": "…", "oauth_integration_name": "sales-dashboard", …}]',
    references=(TROUBLESHOOTING, ADD_TO_CONTENT),
    error_patterns=(r"no oauth integrations have been associated", r"error code:? ?212"),
    provider=P,
)
CN002 = Rule(
    code="CN002",
    name="connect-no-refresh-token-sessions",
    severity=W,
    summary="OAuth sessions of an integration the content uses have `has_refresh_token: false`.",
    prevents="No refresh token found in response. Refresh tokens are required to update access tokens when they expire.",
    why=(
        "Connect records for each viewer's OAuth session whether the provider returned a refresh token. Sessions "
        "without one stop working when the access token expires, which is the runtime error above: the "
        "provider-side problem (missing `offline_access`/`refresh_token` scope, refresh tokens disabled, a GitHub "
        "OAuth App) has already happened to real users."
    ),
    remediation="Fix the cause the provider rules name (OL001, KC008, SF004, GH001, OI002/OI003), then have the affected viewers log in again (or delete their sessions) so new sessions get refresh tokens.",
    references=(TROUBLESHOOTING,),
    error_patterns=(r"no refresh token found", r"has_refresh_token"),
    provider=P,
)

RULES = (CN001, CN002)
