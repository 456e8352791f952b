"""Errors raised by :mod:`gateway.pact`.

One tree; the HTTP layer (``gateway.pact._app``) alone turns them into PACT error
responses, the client wraps httpx errors at its boundary::

    PactError                     base class
    ├── PactRequestError          a request the gateway refuses; ``code`` is the PACT error
    │   │                         code (BadRequest, NotFound, AccessDenied, TokenExpired,
    │   │                         NotImplemented), ``status`` the HTTP status
    │   └── PactAuthError         no, a malformed, an unknown or an expired bearer token
    ├── GatewayConfigError        settings that cannot work (plain http, missing cert, …)
    ├── ClientRegistryError       adding / removing an OAuth client or a console account
    │                             failed (duplicate, unknown, bad role or password)
    ├── CertifierUnavailable      the console's certifier cannot act now (no network
    │                             profile, no EVM account, node or chain unreachable)
    └── PactClientError           talking to another PACT server failed; ``status`` and
                                  ``code`` when it answered, ``url`` what was called
"""

from __future__ import annotations


class PactError(Exception):
    """Base class of every error raised by :mod:`gateway.pact`."""


class PactRequestError(PactError):
    """A request refused with PACT error ``code`` and HTTP ``status``."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


class PactAuthError(PactRequestError):
    """The bearer token is missing, malformed, unknown or expired."""


class GatewayConfigError(PactError):
    """The gateway's settings cannot work; the message says which and what to do."""


class ClientRegistryError(PactError):
    """An OAuth client or a console account cannot be added or removed (a duplicate, an
    unknown one, a bad role or a short password)."""


class CertifierUnavailable(PactError):
    """The console's certifier page cannot act now: the gateway runs without a network
    profile or a certifier, the wallet holds no EVM account, or the node or the chain
    cannot be reached. The message says which and what to do."""


class PactClientError(PactError):
    """Another PACT server could not be used: unreachable, refused, or answered nonsense."""

    def __init__(
        self, url: str, message: str, *, status: int | None = None, code: str | None = None
    ) -> None:
        super().__init__(f"{url}: {message}")
        self.url = url
        self.status = status
        self.code = code
