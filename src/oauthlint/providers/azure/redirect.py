"""Entra ID redirect URI matching, and naming the near misses that cause AADSTS50011.

Rules (https://learn.microsoft.com/entra/identity-platform/reply-url):

- the comparison is exact and case-sensitive (scheme, host, path, trailing slash);
- for loopback hosts (``localhost``, ``127.0.0.1``) the port is ignored (RFC 8252 §7.3);
- a URI registered under one platform (``web``, ``spa``, ``publicClient``) serves that client type only.

Wildcard redirect URIs (manifest-only, work/school apps) are not treated as matches: Microsoft discourages
them, and oauthlint asks for the exact callback.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1"})
PLATFORM_NAMES = {"web": "Web", "spa": "Single-page application", "publicClient": "Mobile and desktop"}


@dataclass(frozen=True)
class NearMiss:
    """A registered URI that is almost the callback, with what differs."""

    platform: str
    uri: str
    differences: tuple[str, ...]

    def describe(self) -> str:
        where = "" if self.platform == "web" else f" (under {PLATFORM_NAMES.get(self.platform, self.platform)})"
        if not self.differences:
            return f"'{self.uri}'{where}"
        return f"'{self.uri}'{where}: {', '.join(self.differences)}"


def _split(uri: str) -> SplitResult | None:
    try:
        parts = urlsplit(uri.strip())
        _ = parts.port  # raises ValueError on a malformed port
    except ValueError:
        return None
    if not parts.scheme or not parts.netloc:
        return None
    return parts


def _default_port(scheme: str) -> int | None:
    return {"https": 443, "http": 80}.get(scheme.lower())


def is_loopback(uri: str) -> bool:
    parts = _split(uri)
    return bool(parts and (parts.hostname or "").lower() in LOOPBACK_HOSTS)


def same(callback: str, registered: str) -> bool:
    """Entra's own comparison: exact, except that a loopback host's port is ignored."""
    if callback == registered:
        return True
    a, b = _split(callback), _split(registered)
    if a is None or b is None:
        return False
    host_a = a.hostname or ""
    if host_a not in LOOPBACK_HOSTS or (b.hostname or "") != host_a:
        return False
    return (a.scheme, a.path, a.query, a.fragment) == (b.scheme, b.path, b.query, b.fragment) and _host_text(
        a
    ) == _host_text(b)


def _host_text(parts: SplitResult) -> str:
    """The host as written (case kept), without userinfo and port."""
    netloc = parts.netloc.rsplit("@", 1)[-1]
    if netloc.startswith("["):
        return netloc.split("]", 1)[0] + "]"
    return netloc.rsplit(":", 1)[0] if ":" in netloc else netloc


def differences(callback: str, registered: str) -> tuple[str, ...] | None:
    """What separates ``registered`` from ``callback``: () when Entra treats them as equal, None when unrelated.

    Two URIs are related (a near miss) when their hosts agree ignoring case, or their paths agree ignoring
    case and slashes.
    """
    if same(callback, registered):
        return ()
    a, b = _split(callback), _split(registered)
    if a is None or b is None:
        return None
    diffs: list[str] = []
    host_a, host_b = _host_text(a), _host_text(b)
    path_a, path_b = a.path or "/", b.path or "/"
    hosts_related = host_a.lower() == host_b.lower()
    paths_related = _norm_path(path_a) == _norm_path(path_b)
    if not (hosts_related or paths_related):
        return None

    scheme_a, scheme_b = a.scheme.lower(), b.scheme.lower()
    if scheme_a != scheme_b:
        if scheme_b == "http" and scheme_a == "https":
            diffs.append(
                "registered with http instead of https (a TLS-terminating proxy in front of Connect makes it "
                "look like http; Connect must be told its public https URL)"
            )
        elif scheme_b == "https" and scheme_a == "http":
            diffs.append("registered with https but Connect sends http")
        else:
            diffs.append(f"scheme {b.scheme} instead of {a.scheme}")
    elif a.scheme != b.scheme:
        diffs.append("scheme case differs")

    if not hosts_related:
        diffs.append(f"another host ({host_b} instead of {host_a})")
    elif host_a != host_b:
        diffs.append(f"host case differs ({host_b} instead of {host_a})")

    loopback = host_a.lower() in LOOPBACK_HOSTS
    port_a = a.port if a.port is not None else _default_port(a.scheme)
    port_b = b.port if b.port is not None else _default_port(b.scheme)
    if not loopback:
        if port_a != port_b and scheme_a == scheme_b:
            want = f"port {_port_text(a)}" if a.port is not None else "no port"
            diffs.append(f"port {_port_text(b)} where the callback has {want}")
        elif (a.port is None) != (b.port is None) and port_a == port_b:
            diffs.append(f"explicit default port :{port_b} (Entra compares the text)")

    diffs.extend(_path_differences(path_a, path_b))
    if a.query != b.query:
        diffs.append(f"query '?{b.query}'" if b.query else "query string missing")
    if a.fragment != b.fragment:
        diffs.append("fragment differs")
    return tuple(diffs) if diffs else ("differs in a way Entra does not normalise",)


def _port_text(parts: SplitResult) -> str:
    return f":{parts.port}" if parts.port is not None else "(default)"


def _norm_path(path: str) -> str:
    collapsed = "/".join(p for p in path.split("/") if p)
    return "/" + collapsed.lower()


def _path_differences(want: str, got: str) -> list[str]:
    if want == got:
        return []
    diffs: list[str] = []
    if "//" in got and "//" not in want:
        diffs.append("double slash in the path")
    if got.endswith("/") and not want.endswith("/") and got.rstrip("/") != "":
        diffs.append("trailing slash")
    elif want.endswith("/") and not got.endswith("/"):
        diffs.append("missing trailing slash")
    squeezed_got = "/" + "/".join(p for p in got.split("/") if p)
    squeezed_want = "/" + "/".join(p for p in want.split("/") if p)
    if squeezed_got != squeezed_want:
        if squeezed_got.lower() == squeezed_want.lower():
            diffs.append("path case differs")
        else:
            diffs.append(f"another path ({got} instead of {want})")
    return diffs


@dataclass(frozen=True)
class RedirectReport:
    """Where the callback is registered exactly, and the near misses otherwise."""

    exact_platforms: tuple[str, ...]
    near_misses: tuple[NearMiss, ...]

    def registered_under(self, *platforms: str) -> bool:
        return any(p in self.exact_platforms for p in platforms)


def analyse(callback: str, registered: tuple[tuple[str, str], ...]) -> RedirectReport:
    """Compare the callback with every ``(platform, uri)`` registered; near misses sorted, fewest differences first."""
    exact: list[str] = []
    near: list[NearMiss] = []
    for platform, uri in registered:
        diffs = differences(callback, uri)
        if diffs is None:
            continue
        if not diffs:
            if platform not in exact:
                exact.append(platform)
            continue
        near.append(NearMiss(platform, uri, diffs))
    near.sort(key=lambda m: (len(m.differences), m.platform != "web"))
    return RedirectReport(tuple(exact), tuple(near))
