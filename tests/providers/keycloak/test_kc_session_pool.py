"""The shared admin session: an expired one is retired, but closed only after its last user is done."""

from __future__ import annotations

from typing import Any

import pytest

from oauthlint.providers.keycloak import fetch
from oauthlint.providers.keycloak.settings import parse_one


class FakeSession:
    closed = 0

    def __init__(self, settings: Any) -> None:
        self.settings = settings
        self.open = False

    def __enter__(self) -> FakeSession:
        self.open = True
        return self

    def __exit__(self, *exc: object) -> None:
        self.open = False
        FakeSession.closed += 1


def test_expired_session_is_not_closed_under_a_running_check(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetch, "AdminSession", FakeSession)
    monkeypatch.setattr(fetch, "_POOL", {})
    clock = [1000.0]
    monkeypatch.setattr(fetch.time, "monotonic", lambda: clock[0])
    settings = parse_one({"server_url": "https://sso.example.com", "realm": "corp"}, "t")
    with fetch.shared_session(settings) as first:
        clock[0] += fetch.SESSION_TTL + 1  # a long run: the session expires while this check still uses it
        with fetch.shared_session(settings) as second:
            assert second is not first and first.open, "the old session was closed under its user"
        assert second.open  # still pooled for later integrations
    assert not first.open and FakeSession.closed == 1
