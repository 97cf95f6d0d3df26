"""SF007: account identifiers and account URLs (https://docs.snowflake.com/user-guide/admin-account-identifier)."""

from __future__ import annotations

import pytest

from oauthlint.providers.snowflake.account import AccountError, parse_account, parse_account_url, resolve


@pytest.mark.parametrize(
    ("text", "identifier", "host"),
    [
        ("myorg-myaccount", "myorg-myaccount", "myorg-myaccount.snowflakecomputing.com"),
        ("MyOrg-My_Account", "MyOrg-My_Account", "myorg-my-account.snowflakecomputing.com"),
        ("xy12345", "xy12345", "xy12345.snowflakecomputing.com"),
        ("xy12345.us-east-2", "xy12345.us-east-2", "xy12345.us-east-2.snowflakecomputing.com"),
        ("xy12345.us-east-2.aws", "xy12345.us-east-2.aws", "xy12345.us-east-2.aws.snowflakecomputing.com"),
        ("xy12345.east-us-2.azure", "xy12345.east-us-2.azure", "xy12345.east-us-2.azure.snowflakecomputing.com"),
        ("xy12345.us-central1.gcp", "xy12345.us-central1.gcp", "xy12345.us-central1.gcp.snowflakecomputing.com"),
        ("xy12345.privatelink", "xy12345.privatelink", "xy12345.privatelink.snowflakecomputing.com"),
        (
            "xy12345.us-east-1.privatelink",
            "xy12345.us-east-1.privatelink",
            "xy12345.us-east-1.privatelink.snowflakecomputing.com",
        ),
        (
            "myorg-myaccount.privatelink",
            "myorg-myaccount.privatelink",
            "myorg-myaccount.privatelink.snowflakecomputing.com",
        ),
        ("myorg-myconnection.global", "myorg-myconnection.global", "myorg-myconnection.global.snowflakecomputing.com"),
        ("  myorg-myaccount ", "myorg-myaccount", "myorg-myaccount.snowflakecomputing.com"),
    ],
)
def test_valid_identifiers(text: str, identifier: str, host: str) -> None:
    account = parse_account(text)
    assert (account.identifier, account.host) == (identifier, host)
    assert account.url == f"https://{host}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "empty"),
        (
            "https://myorg-myaccount.snowflakecomputing.com",
            "is a URL, not an account identifier; use account = 'myorg-myaccount'",
        ),
        ("myorg-myaccount.snowflakecomputing.com", "is a host name"),
        ("XY12345.us-east-2.aws.snowflakecomputing.com/", "use account = 'xy12345.us-east-2.aws'"),
        ("myorg.myaccount", "SQL form <orgname>.<account_name>; the connector and account URLs need myorg-myaccount"),
        ("myorg2.acct", "needs myorg2-acct"),
        ("myaccount", "without its organization"),
        ("my_account", "without its organization"),
        ("xy12345.aws", "names a cloud without a region"),
        ("xy12345.us-east-2.amazon", "is not a cloud"),
        ("myorg-myaccount.us-east-2.aws", "mixes forms"),
        ("my org-acct", "contains ' '"),
        ("myorg-myaccount:443", "contains ':'"),
        ("xy12345..aws", "empty part"),
        ("-myaccount", "is not <orgname>-<account_name>"),
    ],
)
def test_invalid_identifiers_name_the_expected_form(text: str, expected: str) -> None:
    with pytest.raises(AccountError) as info:
        parse_account(text)
    assert expected in str(info.value)


@pytest.mark.parametrize(
    ("url", "scope"),
    [
        ("https://myorg-myaccount.snowflakecomputing.com", "myorg-myaccount"),
        ("https://myorg-myaccount.snowflakecomputing.com/", "myorg-myaccount"),
        ("HTTPS://MyOrg-MyAccount.SnowflakeComputing.com", "myorg-myaccount"),
        ("https://myorg-my_account.snowflakecomputing.com:443", "myorg-my-account"),
        ("https://xy12345.us-east-2.aws.snowflakecomputing.com", "xy12345.us-east-2.aws"),
        ("https://xy12345.us-east-1.privatelink.snowflakecomputing.com", "xy12345.us-east-1.privatelink"),
    ],
)
def test_valid_account_urls(url: str, scope: str) -> None:
    assert parse_account_url(url).scope == scope


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "myorg-myaccount.snowflakecomputing.com",
            "is not a URL; expected https://myorg-myaccount.snowflakecomputing.com",
        ),
        ("myorg-myaccount", "expected https://myorg-myaccount.snowflakecomputing.com"),
        ("http://myorg-myaccount.snowflakecomputing.com", "must use https"),
        ("https://myorg-myaccount.snowflakecomputing.com/console/login", "only the scheme and host"),
        ("https://myorg-myaccount.snowflakecomputing.com/?x=1", "only the scheme and host"),
        ("https://myorg-myaccount.snowflakecomputing.com:8443", "port 8443"),
        ("https://snowflake.example.com", "is not <account>.snowflakecomputing.com"),
        ("https://app.snowflake.com/myorg/myaccount/", "Snowsight address; Connect needs https://myorg-myaccount"),
        ("https://myorg.myaccount.snowflakecomputing.com", "SQL form"),
    ],
)
def test_invalid_account_urls(url: str, expected: str) -> None:
    with pytest.raises(AccountError) as info:
        parse_account_url(url)
    assert expected in str(info.value)


def test_resolve_prefers_url_and_requires_agreement() -> None:
    assert resolve({"account_url": "https://myorg-a.snowflakecomputing.com"}).identifier == "myorg-a"
    assert (
        resolve({"account": "myorg-a_b", "account_url": "https://myorg-a-b.snowflakecomputing.com"}).scope
        == "myorg-a-b"
    )
    with pytest.raises(AccountError, match="name different accounts"):
        resolve({"account": "myorg-a", "account_url": "https://myorg-b.snowflakecomputing.com"})
    with pytest.raises(AccountError, match="no account or account_url"):
        resolve({"account": "  ", "account_url": None})


def test_account_name_is_the_first_label() -> None:
    assert parse_account("xy12345.us-east-2.aws").account_name == "xy12345"


@pytest.mark.parametrize(
    "options",
    [
        {"account_url": "https://oauthlint:sf-canary-url-pw-9c1@myorg-myaccount.snowflakecomputing.com"},
        {"account_url": "http://oauthlint:sf-canary-url-pw-9c1@myorg-myaccount.snowflakecomputing.com"},
        {"account_url": "oauthlint:sf-canary-url-pw-9c1@myorg-myaccount.snowflakecomputing.com"},
        {"account": "https://oauthlint:sf-canary-url-pw-9c1@myorg-myaccount.snowflakecomputing.com"},
        {"account": "oauthlint:sf-canary-url-pw-9c1@myorg-myaccount"},
        {
            "account": "otherorg-other",
            "account_url": "https://oauthlint:sf-canary-url-pw-9c1@myorg-myaccount.snowflakecomputing.com/",
        },
    ],
)
def test_sf007_messages_never_echo_a_password_in_userinfo(options: dict[str, str]) -> None:
    """SF007's message quotes the configured value; a password written into the URL must not come along."""
    with pytest.raises(AccountError) as err:
        resolve(options)
    assert "sf-canary-url-pw-9c1" not in str(err.value)
    assert "***@" in str(err.value) or "myorg-myaccount" in str(err.value)


def test_china_account_url_and_identifier_name_the_same_account() -> None:
    """Snowflake's China regions are served from snowflakecomputing.com.cn; the scope (fingerprints, the
    account/account_url agreement check) must not keep that suffix."""
    url = "https://xy12345.cn-northwest-1.snowflakecomputing.com.cn"
    assert parse_account_url(url).scope == "xy12345.cn-northwest-1"
    both = resolve({"account": "xy12345.cn-northwest-1", "account_url": url})
    assert both.host == "xy12345.cn-northwest-1.snowflakecomputing.com.cn"
