"""The CI gate through the CLI: baseline adoption, then only new findings fail; alerts on failure."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from oauthlint_testing import CANARY


@pytest.fixture
def gate_config(write_config, tmp_path: Path, dummy_provider, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DUMMY_SECRET", CANARY)
    (tmp_path / "flag.json").write_text('{"flag": true}')
    (tmp_path / "clean.json").write_text('{"flag": false}')
    return write_config(
        'connect_server = "https://connect.example.com"\n'
        '[[integrations]]\nname = "old"\nprovider = "dummy"\nclient_secret = "${env:DUMMY_SECRET}"\n'
        'scopes = ["offline_access"]\nsnapshot = "flag.json"\n'
        '[[integrations]]\nname = "new"\nprovider = "dummy"\nclient_secret = "${env:DUMMY_SECRET}"\n'
        'scopes = ["offline_access"]\nsnapshot = "clean.json"\n'
    )


def test_baseline_then_only_new_findings_fail(run_cli, gate_config: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    args = ("check", "--config", str(gate_config), "--fail-on", "warning", "--format", "json")
    assert run_cli(*args).code == 1
    written = run_cli(*args, "--write-baseline", str(baseline))
    assert written.code == 0 and "wrote 1 fingerprints" in written.err
    assert CANARY not in baseline.read_text()
    adopted = run_cli(*args, "--baseline", str(baseline))
    assert adopted.code == 0
    assert json.loads(adopted.out)["summary"]["suppressed"] == 1
    (tmp_path / "clean.json").write_text('{"flag": true}')  # a new problem appears on another integration
    gated = run_cli(*args, "--baseline", str(baseline))
    assert gated.code == 1
    assert [f["integration"] for f in json.loads(gated.out)["findings"]] == ["new"]
    missing = run_cli(*args, "--baseline", str(tmp_path / "nope.json"))
    assert missing.code == 2 and "nope.json" in missing.err


class _Hook(BaseHTTPRequestHandler):
    received: list[dict] = []  # noqa: RUF012
    status = 200

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append(json.loads(body))
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def webhook() -> Iterator[tuple[str, type[_Hook]]]:
    _Hook.received = []
    _Hook.status = 200
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"slack+http://127.0.0.1:{server.server_port}/services/T/B/X", _Hook
    finally:
        server.shutdown()


def test_notify_posts_on_failure_only_and_reports_delivery_failure(run_cli, gate_config: Path, webhook) -> None:
    url, hook = webhook
    quiet = run_cli("check", "--config", str(gate_config), "--notify", url)
    assert quiet.code == 0 and hook.received == []  # a warning under --fail-on error sends nothing
    loud = run_cli("check", "--config", str(gate_config), "--fail-on", "warning", "--notify", url)
    assert loud.code == 1 and len(hook.received) == 1
    payload = json.dumps(hook.received[0])
    assert "DM001" in payload and CANARY not in payload
    hook.status = 404
    failed = run_cli("check", "--config", str(gate_config), "--fail-on", "warning", "--notify", url)
    assert failed.code == 3 and "oauthlint: error:" in failed.err and "services/T/B/X" not in failed.err


def test_bad_notify_url_is_a_usage_error_before_any_check(run_cli, gate_config: Path) -> None:
    result = run_cli("check", "--config", str(gate_config), "--notify", "ftp://example.com/hook")
    assert result.code == 2 and result.out == ""
