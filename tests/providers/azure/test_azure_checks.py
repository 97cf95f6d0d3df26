"""Pure AZ005–AZ007 decisions on credentials without a ``hint`` (secrets created before Graph published hints)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from oauthlint.model import AuthMode, AuthType, Integration, Secret
from oauthlint.providers.azure import provider
from oauthlint.providers.base import CheckContext

APP = "6f1c2b1e-3d4a-4c5b-9e8f-0a1b2c3d4e5f"
SECRET = "CANARY8Q~azure-checks-secret-value-0042"
NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


def _codes(*credentials: dict[str, Any]) -> list[str]:
    integration = Integration(
        name="sales",
        provider="azure",
        auth_type=AuthType.VIEWER,
        auth_mode=AuthMode.CONFIDENTIAL,
        client_id=APP,
        client_secret=Secret(SECRET),
        scopes=("offline_access",),
        connect_server="https://connect.example.com",
    )
    app = {
        "appId": APP,
        "web": {"redirectUris": ["https://connect.example.com/__oauth__/integrations/callback"]},
        "passwordCredentials": list(credentials),
    }
    snapshot = provider.parse_snapshot(app, integration, "test")
    findings = provider.check(integration, snapshot, CheckContext(now=NOW))
    assert not any(SECRET in f.message for f in findings)
    return [f.code for f in findings]


def _cred(key: str, hint: str | None, end: str) -> dict[str, Any]:
    return {"keyId": key, "hint": hint, "startDateTime": "2025-01-01T00:00:00Z", "endDateTime": end}


def test_expired_secret_is_az006_even_beside_an_old_credential_without_hint() -> None:
    """Whichever of the two the secret is, it has expired: AZ006, not silence."""
    codes = _codes(_cred("k-old", None, "2025-06-01T00:00:00Z"), _cred("k-new", "CAN", "2026-10-01T00:00:00Z"))
    assert "AZ006" in codes


def test_valid_hintless_credential_keeps_az006_quiet() -> None:
    """The secret may be the hintless one, which is valid: nothing certain to report."""
    codes = _codes(_cred("k-old", None, "2027-06-01T00:00:00Z"), _cred("k-new", "CAN", "2026-10-01T00:00:00Z"))
    assert "AZ006" not in codes and "AZ005" not in codes


def test_expiring_candidates_are_az007() -> None:
    codes = _codes(_cred("k-old", None, "2026-12-01T00:00:00Z"), _cred("k-new", "CAN", "2026-12-05T00:00:00Z"))
    assert "AZ007" in codes and "AZ006" not in codes


def test_hint_mismatch_with_a_hintless_credential_is_not_az005() -> None:
    assert "AZ005" not in _codes(
        _cred("k-old", None, "2027-06-01T00:00:00Z"), _cred("k2", "xyz", "2027-06-01T00:00:00Z")
    )
