"""Entra redirect URI matching (reply-url doc rules) and the near misses oauthlint names."""

from __future__ import annotations

import pytest

from oauthlint.providers.azure import redirect

CB = "https://connect.example.com/__oauth__/integrations/callback"


@pytest.mark.parametrize(
    ("registered", "expected"),
    [
        (CB + "/", "trailing slash"),
        (CB.replace(".com/", ".com//"), "double slash"),
        (CB.replace("https:", "http:"), "http instead of https"),
        (CB.replace("connect.example", "CONNECT.example"), "host case differs"),
        (CB.replace(".com/", ".com:3939/"), "port :3939"),
        (CB.replace(".com/", ".com:443/"), "explicit default port :443"),
        (CB.replace("callback", "Callback"), "path case differs"),
        (CB.replace("connect.", "connect-old."), "another host"),
        (CB.replace("integrations/callback", "integrations/1234/callback"), "another path"),
        (CB + "?x=1", "query"),
    ],
)
def test_near_misses_are_named(registered: str, expected: str) -> None:
    diffs = redirect.differences(CB, registered)
    assert diffs, registered
    assert any(expected in d for d in diffs), diffs


def test_exact_match_is_case_sensitive() -> None:
    assert redirect.same(CB, CB)
    assert not redirect.same(CB, CB.upper())
    assert redirect.differences(CB, CB) == ()


def test_unrelated_uri_is_not_a_near_miss() -> None:
    assert redirect.differences(CB, "https://workbench.example.com/oauth_redirect_callback") is None
    assert redirect.differences(CB, "not a url") is None


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"])
def test_loopback_port_is_ignored(host: str) -> None:
    callback = f"http://{host}:3939/__oauth__/integrations/callback"
    assert redirect.same(callback, f"http://{host}/__oauth__/integrations/callback")
    assert redirect.same(callback, f"http://{host}:5000/__oauth__/integrations/callback")
    assert not redirect.same(callback, f"http://{host}:5000/__oauth__/integrations/callback/")
    assert not redirect.same(callback, f"https://{host}/__oauth__/integrations/callback")


def test_non_loopback_port_matters() -> None:
    assert not redirect.same(CB.replace(".com/", ".com:8443/"), CB)


def test_analyse_reports_platforms_and_sorts_near_misses() -> None:
    report = redirect.analyse(
        CB,
        (
            ("web", CB.replace("https:", "http:") + "/"),
            ("web", CB + "/"),
            ("spa", CB),
            ("publicClient", "https://elsewhere.example.org/x"),
        ),
    )
    assert report.exact_platforms == ("spa",)
    assert report.registered_under("spa") and not report.registered_under("web")
    assert [m.uri for m in report.near_misses] == [CB + "/", CB.replace("https:", "http:") + "/"]
    assert "under Single-page" not in report.near_misses[0].describe()


def test_describe_names_the_platform() -> None:
    miss = redirect.NearMiss("spa", CB + "/", ("trailing slash",))
    assert miss.describe() == f"'{CB}/' (under Single-page application): trailing slash"
