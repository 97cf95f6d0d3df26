"""Catalog entries for Snowflake OAuth security integrations (OAUTH_CLIENT = CUSTOM)."""

from __future__ import annotations

from oauthlint.model import Rule, Severity

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO
P = "snowflake"
CREATE_DOC = "https://docs.snowflake.com/sql-reference/sql/create-security-integration-oauth-snowflake"

SF001 = Rule(
    "SF001", "snowflake-integration-not-found", E,
    summary="No OAuth security integration in the account has this OAUTH_CLIENT_ID.",
    prevents="invalid_client at Snowflake's /oauth/authorize",
    remediation="Check the client id and account in Connect against `SELECT SYSTEM$SHOW_OAUTH_CLIENT_SECRETS('<NAME>')`.",
    references=(CREATE_DOC,),
    provider=P,
)
SF002 = Rule(
    "SF002", "snowflake-redirect-uri-mismatch", E,
    summary="OAUTH_REDIRECT_URI is not exactly the Connect callback.",
    prevents="Error occurred in authorization: There is a mismatch in the given redirect uri with the one in the registered OAuth client integration.",
    remediation="ALTER SECURITY INTEGRATION <name> SET OAUTH_REDIRECT_URI = '<connect_server>/__oauth__/integrations/callback' (run by its owner).",
    references=(CREATE_DOC,),
    error_patterns=(r"mismatch in the given redirect uri", r"registered oauth client integration"),
    provider=P,
)
SF003 = Rule(
    "SF003", "snowflake-integration-disabled", E,
    summary="The security integration has ENABLED = FALSE.",
    prevents="invalid_client / OAuth login refused",
    remediation="ALTER SECURITY INTEGRATION <name> SET ENABLED = TRUE.",
    references=(CREATE_DOC,),
    provider=P,
)
SF004 = Rule(
    "SF004", "snowflake-refresh-tokens-disabled", E,
    summary="OAUTH_ISSUE_REFRESH_TOKENS = FALSE, so Connect never gets a refresh token.",
    prevents="No refresh token found in response.",
    remediation="ALTER SECURITY INTEGRATION <name> SET OAUTH_ISSUE_REFRESH_TOKENS = TRUE.",
    references=(CREATE_DOC,),
    error_patterns=(r"no refresh token found",),
    provider=P,
)
SF005 = Rule(
    "SF005", "snowflake-client-type-mismatch", E,
    summary="OAUTH_CLIENT_TYPE differs from the integration's auth mode (Connect needs CONFIDENTIAL).",
    prevents="invalid_client at the token endpoint",
    remediation="Recreate the integration with OAUTH_CLIENT_TYPE = 'CONFIDENTIAL' (it cannot be altered) and use confidential auth in Connect.",
    references=(CREATE_DOC,),
    provider=P,
)
SF006 = Rule(
    "SF006", "snowflake-secret-mismatch", E,
    summary="The configured secret equals neither OAUTH_CLIENT_SECRET nor OAUTH_CLIENT_SECRET_2.",
    prevents="invalid_client: Client authentication failed",
    remediation="Copy a current secret from `SELECT SYSTEM$SHOW_OAUTH_CLIENT_SECRETS('<NAME>')` into Connect.",
    references=("https://docs.snowflake.com/sql-reference/functions/system_show_oauth_client_secrets",),
    error_patterns=(r"invalid_client", r"client authentication failed"),
    provider=P,
)
SF007 = Rule(
    "SF007", "snowflake-account-missing", E,
    summary="No account or account_url, or a malformed account identifier (e.g. a full URL where an identifier belongs).",
    prevents="ProgrammingError: 251001: Account must be specified (connector 4.x); errno 7 / 251007 (5.x)",
    remediation="Set `account` to `<orgname>-<account_name>` (or a legacy locator such as `xy12345.us-east-2.aws`), or `account_url` to `https://<account>.snowflakecomputing.com`.",
    references=("https://docs.snowflake.com/user-guide/admin-account-identifier",),
    error_patterns=(r"251001", r"account must be specified", r"251007", r"invalid character .* in account identifier", r"missing required parameter 'account'"),
    provider=P,
)
SF008 = Rule(
    "SF008", "snowflake-refresh-validity-short", W,
    summary="OAUTH_REFRESH_TOKEN_VALIDITY is under one day.",
    prevents="frequent re-login (Connect API Error 219: Refresh token is invalid)",
    remediation="ALTER SECURITY INTEGRATION <name> SET OAUTH_REFRESH_TOKEN_VALIDITY = 7776000 (90 days) or what your policy allows.",
    references=(CREATE_DOC,),
    error_patterns=(r"refresh token is invalid", r"error 219"),
    provider=P,
)
SF009 = Rule(
    "SF009", "snowflake-non-tls-redirect", W,
    summary="OAUTH_ALLOW_NON_TLS_REDIRECT_URI = TRUE: authorization codes may travel over plain http.",
    prevents="(security: codes exposed in transit)",
    remediation="ALTER SECURITY INTEGRATION <name> SET OAUTH_ALLOW_NON_TLS_REDIRECT_URI = FALSE, and serve Connect over https.",
    references=(CREATE_DOC,),
    provider=P,
)

RULES = (SF001, SF002, SF003, SF004, SF005, SF006, SF007, SF008, SF009)
