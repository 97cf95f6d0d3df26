"""Unit tests of the Graph client's safety rules, with a stub session (no network)."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests

from oauthlint.errors import ProviderError
from oauthlint.providers.azure.graph import Deadline, GraphClient

TOKEN = "graph-canary-bearer-token-5e1"


class _Response:
    def __init__(self, body: str) -> None:
        self.status_code = 200
        self.headers = requests.structures.CaseInsensitiveDict({"Content-Type": "application/json"})
        self.text = body

    def json(self) -> Any:
        return json.loads(self.text)


class _Session:
    """Answers the first GET with one page whose nextLink is ``next_link``; records every URL asked."""

    def __init__(self, next_link: str) -> None:
        self.next_link = next_link
        self.urls: list[str] = []

    def get(self, url: str, **kwargs: Any) -> _Response:
        self.urls.append(url)
        if len(self.urls) == 1:
            return _Response(json.dumps({"value": [], "@odata.nextLink": self.next_link}))
        return _Response('{"value": []}')


def _client(session: _Session) -> GraphClient:
    return GraphClient(
        endpoint="https://graph.microsoft.com",
        token=lambda: TOKEN,
        session=session,  # type: ignore[arg-type]
        verify=True,
        timeout=5,
        max_retries=0,
        deadline=Deadline(30),
    )


@pytest.mark.parametrize(
    "next_link",
    [
        "http://graph.microsoft.com/v1.0/applications?$skiptoken=x",  # same host, but the token would go in clear
        "https://graph.microsoft.com.evil.example/v1.0/applications?$skiptoken=x",
        "https://evil.example/v1.0/applications?$skiptoken=x",
    ],
)
def test_next_link_is_followed_only_to_the_configured_https_endpoint(next_link: str) -> None:
    session = _Session(next_link)
    with pytest.raises(ProviderError, match="nextLink"):
        list(_client(session).pages("/applications", operation="list applications"))
    assert session.urls == ["https://graph.microsoft.com/v1.0/applications"]


def test_next_link_on_the_endpoint_is_followed() -> None:
    session = _Session("https://graph.microsoft.com/v1.0/applications?$skiptoken=x")
    pages = list(_client(session).pages("/applications", operation="list applications"))
    assert len(pages) == 2 and session.urls[1].startswith("https://graph.microsoft.com/v1.0/applications")


class _BatchSession:
    """A Graph endpoint without JSON batching: every POST to /$batch answers 404."""

    def __init__(self) -> None:
        self.posts = 0

    def post(self, url: str, **kwargs: Any) -> _Response:
        self.posts += 1
        response = _Response('{"error": {"code": "UnknownError", "message": "no $batch here"}}')
        response.status_code = 404
        return response


def test_a_404_for_the_whole_batch_is_a_failure_not_a_missing_object() -> None:
    """404 on ``/$batch`` itself says nothing about the app: it must not become AZ001 ('no such app')."""
    from oauthlint.providers.azure.graph import GraphBatcher

    session = _BatchSession()
    batcher = GraphBatcher(
        endpoint="https://graph.microsoft.com",
        session=session,  # type: ignore[arg-type]
        verify=True,
        token=lambda deadline: TOKEN,
        deadline_seconds=30,
    )
    client = GraphClient(
        endpoint="https://graph.microsoft.com",
        token=lambda: TOKEN,
        session=session,  # type: ignore[arg-type]
        verify=True,
        timeout=5,
        max_retries=0,
        deadline=Deadline(30),
        batcher=batcher,
    )
    try:
        with pytest.raises(ProviderError, match=r"\$batch") as err:
            client.get("/applications(appId='x')", operation="read app registration x", missing_ok=True)
        assert not err.value.reason.startswith("HTTP 404")  # fetch reads that prefix as "no grants"
    finally:
        batcher.close()
    assert session.posts == 1
