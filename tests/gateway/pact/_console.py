"""A person at the console, for the console's tests: a cookie jar over HTTPS. Kept out
of conftest.py so that every test module and the conftest's clean-up share one list of
open clients (pytest imports conftest.py under another module name than the tests do)."""

from __future__ import annotations

import re

import httpx

from tests.gateway.pact.conftest import Served

PASSWORD = "a long enough password"

_OPEN: list[httpx.Client] = []


def close_clients() -> None:
    """Close every client a :class:`Browser` opened (the conftest does it after each test:
    an open keep-alive connection holds a gateway's server open at shutdown)."""
    while _OPEN:
        _OPEN.pop().close()


class Browser:
    """One person's cookie jar against a served console (cookies kept by hand: the
    console's cookie is Secure, path /console, for host 127.0.0.1)."""

    def __init__(self, served: Served) -> None:
        self.base = served.base_url + "/console"
        self.http = served.http()
        self.cookie: str | None = None
        _OPEN.append(self.http)

    def _headers(self) -> dict[str, str]:
        return {"Cookie": f"tanji_console={self.cookie}"} if self.cookie else {}

    def _keep(self, resp: httpx.Response) -> httpx.Response:
        for header in resp.headers.get_list("set-cookie"):
            value = header.split(";", 1)[0].split("=", 1)[1]
            self.cookie = value or None
        return resp

    def get(self, path: str) -> httpx.Response:
        return self._keep(self.http.get(self.base + path, headers=self._headers()))

    def post(self, path: str, data: dict[str, str]) -> httpx.Response:
        return self._keep(self.http.post(self.base + path, data=data, headers=self._headers()))

    def csrf(self, path: str) -> str:
        found = re.search(r'name="csrf" value="([^"]+)"', self.get(path).text)
        assert found, "no CSRF field"
        return found.group(1)

    def login(self, name: str, password: str) -> httpx.Response:
        token = self.csrf("/login")
        return self.post("/login", {"csrf": token, "name": name, "password": password})
