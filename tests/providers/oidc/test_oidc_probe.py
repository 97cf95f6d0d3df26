"""What a token endpoint's answer proves about the secret (RFC 6749 §5.2), as a pure function."""

from __future__ import annotations

import pytest

from oauthlint.providers import connect as _connect
from oauthlint.providers import github as _github
from oauthlint.providers import oidc as _oidc
from oauthlint.providers.oidc.probe import ProbeOutcome, classify
from oauthlint.registry import registry

for _provider in (_github.provider, _oidc.provider, _connect.provider):  # until the lead registers them
    registry().register(_provider)

A, R, N = ProbeOutcome.ACCEPTED, ProbeOutcome.REJECTED, ProbeOutcome.INCONCLUSIVE


@pytest.mark.parametrize(
    ("status", "error", "description", "outcome"),
    [
        (200, "", "", A),  # a token was issued
        (401, "invalid_client", "", R),  # §5.2, Basic auth
        (400, "invalid_client", "", R),  # §5.2, form auth
        (401, "", "", R),  # bare 401: client authentication failed
        (400, "unauthorized_client", "Client not enabled to retrieve service account", A),  # authenticated client
        # Keycloak 26 answers a right secret on a client without service accounts with 401 (facts §4.2/§4.3)
        (401, "unauthorized_client", "Client not enabled to retrieve service account", A),
        (401, "unauthorized_client", "Public client not allowed to retrieve service account", A),
        (401, "unauthorized_client", "Invalid client or Invalid client credentials", R),  # Keycloak, wrong secret
        (400, "unauthorized_client", "Invalid client or Invalid client credentials", R),
        (400, "unsupported_grant_type", "", N),  # grant may be checked before the client
        (400, "invalid_scope", "", N),
        (400, "invalid_request", "", N),
        (400, "invalid_grant", "", N),
        (403, "access_denied", "", N),
    ],
)
def test_classify(status: int, error: str, description: str, outcome: ProbeOutcome) -> None:
    assert classify(status, error, description).outcome is outcome
