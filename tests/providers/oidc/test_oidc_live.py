"""The oidc fetcher against a local fake issuer over HTTPS: discovery, CA bundle, retries, the secret probe."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from fakes.oidc_issuer import ISSUED_TOKEN, FakeIssuer, IssuerBehaviour
from oauthlint.config import parse_config
from oauthlint.engine import run
from oauthlint.errors import ProviderError
from oauthlint.model import AuthMode, Integration, Secret
from oauthlint.providers import connect as _connect
from oauthlint.providers import github as _github
from oauthlint.providers import oidc as _oidc
from oauthlint.providers.base import CheckContext
from oauthlint.providers.oidc import provider
from oauthlint.providers.oidc.probe import ProbeOutcome
from oauthlint.providers.oidc.settings import HttpOptions, OidcSettings
from oauthlint.registry import registry
from oauthlint.report import RenderOptions, renderer
from oauthlint.rules import catalog
from oauthlint.selection import RuleSelection

for _provider in (_github.provider, _oidc.provider, _connect.provider):  # until the lead registers them
    registry().register(_provider)

CANARY = "canary-oidc-S3cret+/=&:%-42"  # characters that need form-encoding (RFC 6749 §2.3.1)
CTX = CheckContext(now=datetime.now(UTC))


@pytest.fixture(autouse=True)
def _no_env_ca(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def issuer(tmp_path: Path) -> Iterator[FakeIssuer]:
    with FakeIssuer(tmp_path, IssuerBehaviour(client_secret=CANARY)) as fake:
        yield fake


def settings(fake: FakeIssuer, **http: Any) -> OidcSettings:
    return OidcSettings(http=HttpOptions(ca_bundle=str(fake.ca_bundle), backoff=0.01, **{"timeout": 5.0, **http}))


def integration(fake: FakeIssuer, secret: str | None = CANARY, **options: Any) -> Integration:
    opts = {"issuer": fake.issuer, **options}
    return Integration(
        name="custom-idp",
        provider="oidc",
        client_id="connect-client",
        client_secret=Secret(secret) if secret else None,
        auth_mode=AuthMode.CONFIDENTIAL if secret else AuthMode.PUBLIC,
        scopes=("openid", "offline_access"),
        connect_server="https://connect.example.com",
        options={k: v for k, v in opts.items() if v is not None},
    )


def fetch(fake: FakeIssuer, i: Integration, **http: Any) -> Any:
    from oauthlint.providers.oidc.fetch import fetch_integration

    snapshot = fetch_integration(i, settings(fake, **http))
    assert ISSUED_TOKEN not in repr(snapshot) and CANARY not in repr(snapshot)
    return snapshot


def test_clean_issuer_passes_and_secret_is_accepted(issuer: FakeIssuer) -> None:
    snapshot = fetch(issuer, integration(issuer))
    assert snapshot.scope == issuer.issuer and snapshot.probe.outcome is ProbeOutcome.ACCEPTED
    assert snapshot.server_date is not None and snapshot.observed_at is not None
    assert provider.check(integration(issuer), snapshot, CTX) == []
    assert [r.method for r in issuer.requests] == ["GET", "POST"]
    assert issuer.requests[1].had_basic_auth and issuer.requests[1].form_keys == ("grant_type",)


def test_wrong_secret_is_oi004_and_never_shown(issuer: FakeIssuer) -> None:
    wrong = "canary-wrong-secret-7781"
    i = integration(issuer, secret=wrong)
    snapshot = fetch(issuer, i)
    assert snapshot.probe.outcome is ProbeOutcome.REJECTED
    findings = provider.check(i, snapshot, CTX)
    assert [f.code for f in findings] == ["OI004"]
    assert wrong not in repr(findings) and "invalid_client" in findings[0].message


def test_client_secret_post(issuer: FakeIssuer) -> None:
    snapshot = fetch(issuer, integration(issuer, token_endpoint_auth_method="client_secret_post"))
    assert snapshot.probe.outcome is ProbeOutcome.ACCEPTED
    post = issuer.requests[-1]
    assert not post.had_basic_auth and post.form_keys == ("client_id", "client_secret", "grant_type")


def test_keycloak_style_rejection(tmp_path: Path) -> None:
    with FakeIssuer(tmp_path, IssuerBehaviour(client_secret=CANARY, keycloak_style=True)) as fake:
        assert fetch(fake, integration(fake, secret="canary-nope-0000")).probe.outcome is ProbeOutcome.REJECTED


def test_unauthorized_client_proves_the_secret(tmp_path: Path) -> None:
    with FakeIssuer(tmp_path, IssuerBehaviour(client_secret=CANARY, client_credentials_allowed=False)) as fake:
        snapshot = fetch(fake, integration(fake))
        assert snapshot.probe.outcome is ProbeOutcome.ACCEPTED and snapshot.probe.error == "unauthorized_client"


def test_keycloak_style_service_accounts_off_proves_the_secret(tmp_path: Path) -> None:
    behaviour = IssuerBehaviour(client_secret=CANARY, client_credentials_allowed=False, keycloak_style=True)
    with FakeIssuer(tmp_path, behaviour) as fake:
        snapshot = fetch(fake, integration(fake))
        assert snapshot.probe.http_status == 401
        assert snapshot.probe.outcome is ProbeOutcome.ACCEPTED
        assert "OI004" not in [f.code for f in provider.check(integration(fake), snapshot, CTX)]


def test_grant_checked_first_is_inconclusive_not_a_pass_or_fail(tmp_path: Path) -> None:
    with FakeIssuer(tmp_path, IssuerBehaviour(client_secret=CANARY, grant_check_first=True)) as fake:
        snapshot = fetch(fake, integration(fake, secret="canary-wrong-1111"))
        assert snapshot.probe.outcome is ProbeOutcome.INCONCLUSIVE
        assert "OI004" not in [f.code for f in provider.check(integration(fake), snapshot, CTX)]


def test_public_client_is_not_probed(issuer: FakeIssuer) -> None:
    snapshot = fetch(issuer, integration(issuer, secret=None))
    assert snapshot.probe is None and [r.method for r in issuer.requests] == ["GET"]


def test_plain_http_token_endpoint_never_receives_the_secret(tmp_path: Path) -> None:
    overrides = {"token_endpoint": "http://idp.example.com/token"}
    with FakeIssuer(tmp_path, IssuerBehaviour(client_secret=CANARY, discovery_overrides=overrides)) as fake:
        i = integration(fake)
        snapshot = fetch(fake, i)
        assert snapshot.probe.outcome is ProbeOutcome.SKIPPED
        assert [r.method for r in fake.requests] == ["GET"]
        assert "OI001" in [f.code for f in provider.check(i, snapshot, CTX)]


def test_issuer_found_from_the_authorization_uri(issuer: FakeIssuer) -> None:
    auth = issuer.issuer + "/protocol/openid-connect/auth"
    i = integration(
        issuer, issuer=None, authorization_uri=auth, token_uri=issuer.issuer + "/protocol/openid-connect/token"
    )
    snapshot = fetch(issuer, i)
    assert snapshot.scope == issuer.issuer
    gets = [r.path for r in issuer.requests if r.method == "GET"]
    assert gets[-1] == "/realms/demo/.well-known/openid-configuration" and len(gets) == 3
    assert provider.check(i, snapshot, CTX) == []


def test_configured_uri_mismatch_is_oi005(issuer: FakeIssuer) -> None:
    i = integration(issuer, token_uri=issuer.issuer + "/protocol/openid-connect/tokens")
    snapshot = fetch(issuer, i)
    assert [f.code for f in provider.check(i, snapshot, CTX)] == ["OI005"]


def test_bounded_retries_then_success(tmp_path: Path) -> None:
    with FakeIssuer(tmp_path, IssuerBehaviour(client_secret=CANARY, discovery_failures=[503, 429])) as fake:
        fetch(fake, integration(fake), retries=2)
        assert [r.method for r in fake.requests] == ["GET", "GET", "GET", "POST"]


def test_retries_exhausted_is_a_provider_error(tmp_path: Path) -> None:
    with FakeIssuer(tmp_path, IssuerBehaviour(client_secret=CANARY, discovery_failures=[503, 503, 503])) as fake:
        with pytest.raises(ProviderError, match="HTTP 503"):
            fetch(fake, integration(fake), retries=1)
        assert len(fake.requests) == 2


def test_not_found_names_the_url(tmp_path: Path) -> None:
    with FakeIssuer(tmp_path, IssuerBehaviour(client_secret=CANARY, discovery_status=404)) as fake:
        with pytest.raises(ProviderError, match=r"HTTP 404.*check `issuer`") as err:
            fetch(fake, integration(fake))
        assert "/.well-known/openid-configuration" in str(err.value)


def test_token_endpoint_failure_is_a_provider_error_without_the_secret(tmp_path: Path) -> None:
    b = IssuerBehaviour(client_secret=CANARY, token_status_override=(503, "maintenance"))
    with FakeIssuer(tmp_path, b) as fake:
        with pytest.raises(ProviderError, match="HTTP 503") as err:
            fetch(fake, integration(fake))
        assert CANARY not in str(err.value)


def test_untrusted_certificate_is_a_tls_error(issuer: FakeIssuer) -> None:
    from oauthlint.providers.oidc.fetch import fetch_integration

    with pytest.raises(ProviderError, match=r"TLS certificate of 127\.0\.0\.1") as err:
        fetch_integration(integration(issuer), OidcSettings(http=HttpOptions(timeout=5, retries=0)))
    assert CANARY not in str(err.value)
    assert [r.method for r in issuer.requests] == []  # the handshake failed: nothing was sent


def test_silent_server_times_out() -> None:
    from oauthlint.providers.oidc.fetch import fetch_integration

    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(4)  # accepts connections (backlog), never answers
        url = f"https://127.0.0.1:{listener.getsockname()[1]}"
        i = Integration(name="x", provider="oidc", client_id="c", options={"issuer": url})
        with pytest.raises(ProviderError, match=r"no answer from 127\.0\.0\.1:\d+ within 0\.3s"):
            fetch_integration(i, OidcSettings(http=HttpOptions(timeout=0.3, retries=0)))


def test_engine_turns_failure_into_ol005_and_no_output_leaks(tmp_path: Path, issuer: FakeIssuer) -> None:
    config = parse_config(
        {
            "connect_server": "https://connect.example.com",
            "providers": {"oidc": {"ca_bundle": str(issuer.ca_bundle), "retries": 0}},
            "integrations": [
                {"name": "good", "provider": "oidc", "client_id": "connect-client", "client_secret": "${env:GOOD}",
                 "scopes": "openid offline_access", "issuer": issuer.issuer},
                {"name": "wrong", "provider": "oidc", "client_id": "connect-client", "client_secret": "${env:BAD}",
                 "scopes": "openid offline_access", "issuer": issuer.issuer},
                {"name": "down", "provider": "oidc", "client_id": "connect-client", "client_secret": "${env:GOOD}",
                 "scopes": "openid offline_access", "issuer": issuer.base + "/realms/missing"},
            ],
        },
        label="test",
        environ={"GOOD": CANARY, "BAD": "canary-bad-secret-5150"},
    )  # fmt: skip
    report = run(config, selection=RuleSelection.parse([], [], catalog(), "t"))
    by_name = {(f.integration, f.code) for f in report.findings}
    assert by_name == {("wrong", "OI004"), ("down", "OL005")}
    options = RenderOptions(fail_on="error", color=False, quiet=False, width=200)
    for fmt in ("json", "text"):
        out = renderer(fmt).findings(report, options)
        assert CANARY not in out and "canary-bad-secret-5150" not in out and ISSUED_TOKEN not in out
    assert json.loads(renderer("json").findings(report, options))["summary"]["errors"] == 2


def test_server_date_feeds_clock_skew(tmp_path: Path) -> None:
    b = IssuerBehaviour(client_secret=CANARY, date_header="Wed, 25 Nov 2026 11:00:00 GMT")
    with FakeIssuer(tmp_path, b) as fake:
        snapshot = fetch(fake, integration(fake))
    assert snapshot.server_date == datetime(2026, 11, 25, 11, 0, tzinfo=UTC)
    from oauthlint.engine import evaluate

    skewed = replace(snapshot, observed_at=datetime(2026, 11, 25, 11, 10, tzinfo=UTC))
    assert "OL006" in [f.code for f in evaluate(integration(fake), skewed, provider, CTX)]


def test_credentials_in_a_configured_url_never_reach_the_error(tmp_path: Path) -> None:
    from oauthlint.providers.oidc.fetch import fetch_integration

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"https://proxyuser:canary-url-pw-5150@127.0.0.1:{port}/realms/demo"
    closed = Integration(
        name="custom-idp",
        provider="oidc",
        client_id="connect-client",
        client_secret=Secret(CANARY),
        options={"issuer": url},
    )
    with pytest.raises(ProviderError) as info:
        fetch_integration(closed, OidcSettings(http=HttpOptions(timeout=2, retries=0)))
    text = f"{info.value} {info.value.operation} {info.value.reason}"
    assert "canary-url-pw-5150" not in text and "proxyuser" not in text
    assert f"127.0.0.1:{port}" in text
