"""HTTP for the live half: Microsoft Graph v1.0 GETs and msal's Entra requests, with retries and deadlines.

- Every request passes ``verify=`` and ``timeout=`` explicitly. ``requests`` lets ``REQUESTS_CA_BUNDLE`` /
  ``CURL_CA_BUNDLE`` override a Session's own ``verify`` (psf/requests#3829), so a configured ``ca_bundle`` is
  handed to each call; without one, ``verify=True`` keeps the standard variables and proxies working.
- Retries (https://learn.microsoft.com/graph/throttling): on 429, 503 and 504 wait ``Retry-After`` seconds,
  else back off exponentially; connection errors and timeouts are retried too. Everything is bounded by
  ``max_retries`` and by an overall deadline; a wait that would pass the deadline fails at once.
- Graph is only ever sent GET. ``@odata.nextLink`` is followed as given (https://learn.microsoft.com/graph/paging),
  and only when it points at the configured Graph endpoint (same scheme and host), so the bearer token never
  leaves it.
- Failures are :class:`ProviderError` with one line naming the HTTP status and Graph's error code; no token,
  secret or request body ever goes into a message.
"""

from __future__ import annotations

import email.utils
import json
import logging
import os
import queue
import random
import re
import ssl
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import requests

from oauthlint.errors import ProviderError

log = logging.getLogger("oauthlint.azure")
RETRY_STATUSES = frozenset({429, 503, 504})
BACKOFF_BASE = 0.5
BACKOFF_CAP = 30.0
USER_AGENT = "oauthlint (read-only configuration linter)"
SLEEP: Callable[[float], None] = time.sleep
"""How retries wait (tests replace it to observe waits without waiting)."""


class Deadline:
    """An overall time budget shared by every request of one operation."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.seconds = seconds
        self._end = clock() + seconds

    def remaining(self) -> float:
        return self._end - self._clock()

    def timeout(self, per_request: float) -> float:
        """The timeout for the next request: never longer than what is left."""
        left = self.remaining()
        if left <= 0:
            raise TimeoutError
        return max(0.05, min(per_request, left))


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds: a number, or an HTTP date (RFC 9110 §10.2.3)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def parse_http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def describe_transport_error(exc: BaseException, host: str) -> str:
    """One line for a requests/urllib3 failure; never the request itself."""
    if isinstance(exc, requests.exceptions.SSLError):
        return (
            f"TLS verification failed for {host} (a corporate proxy re-signing TLS? set ca_bundle in "
            "[providers.azure] or REQUESTS_CA_BUNDLE)"
        )
    if isinstance(exc, requests.exceptions.ProxyError):
        return f"the proxy refused the connection to {host}"
    if isinstance(exc, requests.exceptions.Timeout):
        return f"{host} did not answer in time"
    if isinstance(exc, requests.exceptions.ChunkedEncodingError | requests.exceptions.ContentDecodingError):
        return f"{host} closed the connection mid-answer (truncated response)"
    if isinstance(exc, requests.exceptions.ConnectionError):
        return f"cannot connect to {host}"
    return f"request to {host} failed ({type(exc).__name__})"


class _TLSAdapter(requests.adapters.HTTPAdapter):
    """An adapter with one prepared SSLContext: no per-request CA-file stat() calls, no environment lookups."""

    def __init__(self, context: ssl.SSLContext, **kwargs: Any) -> None:
        self._context = context
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["ssl_context"] = self._context
        super().init_poolmanager(*args, **kwargs)

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
        kwargs["ssl_context"] = self._context
        return super().proxy_manager_for(proxy, **kwargs)

    def build_connection_pool_key_attributes(
        self, request: requests.PreparedRequest, verify: Any, cert: Any = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        host_params, _ = super().build_connection_pool_key_attributes(request, True, cert)
        return host_params, {"cert_reqs": "CERT_REQUIRED", "ssl_context": self._context}

    def cert_verify(self, conn: Any, url: str, verify: Any, cert: Any) -> None:
        conn.cert_reqs = "CERT_REQUIRED"
        conn.ca_certs = None
        conn.ca_cert_dir = None


def trust_store(ca_bundle: str | None) -> str:
    """The CA file to trust: ``ca_bundle`` if configured, else REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE, else certifi
    (what requests itself would use; read once, so a configured ``ca_bundle`` always wins, psf/requests#3829)."""
    if ca_bundle:
        return ca_bundle
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        value = os.environ.get(name)
        if value:
            return value
    return requests.certs.where()


def new_session(*, ca_bundle: str | None = None, hosts: tuple[str, ...] = ()) -> requests.Session:
    """A session whose TLS trust and proxies are decided once, from settings and the standard variables.

    ``trust_env`` is off so requests does not re-read the environment on every call; the proxy for each host
    (HTTPS_PROXY / NO_PROXY …) is resolved here instead.
    """
    session = requests.Session()
    session.trust_env = False
    session.headers["User-Agent"] = USER_AGENT
    cafile = trust_store(ca_bundle)
    try:
        context = ssl.create_default_context(
            cafile=cafile if not os.path.isdir(cafile) else None, capath=cafile if os.path.isdir(cafile) else None
        )
    except (OSError, ssl.SSLError) as exc:
        raise ProviderError(
            "azure", "TLS setup", f"cannot load the CA bundle {cafile} ({type(exc).__name__})"
        ) from None
    adapter = _TLSAdapter(context, pool_connections=4, pool_maxsize=64, max_retries=0)
    session.mount("https://", adapter)
    for base in hosts:
        proxies = requests.utils.get_environ_proxies(base)
        host = (urlsplit(base).hostname or "").lower()  # requests keys per-host proxies by scheme://hostname
        session.proxies[f"https://{host}"] = proxies.get("https") or proxies.get("all")  # type: ignore[assignment]
    return session


class MsalHttpClient:
    """The ``http_client`` msal is given: passes ``verify`` and a timeout on every request (see module doc)."""

    def __init__(self, session: requests.Session, verify: str | bool, timeout: float, deadline: Deadline) -> None:
        self._session = session
        self._verify = verify
        self._timeout = timeout
        self.deadline = deadline

    def _kwargs(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        kwargs.pop("timeout", None)
        kwargs.pop("verify", None)
        return {**kwargs, "verify": self._verify, "timeout": self.deadline.timeout(self._timeout)}

    def post(self, url: str, params: Any = None, data: Any = None, headers: Any = None, **kwargs: Any) -> Any:
        return self._session.post(url, params=params, data=data, headers=headers, **self._kwargs(kwargs))

    def get(self, url: str, params: Any = None, headers: Any = None, **kwargs: Any) -> Any:
        return self._session.get(url, params=params, headers=headers, **self._kwargs(kwargs))

    def close(self) -> None:  # msal calls this on some paths; the session is shared and closed by its owner
        pass


class SubResponse:
    """One answer inside a ``$batch`` response, shaped like the parts of requests.Response the client reads."""

    def __init__(self, status_code: int, headers: Mapping[str, str], text: str, *, whole_batch: bool = False) -> None:
        self.status_code = status_code
        self.headers = requests.structures.CaseInsensitiveDict(headers)
        self.text = text
        self.whole_batch = whole_batch
        """The status is the ``/$batch`` POST's own (it says nothing about this sub-request's object)."""

    def json(self) -> Any:
        return json.loads(self.text)


class _Pending:
    __slots__ = ("future", "relative", "timeout")

    def __init__(self, relative: str, timeout: float) -> None:
        self.relative = relative
        self.timeout = timeout
        self.future: Future[SubResponse] = Future()


class GraphBatcher:
    """Coalesces GETs from many threads into JSON batches of up to 20 (https://learn.microsoft.com/graph/json-batching).

    Only GET sub-requests are ever batched (the batch itself is a POST to ``/$batch``, Graph's read-only way to
    send many GETs at once). Each sub-response keeps its own status and ``Retry-After``; the caller retries a
    throttled sub-request like a direct one. Off unless ``batch = true`` in ``[providers.azure]``.
    """

    MAX = 20

    def __init__(
        self,
        *,
        endpoint: str,
        session: requests.Session,
        verify: str | bool,
        token: Callable[[Deadline], str],
        deadline_seconds: float,
        linger: float = 0.003,
    ) -> None:
        self._url = endpoint.rstrip("/") + "/v1.0/$batch"
        self._session = session
        self._verify = verify
        self._token = token
        self._deadline_seconds = deadline_seconds
        self._linger = linger
        self._queue: queue.Queue[_Pending | None] = queue.Queue()
        self._senders = ThreadPoolExecutor(max_workers=8, thread_name_prefix="oauthlint-graph-batch")
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.batches = 0

    def call(self, relative: str, timeout: float) -> SubResponse:
        pending = _Pending(relative, timeout)
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._collect, name="oauthlint-graph-batcher", daemon=True)
                self._thread.start()
        self._queue.put(pending)
        try:
            return pending.future.result(timeout=timeout + self._linger + 1.0)
        except FutureTimeout:
            raise requests.exceptions.Timeout("batch answer timed out") from None

    def close(self) -> None:
        self._queue.put(None)
        self._senders.shutdown(wait=False, cancel_futures=True)

    def _collect(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            items = [first]
            end = time.monotonic() + self._linger
            while len(items) < self.MAX:
                left = end - time.monotonic()
                if left <= 0:
                    break
                try:
                    item = self._queue.get(timeout=left)
                except queue.Empty:
                    break
                if item is None:
                    self._queue.put(None)
                    break
                items.append(item)
            try:
                self._senders.submit(self._send, items)
            except RuntimeError:  # shut down
                for item in items:
                    item.future.set_exception(requests.exceptions.ConnectionError("batcher closed"))
                return

    def _send(self, items: list[_Pending]) -> None:
        body = {"requests": [{"id": str(n), "method": "GET", "url": it.relative} for n, it in enumerate(items)]}
        timeout = max(it.timeout for it in items)
        try:
            token = self._token(Deadline(self._deadline_seconds))
            response = self._session.post(
                self._url,
                json=body,
                headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
                verify=self._verify,
                timeout=timeout,
                allow_redirects=False,
            )
            self.batches += 1
        except BaseException as exc:
            for it in items:
                it.future.set_exception(exc)
            return
        date = response.headers.get("Date", "")
        if response.status_code != 200:
            for it in items:
                it.future.set_result(
                    SubResponse(response.status_code, dict(response.headers), response.text, whole_batch=True)
                )
            return
        try:
            answers = {str(r.get("id")): r for r in response.json().get("responses", []) if isinstance(r, dict)}
        except (ValueError, AttributeError, requests.exceptions.RequestException):
            for it in items:
                it.future.set_result(SubResponse(200, {"Date": date}, "{not json"))
            return
        for n, it in enumerate(items):
            answer = answers.get(str(n))
            if answer is None:
                it.future.set_result(SubResponse(502, {"Date": date}, ""))
                continue
            headers = {str(k): str(v) for k, v in (answer.get("headers") or {}).items()}
            headers.setdefault("Date", date)
            status = answer.get("status")
            it.future.set_result(
                SubResponse(status if isinstance(status, int) else 502, headers, json.dumps(answer.get("body")))
            )


class GraphClient:
    """GETs against one tenant's Graph endpoint with a bearer token from ``token()``."""

    def __init__(
        self,
        *,
        endpoint: str,
        token: Callable[[], str],
        session: requests.Session,
        verify: str | bool,
        timeout: float,
        max_retries: int,
        deadline: Deadline,
        sleep: Callable[[float], None] | None = None,
        batcher: GraphBatcher | None = None,
    ) -> None:
        self._batcher = batcher
        self.endpoint = endpoint.rstrip("/")
        self.base = self.endpoint + "/v1.0"
        self._host = urlsplit(self.endpoint).netloc.lower()
        self._token = token
        self._session = session
        self._verify = verify
        self._timeout = timeout
        self._max_retries = max_retries
        self.deadline = deadline
        self._sleep = sleep or (lambda seconds: SLEEP(seconds))
        self._lock = threading.Lock()
        self.server_date: datetime | None = None
        self.observed_at: datetime | None = None
        self.requests = 0

    # -- core request loop -------------------------------------------------------------------------

    def _send(self, url: str, params: Mapping[str, str] | None, operation: str) -> requests.Response:
        attempt = 0
        while True:
            try:
                timeout = self.deadline.timeout(self._timeout)
            except TimeoutError:
                raise self._error(operation, f"gave up after the {self.deadline.seconds:g}s deadline") from None
            wait: float | None = None
            try:
                if self._batcher is not None and url.startswith(self.base + "/"):
                    response: Any = self._batcher.call(_relative(url[len(self.base) :], params), timeout)
                else:
                    headers = {"Authorization": f"Bearer {self._token()}", "Accept": "application/json"}
                    response = self._session.get(
                        url, params=params, headers=headers, verify=self._verify, timeout=timeout, allow_redirects=False
                    )
                with self._lock:
                    self.requests += 1
            except requests.exceptions.SSLError as exc:
                raise self._error(operation, describe_transport_error(exc, self._host)) from None
            except requests.exceptions.RequestException as exc:
                if attempt >= self._max_retries:
                    raise self._error(
                        operation, f"{describe_transport_error(exc, self._host)} after {attempt + 1} attempt(s)"
                    ) from None
                reason = describe_transport_error(exc, self._host)
            else:
                self._note_date(response)
                if response.status_code not in RETRY_STATUSES:
                    return response
                reason = f"HTTP {response.status_code}{_graph_code(response)}"
                wait = parse_retry_after(response.headers.get("Retry-After"))
                if attempt >= self._max_retries:
                    raise self._error(operation, f"{reason} after {attempt + 1} attempt(s) (throttled or unavailable)")
            if wait is None:
                wait = min(BACKOFF_CAP, BACKOFF_BASE * (2**attempt)) * (0.5 + random.random() / 2)  # noqa: S311
            if wait >= self.deadline.remaining():
                raise self._error(
                    operation, f"{reason}; retrying after {wait:g}s would pass the {self.deadline.seconds:g}s deadline"
                )
            log.debug("azure: %s: %s, retrying in %.2fs", operation, reason, wait)
            self._sleep(wait)
            attempt += 1

    def _note_date(self, response: Any) -> None:
        date = parse_http_date(response.headers.get("Date"))
        if date is not None:
            self.server_date = date
            self.observed_at = datetime.now(UTC)

    def _error(self, operation: str, reason: str) -> ProviderError:
        return ProviderError("azure", operation, reason)

    def _json(self, response: requests.Response, operation: str) -> Any:
        try:
            return response.json()
        except (ValueError, requests.exceptions.RequestException):
            raise self._error(operation, f"malformed JSON from Graph (HTTP {response.status_code})") from None

    def _fail(self, response: requests.Response, operation: str, needs: str = "") -> ProviderError:
        status = response.status_code
        code = _graph_code(response)
        if getattr(response, "whole_batch", False) and status not in (401, 403):
            return self._error(operation, f"Graph's $batch endpoint answered HTTP {status}{code} (set batch = false)")
        if status == 401:
            return self._error(operation, f"HTTP 401{code}: Graph rejected oauthlint's token")
        if status == 403:
            need = needs or "Application.Read.All"
            return self._error(
                operation,
                f"HTTP 403{code}: oauthlint's reader app lacks the {need} application permission (with admin consent)",
            )
        return self._error(operation, f"HTTP {status}{code}")

    # -- public helpers ----------------------------------------------------------------------------

    def get(
        self,
        path: str,
        params: Mapping[str, str] | None = None,
        *,
        operation: str,
        needs: str = "",
        missing_ok: bool = False,
    ) -> Any:
        """GET one object; None on 404 when ``missing_ok``."""
        response = self._send(self.base + path, params, operation)
        if response.status_code == 404 and missing_ok and not getattr(response, "whole_batch", False):
            return None
        if response.status_code != 200:
            raise self._fail(response, operation, needs)
        data = self._json(response, operation)
        if not isinstance(data, dict):
            raise self._error(operation, "malformed JSON from Graph (not an object)")
        return data

    def pages(
        self,
        path: str,
        params: Mapping[str, str] | None = None,
        *,
        operation: str,
        needs: str = "",
        prefetch: bool = False,
    ) -> Iterator[list[dict[str, Any]]]:
        """Yield each page's ``value`` list, following ``@odata.nextLink`` until it is absent.

        With ``prefetch`` the next page is requested while the caller works on the current one (at most two
        pages are held at once)."""
        if not prefetch:
            url: str | None = self.base + path
            query: Mapping[str, str] | None = params
            while url is not None:
                value, url = self._page(url, query, operation, needs)
                query = None
                yield value
            return
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="oauthlint-graph-page") as pool:
            future: Future[tuple[list[dict[str, Any]], str | None]] | None = pool.submit(
                self._page, self.base + path, params, operation, needs
            )
            while future is not None:
                value, next_url = future.result()
                future = pool.submit(self._page, next_url, None, operation, needs) if next_url else None
                yield value

    def _page(
        self, url: str, query: Mapping[str, str] | None, operation: str, needs: str
    ) -> tuple[list[dict[str, Any]], str | None]:
        response = self._send(url, query, operation)
        if response.status_code != 200:
            raise self._fail(response, operation, needs)
        data = self._json(response, operation)
        if not isinstance(data, dict) or not isinstance(data.get("value"), list):
            raise self._error(operation, "malformed JSON from Graph (no 'value' list)")
        next_link = data.get("@odata.nextLink")
        if next_link is not None and (not isinstance(next_link, str) or not _same_origin(next_link, self.endpoint)):
            raise self._error(operation, "Graph returned an @odata.nextLink to another host or scheme; not followed")
        return data["value"], next_link


def _same_origin(url: str, endpoint: str) -> bool:
    """Scheme and host agree, so a nextLink cannot carry the bearer token elsewhere or over plain http."""
    a, b = urlsplit(url), urlsplit(endpoint)
    return (a.scheme.lower(), a.netloc.lower()) == (b.scheme.lower(), b.netloc.lower())


def _relative(path: str, params: Mapping[str, str] | None) -> str:
    """A ``$batch`` sub-request URL: the path after ``/v1.0`` with its query, as Graph's batch format wants it."""
    if not params:
        return path
    return path + "?" + urlencode(dict(params), quote_via=quote, safe="$,()'=/")


def _graph_code(response: Any) -> str:
    """``' Authorization_RequestDenied'`` from a Graph error body (https://learn.microsoft.com/graph/errors)."""
    try:
        body = json.loads(response.text[:4096]) if response.text else None
    except ValueError:
        return ""
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        code = body["error"].get("code")
        if isinstance(code, str) and re.fullmatch(r"[A-Za-z_.]{1,80}", code):
            return f" {code}"
    return ""
