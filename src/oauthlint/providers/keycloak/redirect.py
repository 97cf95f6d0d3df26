"""Keycloak's redirect URI matching, ported from ``RedirectUtils`` (Keycloak 26.x), plus near-miss naming.

Rules (provider-facts.md §2; ``org.keycloak.protocol.oidc.utils.RedirectUtils`` in keycloak/keycloak):

1. Entries starting with ``/`` are relative: they resolve against the client's ``rootUrl`` (``${authBaseUrl}``
   expanded), or Keycloak's own origin when rootUrl is empty. Entries are tried longest first.
2. The requested URI must parse (``java.net.URI.create``); wildcards apply only when it has no userinfo and
   no ``/../`` segment (raw or percent-encoded) in its path.
3. A bare ``*`` matches anything.
4. An entry ending in ``*`` without ``?``: query/fragment of the request are dropped, and it matches when the
   request starts with the entry minus ``*``; ``…/path/*`` also matches ``…/path``. ``*`` anywhere else is a
   literal character.
5. Every other entry must be equal as a string (case, trailing slash and query all count).
6. ``http`` on ``localhost``/``127.0.0.1``/``[::1]``: when nothing matched, retry without the port.
7. After a match, a scheme other than http/https must be named by the matched entry.

Pure functions only; no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]"})
_UNSAFE_PATH = re.compile(r"(/|%2[fF]|%5[cC]|\\)(%2[eE]|\.){2}(/|%2[fF]|%5[cC]|\\)|(/|%2[fF]|%5[cC]|\\)(%2[eE]|\.){2}$")
_ROOT_PLACEHOLDERS = ("${authBaseUrl}", "${authAdminUrl}")
# Characters java.net.URI rejects anywhere in a URI (it throws, Keycloak then refuses the redirect).
_ILLEGAL = re.compile(r"[\s\"<>\\^`{|}]")


@dataclass(frozen=True)
class ParsedUri:
    scheme: str | None
    userinfo: str | None
    host: str | None
    """As java.net.URI.getHost() returns it: IPv6 keeps its brackets, case is preserved."""
    port: int | None
    path: str
    query: str | None
    fragment: str | None
    absolute: bool


def parse_uri(uri: str) -> ParsedUri | None:
    """Approximate ``java.net.URI.create``: None when Java would throw."""
    if _ILLEGAL.search(uri) or re.search(r"%(?![0-9A-Fa-f]{2})", uri):
        return None
    try:
        parts: SplitResult = urlsplit(uri)
        port = parts.port
    except ValueError:
        return None
    netloc = parts.netloc
    userinfo, _, hostport = netloc.rpartition("@") if "@" in netloc else (None, "", netloc)
    host = hostport
    if hostport.startswith("["):
        host = hostport[: hostport.find("]") + 1]
    elif ":" in hostport:
        host = hostport.rsplit(":", 1)[0]
    return ParsedUri(
        scheme=parts.scheme or None,
        userinfo=userinfo,
        host=host or None,
        port=port,
        path=parts.path,
        query=parts.query if "?" in uri else None,
        fragment=parts.fragment if "#" in uri else None,
        absolute=bool(parts.scheme),
    )


def origin(url: str) -> str:
    """``scheme://host[:port]`` of a URL (Keycloak's ``UriUtils.getOrigin``)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def resolve_root_url(root_url: str, server_url: str | None) -> str | None:
    """The base a relative redirect entry resolves against; None when unknown (offline, no server_url)."""
    if root_url:
        for placeholder in _ROOT_PLACEHOLDERS:
            if root_url.startswith(placeholder):
                if not server_url:
                    return None
                return server_url.rstrip("/") + root_url[len(placeholder) :]
        return root_url
    return origin(server_url) if server_url else None


def resolve_valid_redirects(redirect_uris: Iterable[str], root_url: str, server_url: str | None) -> list[str]:
    """Relative entries made absolute, sorted longest first (ties by string), as Keycloak's TreeSet does.

    Relative entries whose base is unknown (offline, empty rootUrl, no server_url) are left out: they
    resolve against Keycloak's own origin, which is never the Connect server.
    """
    resolved: set[str] = set()
    for entry in redirect_uris:
        if entry.startswith("/"):
            base = resolve_root_url(root_url, server_url)
            if base is None:
                continue
            entry = base + entry
        resolved.add(entry)
    return sorted(resolved, key=lambda s: (-len(s), s))


def wildcards_allowed(uri: ParsedUri) -> bool:
    return uri.userinfo is None and not _UNSAFE_PATH.search(uri.path or "")


def matches_redirects(valid_redirects: Sequence[str], redirect: str, allow_wildcards: bool) -> str | None:
    """The entry (wildcard stripped) that accepts ``redirect``, or None. Mirrors ``matchesRedirects``."""
    for valid in valid_redirects:
        if valid == "*":
            return valid
        if valid.endswith("*") and "?" not in valid and allow_wildcards:
            # Keycloak cuts at the first '?', or else at the first '#'.
            idx = redirect.find("?")
            if idx == -1:
                idx = redirect.find("#")
            r = redirect if idx == -1 else redirect[:idx]
            length = len(valid) - 1
            stripped = valid[:length]
            if r.startswith(stripped):
                return stripped
            if length - 1 > 0 and stripped[length - 1] == "/":
                length -= 1
            stripped = stripped[:length]
            if stripped == r:
                return stripped
        elif valid == redirect:
            return valid
    return None


def verify_redirect_uri(
    redirect: str, redirect_uris: Iterable[str], root_url: str = "", server_url: str | None = None
) -> str | None:
    """The matched (resolved) entry if Keycloak accepts ``redirect`` for this client, else None."""
    entries = list(redirect_uris)
    if not entries:
        return None
    parsed = parse_uri(redirect)
    if parsed is None:
        return None
    allow = wildcards_allowed(parsed)
    valid_redirects = resolve_valid_redirects(entries, root_url, server_url)
    matched = matches_redirects(valid_redirects, redirect, allow)
    if matched is None and parsed.scheme == "http" and parsed.host in LOOPBACK_HOSTS:
        matched = matches_redirects(valid_redirects, _without_port(parsed), allow)
    scheme = parsed.scheme
    if (
        matched is not None
        and scheme is not None
        and not matched.startswith(scheme + ":")
        and scheme.lower() not in ("http", "https")
    ):
        return None
    return matched


def _without_port(uri: ParsedUri) -> str:
    text = f"{uri.scheme}://{uri.host}{uri.path}"
    if uri.query is not None:
        text += "?" + uri.query
    if uri.fragment is not None:
        text += "#" + uri.fragment
    return text


# ------------------------------------------------------------------------------------------- wildcards


def host_wildcard(entry: str) -> bool:
    """True when the entry's wildcard can match other hosts: ``*``, ``https://host*``, ``https://*``, ``http*``.

    A relative entry (``/…*``) is anchored to rootUrl's host; ``https://host/path/*`` only matches paths.
    """
    if entry == "*":
        return True
    if not entry.endswith("*") or "?" in entry or entry.startswith("/"):
        return False
    prefix = entry[:-1]
    if "://" not in prefix:
        return True
    authority_and_rest = prefix.split("://", 1)[1]
    return "/" not in authority_and_rest


# ------------------------------------------------------------------------------------------ near misses


def near_misses(
    callback: str, redirect_uris: Iterable[str], root_url: str = "", server_url: str | None = None
) -> list[str]:
    """Explain entries that almost accept ``callback``: case, trailing slash, scheme, port, query, '*' …"""
    notes: list[str] = []
    cb = parse_uri(callback)
    if cb is None:
        return notes
    for entry in redirect_uris:
        note = _near_miss(callback, cb, entry, root_url, server_url)
        if note:
            notes.append(note)
    return notes


def _near_miss(callback: str, cb: ParsedUri, entry: str, root_url: str, server_url: str | None) -> str | None:
    resolved = entry
    if entry.startswith("/"):
        base = resolve_root_url(root_url, server_url)
        if entry.rstrip("*").rstrip("/") and cb.path.startswith(entry.rstrip("*").rstrip("/")):
            if not root_url:
                return (
                    f"'{entry}' is relative and the client's Root URL is empty, so it resolves against Keycloak's "
                    "own address, not the Connect server; set Root URL or register the full callback"
                )
            if base is not None and origin(base) != origin(callback):
                return f"'{entry}' is relative and resolves against Root URL '{root_url}', not '{origin(callback)}'"
        if base is None:
            return None
        resolved = base + entry
    if "*" in resolved[:-1] and _literal_star_would_match(resolved, callback):
        return f"'{entry}' has '*' before the end; Keycloak treats '*' as a wildcard only as the last character"
    if resolved.endswith("*") and "?" in resolved:
        return f"'{entry}' contains '?', so Keycloak ignores its trailing '*' wildcard"
    target = resolved.rstrip("*") if resolved.endswith("*") else resolved
    if target == callback:
        return None
    if target.lower() == callback.lower():
        return f"'{entry}' differs only in letter case; Keycloak compares redirect URIs case-sensitively"
    if target.rstrip("/") == callback.rstrip("/"):
        return f"'{entry}' differs only by a trailing slash"
    ent = parse_uri(target)
    if ent is None:
        return None
    if ent.query is not None and target.split("?", 1)[0] == callback:
        return f"'{entry}' carries a query string; Connect sends the callback without one"
    if ent.scheme and cb.scheme and ent.scheme != cb.scheme and target.split(":", 1)[1] == callback.split(":", 1)[1]:
        return f"'{entry}' uses {ent.scheme}:// but Connect sends {cb.scheme}:// (is a TLS proxy in front of Connect?)"
    if ent.scheme == cb.scheme and (ent.host or "").lower() == (cb.host or "").lower() and ent.path == cb.path:
        if ent.port != cb.port:
            return f"'{entry}' names port {ent.port or 'default'} but the callback uses {cb.port or 'the default port'}"
        return f"'{entry}' differs only in host case"
    if ent.scheme == cb.scheme and (ent.host or "").lower() == (cb.host or "").lower() and ent.port == cb.port:
        return f"'{entry}' is on the Connect host but its path '{ent.path or '/'}' is not '{cb.path}'"
    return None


def _literal_star_would_match(entry: str, callback: str) -> bool:
    pattern = "^" + ".*".join(re.escape(part) for part in entry.split("*")) + "$"
    return re.match(pattern, callback) is not None
