"""Shared values for the Snowflake live tests and bench (canary secrets, a clean integration, settings)."""

from __future__ import annotations

from fakes.snowflake_server import FakeIntegration, FakeSnowflake

ACCOUNT = "myorg-myaccount"
USER = "OAUTHLINT"
ROLE = "SECURITY_AUDITOR"
PASSWORD = "sf-canary-login-password-4411"
TOKEN = "sf-canary-oauth-token-7d2e"
SECRET = "sf-canary-client-secret-primary-93b1"
SECRET_2 = "sf-canary-client-secret-secondary-15c8"
CANARIES = (PASSWORD, TOKEN, SECRET, SECRET_2)
CLIENT_ID = "UG9zaXRDb25uZWN0Q2xpZW50SWRGb3JUZXN0cz0="
CALLBACK = "https://connect.example.com/__oauth__/integrations/callback"


def posit_connect(**overrides: object) -> FakeIntegration:
    values: dict[str, object] = {
        "name": "POSIT_CONNECT",
        "client_id": CLIENT_ID,
        "client_secret": SECRET,
        "client_secret_2": SECRET_2,
        "owner": ROLE,
    }
    values.update(overrides)
    return FakeIntegration(**values)  # type: ignore[arg-type]


def raw_settings(fake: FakeSnowflake, **overrides: object) -> dict[str, object]:
    raw: dict[str, object] = {
        "user": USER,
        "password": PASSWORD,
        "host": "127.0.0.1",
        "port": fake.port,
        "protocol": "http",
        "login_timeout": 5,
        "query_timeout": 10,
    }
    for key, value in overrides.items():
        if value is None:
            raw.pop(key, None)
        else:
            raw[key] = value
    return raw
