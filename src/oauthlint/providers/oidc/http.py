"""A small, careful HTTP layer for the oidc and connect fetchers (requests underneath).

Every request has a timeout and verifies TLS (against ``ca_bundle`` when given, else requests' default:
``REQUESTS_CA_BUNDLE`` or certifi). GETs are retried a bounded number of times on connection failures and on
429/502/503/504, honouring a short ``Retry-After``; POSTs (token probes) are never retried. Every failure
becomes one :class:`~oauthlint.errors.ProviderError` line naming the host and the cause, never a secret.
Import this module only from fetchers: it imports requests.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import requests

from oauthlint.errors import ProviderError
from oauthlint.model import scrub_known_secrets
from oauthlint.providers.oidc.settings import HttpOptions

RETRY_STATUSES = frozenset({429, 502, 503, 504})
USER_AGENT = "oauthlint (read-only OAuth configuration linter)"


def host_of(url: str) -> str:
    """``host[:port]`` for messages; never the ``user:password@`` part."""
    return urlsplit(url).netloc.rpartition("@")[2] or url


def send(
    method: str,
    url: str,
    *,
    options: HttpOptions,
    provider: str,
    operation: str,
    headers: Mapping[str, str] | None = None,
    data: Mapping[str, str] | None = None,
    stream: bool = False,
    session: requests.Session | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> requests.Response:
    """One request with bounded retries (GET only). Raises ProviderError on transport failures."""
    attempts = 1 + (max(0, options.retries) if method == "GET" else 0)
    all_headers = {"User-Agent": USER_AGENT, "Accept": "application/json", **(headers or {})}
    own = session is None
    http = session or requests.Session()
    try:
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                response = http.request(
                    method,
                    url,
                    headers=all_headers,
                    data=data,
                    timeout=options.timeout,
                    verify=options.verify,
                    allow_redirects=False,
                    stream=stream,
                )
            except requests.exceptions.SSLError:
                raise ProviderError(provider, operation, tls_reason(url, options)) from None
            except requests.exceptions.Timeout:
                if last:
                    raise ProviderError(
                        provider, operation, f"no answer from {host_of(url)} within {options.timeout:g}s"
                    ) from None
                sleep(options.backoff * 2**attempt)
                continue
            except requests.exceptions.ConnectionError:
                if last:
                    raise ProviderError(provider, operation, f"cannot connect to {host_of(url)}") from None
                sleep(options.backoff * 2**attempt)
                continue
            except requests.exceptions.RequestException as exc:
                raise ProviderError(provider, operation, scrub_known_secrets(type(exc).__name__)) from None
            if response.status_code in RETRY_STATUSES and not last:
                delay = retry_after(response, options, attempt)
                response.close()
                sleep(delay)
                continue
            return response
        raise AssertionError("unreachable")  # pragma: no cover
    finally:
        if own:
            http.close()


def tls_reason(url: str, options: HttpOptions) -> str:
    trust = f"the CA bundle {options.ca_bundle}" if options.ca_bundle else "the default trust store"
    return (
        f"TLS certificate of {host_of(url)} could not be verified against {trust} "
        "(set ca_bundle, or REQUESTS_CA_BUNDLE, to your internal CA)"
    )


def retry_after(response: requests.Response, options: HttpOptions, attempt: int) -> float:
    header = response.headers.get("Retry-After", "")
    if header.strip().isdigit():
        return min(float(header.strip()), options.max_retry_after)
    return min(options.backoff * 2**attempt, options.max_retry_after)


def server_date(response: requests.Response) -> datetime | None:
    """The HTTP ``Date`` header (for OL006), or None when absent or malformed."""
    text = response.headers.get("Date")
    if not text:
        return None
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def json_body(response: requests.Response) -> Any:
    """The decoded JSON body, or None when it is not JSON."""
    try:
        return response.json()
    except ValueError:
        return None


def status_reason(response: requests.Response, *, hint: str = "") -> str:
    """``HTTP 403 Forbidden`` plus a hint: the one-line reason for a ProviderError."""
    text = f"HTTP {response.status_code}"
    if response.reason:
        text += f" {response.reason}"
    return f"{text} ({hint})" if hint else text
