"""Catalog entries for Snowflake OAuth security integrations (``TYPE = OAUTH``, ``OAUTH_CLIENT = CUSTOM``).

Codes, names and default severities are a contract; texts may improve.
"""

from __future__ import annotations

from oauthlint.model import Rule, Severity

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO
P = "snowflake"
CREATE_DOC = "https://docs.snowflake.com/sql-reference/sql/create-security-integration-oauth-snowflake"
ALTER_DOC = "https://docs.snowflake.com/sql-reference/sql/alter-security-integration-oauth-snowflake"
DESC_DOC = "https://docs.snowflake.com/sql-reference/sql/desc-integration"
CUSTOM_DOC = "https://docs.snowflake.com/user-guide/oauth-custom"
SECRETS_DOC = "https://docs.snowflake.com/sql-reference/functions/system_show_oauth_client_secrets"
ACCOUNT_DOC = "https://docs.snowflake.com/user-guide/admin-account-identifier"
POSIT_DOC = "https://docs.posit.co/connect/admin/integrations/oauth-integrations/snowflake/"
TROUBLE_DOC = "https://docs.posit.co/connect/admin/integrations/oauth-integrations/troubleshooting/"

SF001 = Rule(
    code="SF001",
    name="snowflake-integration-not-found",
    severity=E,
    summary="No OAuth security integration in the account has this OAUTH_CLIENT_ID.",
    prevents="invalid_client at Snowflake's /oauth/authorize",
    why=(
        "Connect sends its client_id to https://<account>.snowflakecomputing.com/oauth/authorize. When no "
        "security integration in that account carries the id (a typo, a client id copied from another account, "
        "an integration that was dropped and recreated, which generates a new id), Snowflake rejects the "
        "login before the user sees a consent page. oauthlint lists the account's OAuth integrations "
        "(SHOW SECURITY INTEGRATIONS, DESCRIBE each) and compares OAUTH_CLIENT_ID exactly; offline it compares "
        "the export's OAUTH_CLIENT_ID with Connect's client_id."
    ),
    remediation=(
        "Copy OAUTH_CLIENT_ID from `SELECT SYSTEM$SHOW_OAUTH_CLIENT_SECRETS('<NAME>')` into the Connect "
        "integration, and check that account_url names the account the integration lives in."
    ),
    bad='client_id = "Q2xpZW50SWRPZkFub3RoZXJBY2NvdW50="  # from the staging account',
    good="client_id = the OAUTH_CLIENT_ID that DESCRIBE SECURITY INTEGRATION POSIT_CONNECT shows",
    references=(SECRETS_DOC, DESC_DOC, POSIT_DOC),
    error_patterns=(r"invalid_client", r"client.{0,20}(not found|does not exist)"),
    provider=P,
)
SF002 = Rule(
    code="SF002",
    name="snowflake-redirect-uri-mismatch",
    severity=E,
    summary="OAUTH_REDIRECT_URI is not exactly the Connect callback.",
    prevents=(
        "Error occurred in authorization: There is a mismatch in the given redirect uri with the one in the "
        "registered OAuth client integration."
    ),
    why=(
        "A Snowflake OAuth integration holds exactly one OAUTH_REDIRECT_URI, and the redirect_uri Connect sends "
        "(`<connect_server>/__oauth__/integrations/callback`) must equal it. Snowflake documents no normalisation, "
        "so oauthlint compares byte for byte and names the usual near misses: a trailing slash, http instead of "
        "https (a TLS-terminating proxy in front of Connect), a host in different case, an explicit :443 port."
    ),
    remediation=(
        "ALTER SECURITY INTEGRATION <name> SET OAUTH_REDIRECT_URI = "
        "'<connect_server>/__oauth__/integrations/callback' (run by its owner), or fix connect_server."
    ),
    bad="OAUTH_REDIRECT_URI = 'https://connect.example.com/__oauth__/integrations/callback/'",
    good="OAUTH_REDIRECT_URI = 'https://connect.example.com/__oauth__/integrations/callback'",
    references=(CREATE_DOC, ALTER_DOC, POSIT_DOC, TROUBLE_DOC),
    error_patterns=(
        r"mismatch in the given redirect uri",
        r"registered oauth client integration",
        r"redirect.?uri.{0,40}(mismatch|does not match|invalid)",
    ),
    provider=P,
)
SF003 = Rule(
    code="SF003",
    name="snowflake-integration-disabled",
    severity=E,
    summary="The security integration has ENABLED = FALSE.",
    prevents="invalid_client / OAuth login refused",
    why=(
        "A disabled integration refuses every authorization and token request. ENABLED defaults to FALSE in "
        "CREATE SECURITY INTEGRATION, so an integration created without `ENABLED = TRUE` never worked."
    ),
    remediation="ALTER SECURITY INTEGRATION <name> SET ENABLED = TRUE.",
    bad="CREATE SECURITY INTEGRATION POSIT_CONNECT TYPE = OAUTH OAUTH_CLIENT = CUSTOM ...  -- ENABLED omitted",
    good="ALTER SECURITY INTEGRATION POSIT_CONNECT SET ENABLED = TRUE;",
    references=(CREATE_DOC, ALTER_DOC),
    error_patterns=(r"integration .{0,40}(is )?disabled",),
    provider=P,
)
SF004 = Rule(
    code="SF004",
    name="snowflake-refresh-tokens-disabled",
    severity=E,
    summary="OAUTH_ISSUE_REFRESH_TOKENS = FALSE, so Connect never gets a refresh token.",
    prevents="No refresh token found in response.",
    why=(
        "Connect keeps a viewer's Snowflake session alive with the refresh token. With "
        "OAUTH_ISSUE_REFRESH_TOKENS = FALSE Snowflake issues none, even when Connect asks for the "
        "`refresh_token` scope, and Connect fails right after the first login."
    ),
    remediation="ALTER SECURITY INTEGRATION <name> SET OAUTH_ISSUE_REFRESH_TOKENS = TRUE.",
    bad="OAUTH_ISSUE_REFRESH_TOKENS = FALSE",
    good='OAUTH_ISSUE_REFRESH_TOKENS = TRUE  -- and scopes = ["refresh_token"] in Connect',
    references=(CREATE_DOC, TROUBLE_DOC),
    error_patterns=(r"no refresh token found",),
    provider=P,
)
SF005 = Rule(
    code="SF005",
    name="snowflake-client-type-mismatch",
    severity=E,
    summary="OAUTH_CLIENT_TYPE differs from the integration's auth mode (Connect needs CONFIDENTIAL).",
    prevents="invalid_client at the token endpoint",
    why=(
        "Posit Connect supports only integrations that target Confidential Snowflake OAuth clients: Connect "
        "authenticates to /oauth/token-request with the client secret. A PUBLIC Snowflake client, or a Connect "
        "integration in public auth mode that therefore sends no secret, fails at the token exchange."
    ),
    remediation=(
        "Recreate the integration with OAUTH_CLIENT_TYPE = 'CONFIDENTIAL' (it cannot be altered; the client id "
        "and secrets change) and use confidential auth mode with its secret in Connect."
    ),
    bad="OAUTH_CLIENT_TYPE = 'PUBLIC'",
    good="OAUTH_CLIENT_TYPE = 'CONFIDENTIAL'",
    references=(CREATE_DOC, POSIT_DOC),
    error_patterns=(r"invalid_client",),
    provider=P,
)
SF006 = Rule(
    code="SF006",
    name="snowflake-secret-mismatch",
    severity=E,
    summary="The configured secret equals neither OAUTH_CLIENT_SECRET nor OAUTH_CLIENT_SECRET_2.",
    prevents="invalid_client: Client authentication failed",
    why=(
        "Snowflake keeps two client secrets so one can be rotated while the other is in use; Connect's secret "
        "must equal one of them. After `ALTER SECURITY INTEGRATION … REFRESH OAUTH_CLIENT_SECRET` the old value "
        "stops working. oauthlint reads both with SYSTEM$SHOW_OAUTH_CLIENT_SECRETS (which needs OWNERSHIP of "
        "the integration) and compares in constant time, never printing them; without the privilege it reports "
        "this rule at info level, saying what is missing. Offline it compares when the export carries a "
        '"secrets" object.'
    ),
    remediation=(
        "Copy a current secret from `SELECT SYSTEM$SHOW_OAUTH_CLIENT_SECRETS('<NAME>')` into Connect; to let "
        "oauthlint compare live, run it with the integration's owner role."
    ),
    bad="client_secret = the value from before the last REFRESH OAUTH_CLIENT_SECRET",
    good='client_secret = "${env:SNOWFLAKE_OAUTH_SECRET}"  # = OAUTH_CLIENT_SECRET or OAUTH_CLIENT_SECRET_2',
    references=(SECRETS_DOC, ALTER_DOC),
    error_patterns=(r"invalid_client", r"client authentication failed"),
    provider=P,
)
SF007 = Rule(
    code="SF007",
    name="snowflake-account-missing",
    severity=E,
    summary="No account or account_url, or a malformed account identifier (e.g. a full URL where an identifier belongs).",
    prevents="ProgrammingError: 251001: Account must be specified (connector 4.x); errno 7 / 251007 (5.x)",
    why=(
        "Connect builds the authorize and token URLs from account_url, and content passes the account to "
        "snowflake.connector.connect(account=…). The identifier is `<orgname>-<account_name>` or a legacy "
        "locator (`xy12345`, `xy12345.us-east-2.aws`, `…privatelink`); a full URL or a host name where an "
        "identifier belongs yields a doubled .snowflakecomputing.com host or the connector's 251007 "
        "'Invalid character' error, and no account at all yields 251001 (4.x) or errno 7 (5.x). oauthlint "
        "validates both forms before connecting and names the expected one."
    ),
    remediation=(
        "Set `account_url` to `https://<orgname>-<account_name>.snowflakecomputing.com` (Connect's field) or "
        "`account` to `<orgname>-<account_name>` (or a legacy locator such as `xy12345.us-east-2.aws`)."
    ),
    bad='account = "https://myorg-myaccount.snowflakecomputing.com"',
    good='account = "myorg-myaccount"  # or account_url = "https://myorg-myaccount.snowflakecomputing.com"',
    references=(ACCOUNT_DOC, TROUBLE_DOC),
    error_patterns=(
        r"251001",
        r"account must be specified",
        r"251007",
        r"invalid character .* in account identifier",
        r"missing required parameter 'account'",
    ),
    provider=P,
)
SF008 = Rule(
    code="SF008",
    name="snowflake-refresh-validity-short",
    severity=W,
    summary="OAUTH_REFRESH_TOKEN_VALIDITY is under one day.",
    prevents="frequent re-login (Connect API Error 219: Refresh token is invalid)",
    why=(
        "When the refresh token expires the viewer must log in to Snowflake again through Connect; content "
        "then fails with Connect API Error 219. The default is 7776000 seconds (90 days); values under 86400 "
        "(one day) make viewers log in several times a day."
    ),
    remediation=(
        "ALTER SECURITY INTEGRATION <name> SET OAUTH_REFRESH_TOKEN_VALIDITY = 7776000 (90 days) or what your "
        "policy allows (at least 86400)."
    ),
    bad="OAUTH_REFRESH_TOKEN_VALIDITY = 3600",
    good="OAUTH_REFRESH_TOKEN_VALIDITY = 7776000",
    references=(CREATE_DOC, TROUBLE_DOC),
    error_patterns=(r"refresh token is invalid", r"error 219"),
    provider=P,
)
SF009 = Rule(
    code="SF009",
    name="snowflake-non-tls-redirect",
    severity=W,
    summary="OAUTH_ALLOW_NON_TLS_REDIRECT_URI = TRUE: authorization codes may travel over plain http.",
    prevents="(security: codes exposed in transit)",
    why=(
        "With OAUTH_ALLOW_NON_TLS_REDIRECT_URI = TRUE the integration may redirect authorization codes to an "
        "http:// URI, where anyone on the path can read them. Connect should be served over https, and the "
        "flag left at its default FALSE."
    ),
    remediation=(
        "ALTER SECURITY INTEGRATION <name> SET OAUTH_ALLOW_NON_TLS_REDIRECT_URI = FALSE, and serve Connect over https."
    ),
    bad="OAUTH_ALLOW_NON_TLS_REDIRECT_URI = TRUE",
    good="OAUTH_ALLOW_NON_TLS_REDIRECT_URI = FALSE",
    references=(CREATE_DOC,),
    error_patterns=(r"390316", r"redirect uri must use tls"),
    provider=P,
)

RULES = (SF001, SF002, SF003, SF004, SF005, SF006, SF007, SF008, SF009)
