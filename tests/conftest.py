"""Shared test helpers: run the CLI in-process, and a small provider plug-in that is not built in."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from oauthlint.cli import main
from oauthlint.registry import registry
from oauthlint_testing import DummyProvider


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Any:
    def run(*args: str) -> CliResult:
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
        else:  # pragma: no cover - main always exits
            code = 0
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture
def dummy_provider() -> Iterator[DummyProvider]:
    provider = DummyProvider()
    registry().register(provider)
    try:
        yield provider
    finally:
        registry().unregister("dummy")


@pytest.fixture
def write_config(tmp_path: Path) -> Any:
    def write(text: str, name: str = "oauthlint.toml") -> Path:
        path = tmp_path / name
        path.write_text(text)
        return path

    return write


def write_snapshot(tmp_path: Path, name: str, data: Any) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return path
