"""A PACT client (v3.0 and v2.3) with OAuth client credentials: what the gateway uses to
send events to partners, and what ``tanji pact pull`` / ``tanji pact request`` use.

The token endpoint comes from ``<base>/.well-known/openid-configuration`` when the server
offers one, else ``<base>/auth/token`` (v3.0 § Authentication Flow). Only https base URLs
(plain http to a loopback address with ``allow_loopback_http``, for tests). httpx errors
are wrapped as :class:`PactClientError`.
"""

from __future__ import annotations

import re
import ssl
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

import httpx

from gateway.pact._events import _loopback
from gateway.pact.errors import PactClientError

_LINK = re.compile(r'<([^>]*)>\s*;\s*rel="?next"?', re.IGNORECASE)


def next_link(header: str | None) -> str | None:
    """The target of ``rel="next"`` in an RFC 8288 ``Link`` header, if any."""
    if not header:
        return None
    match = _LINK.search(header)
    return match.group(1) if match else None


def check_base_url(url: str, *, allow_loopback_http: bool = False) -> str:
    """``url`` without a trailing slash; raises :class:`PactClientError` unless it is an
    absolute https URL (or loopback http when allowed)."""
    parts = urlsplit(url)
    if not parts.hostname or parts.scheme not in ("https", "http"):
        raise PactClientError(url, "not an absolute URL; give https://host[/path]")
    if parts.scheme == "http" and not (allow_loopback_http and _loopback(parts.hostname)):
        raise PactClientError(url, "PACT servers are reached over https only")
    return url.rstrip("/")


class PactClient:
    """One PACT server, as one OAuth client of it."""

    def __init__(
        self,
        base_url: str,
        client_id: str,
        client_secret: str,
        *,
        verify: ssl.SSLContext | str | bool = True,
        timeout: float = 15.0,
        allow_loopback_http: bool = False,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = check_base_url(base_url, allow_loopback_http=allow_loopback_http)
        self._id = client_id
        self._secret = client_secret
        self._allow_http = allow_loopback_http
        self._http = httpx.Client(verify=verify, timeout=timeout, transport=transport)
        self._token: str | None = None

    def __enter__(self) -> PactClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the connection pool."""
        self._http.close()

    def _call(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        try:
            return self._http.request(method, url, **kwargs)
        except httpx.HTTPError as exc:
            raise PactClientError(url, f"cannot reach the server: {exc}") from exc

    def token_endpoint(self) -> str:
        """The token endpoint: OpenID discovery, else ``<base>/auth/token``."""
        url = self.base_url + "/.well-known/openid-configuration"
        resp = self._call("GET", url)
        if resp.status_code == 200:
            try:
                endpoint = resp.json().get("token_endpoint")
            except ValueError:
                endpoint = None
            if isinstance(endpoint, str) and endpoint:
                check_base_url(endpoint, allow_loopback_http=self._allow_http)
                return endpoint
        return self.base_url + "/auth/token"

    def token(self, *, fresh: bool = False) -> str:
        """An access token (cached until the server refuses it)."""
        if self._token is None or fresh:
            endpoint = self.token_endpoint()
            resp = self._call(
                "POST",
                endpoint,
                data={"grant_type": "client_credentials"},
                auth=(self._id, self._secret),
                headers={"Accept": "application/json"},
            )
            if resp.status_code != 200:
                raise PactClientError(
                    endpoint,
                    f"token refused ({resp.status_code}): {resp.text[:200]}",
                    status=resp.status_code,
                )
            try:
                token = resp.json()["access_token"]
            except (ValueError, KeyError, TypeError):
                raise PactClientError(endpoint, "the token response has no access_token") from None
            self._token = str(token)
        return self._token

    def _authed(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}))
        headers["Authorization"] = f"Bearer {self.token()}"
        resp = self._call(method, url, headers=headers, **kwargs)
        if resp.status_code == 401:  # expired or restarted server: authenticate again
            headers["Authorization"] = f"Bearer {self.token(fresh=True)}"
            resp = self._call(method, url, headers=headers, **kwargs)
        return resp

    def _fail(self, url: str, resp: httpx.Response) -> PactClientError:
        code = None
        try:
            body = resp.json()
            code = body.get("code") if isinstance(body, dict) else None
        except ValueError:
            pass
        return PactClientError(
            url, f"HTTP {resp.status_code}: {resp.text[:300]}", status=resp.status_code, code=code
        )

    def footprints(
        self, version: int = 3, params: Mapping[str, Any] | None = None, limit: int | None = None
    ) -> Iterator[dict[str, Any]]:
        """Every footprint the server lists for this client, following ``Link`` pages."""
        url: str | None = f"{self.base_url}/{version}/footprints"
        query: dict[str, Any] = dict(params or {})
        if limit is not None:
            query["limit"] = limit
        first = True
        while url is not None:
            resp = self._authed("GET", url, params=query if first else None)
            first = False
            if resp.status_code != 200:
                raise self._fail(url, resp)
            try:
                data = resp.json()["data"]
            except (ValueError, KeyError, TypeError):
                raise PactClientError(url, "the response has no data list") from None
            if not isinstance(data, list):
                raise PactClientError(url, "data is not a list")
            yield from data
            url = next_link(resp.headers.get("link"))

    def footprint(self, footprint_id: str, version: int = 3) -> dict[str, Any]:
        """One footprint."""
        url = f"{self.base_url}/{version}/footprints/{footprint_id}"
        resp = self._authed("GET", url)
        if resp.status_code != 200:
            raise self._fail(url, resp)
        doc = resp.json().get("data")
        if not isinstance(doc, dict):
            raise PactClientError(url, "the response has no footprint")
        return doc

    def send_event(self, event: Mapping[str, Any], url: str | None = None) -> None:
        """POST a CloudEvent to ``url`` (default ``<base>/3/events``); raises
        :class:`PactClientError` unless the server answers 2xx."""
        target = url or f"{self.base_url}/3/events"
        resp = self._authed(
            "POST",
            target,
            json=dict(event),
            headers={"Content-Type": "application/cloudevents+json; charset=UTF-8"},
        )
        if not 200 <= resp.status_code < 300:
            raise self._fail(target, resp)
