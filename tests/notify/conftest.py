"""Local servers for the notify tests: a webhook receiver (ThreadingHTTPServer) and an SMTP server (aiosmtpd)
speaking STARTTLS with a trustme certificate and AUTH LOGIN/PLAIN.
"""

from __future__ import annotations

import json
import socket
import ssl
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import trustme

sys.path.insert(0, str(Path(__file__).parents[1] / "report"))  # report_samples: shared Report/Inventory builders

SMTP_USER = "alerts@example.com"
SMTP_PASSWORD = "smtp-canary-pw-91ab"


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Webhook:
    """Answers each path from a queue of (status, headers, body, delay); the default is 200 "ok"."""

    port: int
    received: list[Received] = field(default_factory=list)
    plans: dict[str, list[tuple[int, dict[str, str], str, float]]] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def plan(self, path: str, *responses: tuple[int, dict[str, str], str, float]) -> None:
        self.plans.setdefault(path, []).extend(responses)

    def bodies(self, path: str) -> list[Any]:
        return [r.json() for r in self.received if r.path == path]


@pytest.fixture
def webhook() -> Iterator[Webhook]:
    state = Webhook(port=0)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            state.received.append(Received(self.path, dict(self.headers.items()), body))
            queue = state.plans.get(self.path) or []
            status, headers, text, delay = queue.pop(0) if queue else (200, {}, "ok", 0.0)
            if delay:
                time.sleep(delay)
            payload = text.encode()
            try:
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
                pass

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Mailbox:
    port: int
    client_context: ssl.SSLContext
    messages: list[tuple[str, list[str], bytes]] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def tls() -> tuple[ssl.SSLContext, ssl.SSLContext]:
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(server)
    client = ssl.create_default_context()
    ca.configure_trust(client)
    return server, client


def _smtp(tls: tuple[ssl.SSLContext, ssl.SSLContext], *, starttls: bool, implicit: bool = False) -> Iterator[Mailbox]:
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    server_context, client_context = tls
    box = Mailbox(port=_free_port(), client_context=client_context)

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            box.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
            return "250 Message accepted for delivery"

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == SMTP_USER
            and auth_data.password.decode() == SMTP_PASSWORD
        )
        if ok:
            box.logins.append(auth_data.login.decode())
        return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535 itself

    kwargs: dict[str, Any] = {"authenticator": authenticator, "auth_require_tls": True}
    if implicit:
        controller = Controller(Handler(), hostname="127.0.0.1", port=box.port, ssl_context=server_context, **kwargs)
    elif starttls:
        controller = Controller(
            Handler(), hostname="127.0.0.1", port=box.port, tls_context=server_context, require_starttls=True, **kwargs
        )
    else:
        controller = Controller(
            Handler(), hostname="127.0.0.1", port=box.port, auth_require_tls=False, authenticator=authenticator
        )
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


@pytest.fixture
def mailbox(tls: tuple[ssl.SSLContext, ssl.SSLContext]) -> Iterator[Mailbox]:
    yield from _smtp(tls, starttls=True)


@pytest.fixture
def plain_mailbox(tls: tuple[ssl.SSLContext, ssl.SSLContext]) -> Iterator[Mailbox]:
    yield from _smtp(tls, starttls=False)


@pytest.fixture
def tls_mailbox(tls: tuple[ssl.SSLContext, ssl.SSLContext]) -> Iterator[Mailbox]:
    yield from _smtp(tls, starttls=False, implicit=True)
