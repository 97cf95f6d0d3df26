"""Keycloak redirect URI matching (port of RedirectUtils, Keycloak 26.x; provider-facts.md §2)."""

from __future__ import annotations

import pytest

from oauthlint.providers.keycloak.redirect import (
    host_wildcard,
    matches_redirects,
    near_misses,
    parse_uri,
    resolve_valid_redirects,
    verify_redirect_uri,
)

CB = "https://connect.example.com/__oauth__/integrations/callback"


@pytest.mark.parametrize(
    "entries",
    [
        [CB],
        ["*"],
        ["https://connect.example.com/*"],
        ["https://connect.example.com/__oauth__/*"],
        [CB + "/*"],  # '/path/*' also matches '/path'
        [CB + "*"],
        ["https://connect.example.com*"],  # prefix match: accepted (and KC004)
        ["https://other.example.com/cb", CB],
    ],
)
def test_accepted(entries: list[str]) -> None:
    assert verify_redirect_uri(CB, entries) is not None


@pytest.mark.parametrize(
    "entries",
    [
        [],
        [CB + "/"],
        [CB.replace("https:", "http:")],
        [CB.upper()],
        ["https://Connect.example.com/__oauth__/integrations/callback"],
        [CB + "?x=1"],
        ["https://*.example.com/__oauth__/integrations/callback"],  # '*' not last: literal
        ["https://connect.example.com/__oauth__/*?x"],  # '?' disables the wildcard
        ["https://connect.example.com:8443/__oauth__/integrations/callback"],
        ["/__oauth__/integrations/callback"],  # relative, rootUrl empty, server unknown
    ],
)
def test_rejected(entries: list[str]) -> None:
    assert verify_redirect_uri(CB, entries) is None


def test_relative_entries_resolve_against_root_url_or_keycloak_origin() -> None:
    rel = ["/__oauth__/integrations/callback"]
    assert verify_redirect_uri(CB, rel, root_url="https://connect.example.com") is not None
    assert verify_redirect_uri(CB, rel, root_url="https://other.example.com") is None
    # empty rootUrl: Keycloak's own origin
    assert verify_redirect_uri(CB, rel, server_url="https://connect.example.com/auth") is not None
    assert verify_redirect_uri(CB, rel, server_url="https://sso.example.com") is None
    # ${authBaseUrl} expands to the server URL
    assert verify_redirect_uri(
        "https://sso.example.com/x/cb", ["/cb"], root_url="${authBaseUrl}/x", server_url="https://sso.example.com/"
    )


def test_longest_entry_first_and_wildcard_strip() -> None:
    ordered = resolve_valid_redirects(["https://a/*", "https://a/b/*", "*"], "", None)
    assert ordered == ["https://a/b/*", "https://a/*", "*"]
    assert matches_redirects(ordered, "https://a/b/c?q#f", True) == "https://a/b/"


def test_wildcard_strips_query_and_fragment() -> None:
    assert verify_redirect_uri(CB + "?state=1", ["https://connect.example.com/__oauth__/*"])
    assert verify_redirect_uri(CB + "#frag", ["https://connect.example.com/__oauth__/*"])
    assert verify_redirect_uri(CB + "?state=1", [CB]) is None


def test_no_wildcards_with_userinfo_or_dot_dot() -> None:
    entries = ["https://connect.example.com/__oauth__/*"]
    assert verify_redirect_uri("https://evil@connect.example.com/__oauth__/x", entries) is None
    assert verify_redirect_uri("https://connect.example.com/__oauth__/../admin", entries) is None
    assert verify_redirect_uri("https://connect.example.com/__oauth__/%2e%2e/admin", entries) is None
    # a bare '*' still matches (Keycloak: full wildcard even when wildcards are not allowed)
    assert verify_redirect_uri("https://evil@connect.example.com/x", ["*"]) == "*"


def test_loopback_any_port() -> None:
    assert verify_redirect_uri("http://localhost:3939/cb", ["http://localhost/cb"])
    assert verify_redirect_uri("http://127.0.0.1:8080/cb", ["http://127.0.0.1/cb"])
    assert verify_redirect_uri("http://[::1]:8080/cb", ["http://[::1]/cb"])
    assert verify_redirect_uri("https://localhost:3939/cb", ["https://localhost/cb"]) is None
    assert verify_redirect_uri("http://example.com:3939/cb", ["http://example.com/cb"]) is None


def test_custom_scheme_must_be_named_by_entry() -> None:
    assert verify_redirect_uri("myapp://cb", ["myapp://cb"]) == "myapp://cb"
    assert verify_redirect_uri("myapp://cb", ["*"]) is None


def test_unparseable_redirect_is_rejected() -> None:
    assert parse_uri("https://a b/") is None
    assert verify_redirect_uri("https://connect.example.com/a b", ["*"]) is None


@pytest.mark.parametrize(
    ("entry", "broad"),
    [
        ("*", True),
        ("https://connect.example.com*", True),
        ("https://*", True),
        ("http*", True),
        ("https://connect.example.com:*", True),
        ("https://connect.example.com/*", False),
        ("https://connect.example.com/__oauth__/*", False),
        ("/*", False),
        ("https://*.example.com/cb", False),  # literal '*': matches nothing, not a wildcard
        (CB, False),
    ],
)
def test_host_wildcard(entry: str, broad: bool) -> None:
    assert host_wildcard(entry) is broad


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        (CB + "/", "trailing slash"),
        (CB.replace("https:", "http:"), "http://"),
        ("https://CONNECT.EXAMPLE.COM/__oauth__/integrations/callback", "letter case"),
        (CB + "?a=b", "query string"),
        ("https://connect.example.com:8443/__oauth__/integrations/callback", "port 8443"),
        ("https://*.example.com/__oauth__/integrations/callback", "last character"),
        ("/__oauth__/integrations/callback", "Root URL is empty"),
        ("https://connect.example.com/", "path '/'"),
    ],
)
def test_near_misses_are_named(entry: str, words: str) -> None:
    notes = near_misses(CB, [entry])
    assert notes and words in notes[0]


def test_unrelated_entry_is_no_near_miss() -> None:
    assert near_misses(CB, ["https://elsewhere.example.org/cb"]) == []
