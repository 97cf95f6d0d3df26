"""One local fake Snowflake per test session (tests/fakes/snowflake_server.py), reset for every test."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from fakes.snowflake_fixtures import ACCOUNT, PASSWORD, ROLE, TOKEN, USER, raw_settings
from fakes.snowflake_server import FakeSnowflake, FakeUser
from oauthlint.providers.snowflake import provider
from oauthlint.providers.snowflake.fetch import clear_index_cache, is_read_only
from oauthlint.providers.snowflake.settings import SnowflakeSettings


@pytest.fixture(scope="session")
def snowflake_server() -> Iterator[FakeSnowflake]:
    fake = FakeSnowflake(ACCOUNT).start()
    yield fake
    fake.stop()


@pytest.fixture
def fake(snowflake_server: FakeSnowflake) -> Iterator[FakeSnowflake]:
    """The fake with one auditing user and no integrations; afterwards, proves every statement was read-only."""
    snowflake_server.reset()
    clear_index_cache()
    snowflake_server.add_user(FakeUser(USER, ROLE, password=PASSWORD, token=TOKEN, any_jwt=True))
    yield snowflake_server
    written = [sql for sql in snowflake_server.statements if not is_read_only(sql)]
    assert not written, f"non-read-only statements reached Snowflake: {written}"
    snowflake_server.reset()


@pytest.fixture
def settings(fake: FakeSnowflake) -> SnowflakeSettings:
    return provider.parse_settings(raw_settings(fake), "test: providers.snowflake")
