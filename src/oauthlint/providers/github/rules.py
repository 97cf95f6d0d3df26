"""Catalog entry for GitHub used through a Connect OAuth integration."""

from __future__ import annotations

from oauthlint.model import Rule, Severity

E = Severity.ERROR
P = "github"

GH001 = Rule(
    code="GH001",
    name="github-oauth-app-no-refresh",
    severity=E,
    summary="A custom viewer integration on GitHub uses an OAuth App's client id (`Ov23…`, or 20 hex digits); OAuth Apps never return refresh tokens.",
    prevents="No refresh token found in response. Refresh tokens are required to update access tokens when they expire.",
    why=(
        "Connect keeps a viewer logged in by refreshing the access token, so a custom OAuth integration needs a "
        "provider that returns a refresh token. GitHub OAuth Apps do not; GitHub Apps do when 'Expire user "
        "authorization tokens' is on (the default: access token 8 hours, refresh token 6 months). GitHub ignores "
        "scopes, so adding `offline_access` changes nothing. The client id tells the two apart: GitHub App ids "
        "start `Iv23` (legacy `Iv1.` + 16 hex), OAuth App ids start `Ov23` (legacy: 20 hex digits). This is a "
        "heuristic: GitHub does not document the formats, so an unrecognised id is not reported. Connect's own "
        "`github` template handles OAuth Apps itself and is not reported."
    ),
    remediation=(
        "Register a GitHub App (Settings → Developer settings → GitHub Apps) with the Connect callback as its "
        "callback URL and 'Expire user authorization tokens' on, and put its client id and a client secret into "
        "the integration; or use Connect's built-in GitHub template."
    ),
    bad='provider = "github"\nclient_id = "Ov23liAbCdEfGhIjKlMn"  # an OAuth App',
    good='provider = "github"\nclient_id = "Iv23liKagsdSr7lkx7M5"  # a GitHub App with expiring user tokens',
    references=(
        "https://docs.posit.co/connect/admin/integrations/oauth-integrations/troubleshooting/",
        "https://docs.posit.co/connect/admin/integrations/oauth-integrations/github/",
        "https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/refreshing-user-access-tokens",
    ),
    error_patterns=(r"no refresh token found", r"github.*refresh token", r"oauth apps? do(es)? not return refresh"),
    provider=P,
)

RULES = (GH001,)
