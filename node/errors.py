"""Errors raised by :mod:`node`.

One tree; the service layer raises these, and only the HTTP layer turns them into status
codes (``node._http``). Errors from :mod:`sdk` and :mod:`anchors` are wrapped where the
node gives them a meaning (an invalid signature on publish is an :class:`InvalidInput`)::

    NodeError                         ``code`` is the machine-readable JSON error code
    ├── InvalidInput                  well-formed JSON that breaks the schema or a check (422)
    │   ├── MalformedRequest          not JSON at all, or a bad path/query parameter (400)
    │   └── InvalidSettings           the node's settings are wrong (``problems``: all of them)
    ├── AuthenticationFailed          no, expired or unknown token; bad assertion (401)
    ├── Forbidden                     authenticated, but not allowed (403)
    ├── NotFound                      no such attestation, request, entry, checkpoint (404)
    ├── Conflict                      the write contradicts the stored state (409)
    ├── PayloadTooLarge               past a configured size limit (413)
    ├── Unavailable                   the chain or the store cannot be reached now (503)
    └── NodeProcessError              a ``tanji node serve`` child process did not come up
"""

from __future__ import annotations


class NodeError(Exception):
    """Base class of every error raised by :mod:`node`; ``code`` names it in JSON."""

    code = "node_error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class InvalidInput(NodeError):
    """The request is well-formed JSON but breaks the schema or fails a check."""

    code = "invalid_input"


class MalformedRequest(InvalidInput):
    """The request body is not JSON, or a path or query parameter is malformed."""

    code = "malformed_request"


class InvalidSettings(InvalidInput):
    """One or more settings are wrong; ``problems`` lists every one, each naming the
    setting and what it needs (so an operator fixes them in one go)."""

    code = "invalid_settings"

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("invalid settings:\n  - " + "\n  - ".join(self.problems))


class AuthenticationFailed(NodeError):
    """No valid bearer token, or an auth assertion that does not verify."""

    code = "unauthenticated"


class Forbidden(NodeError):
    """The caller is authenticated but may not do this."""

    code = "forbidden"


class NotFound(NodeError):
    """The named resource does not exist (or is not visible to the caller)."""

    code = "not_found"


class Conflict(NodeError):
    """The write contradicts what is stored (e.g. a request already answered)."""

    code = "conflict"


class PayloadTooLarge(NodeError):
    """A body, envelope, batch or list is past its configured limit."""

    code = "payload_too_large"


class Unavailable(NodeError):
    """A dependency (chain, store) cannot be reached right now; retry later.

    ``retry_after`` (seconds) becomes the answer's ``Retry-After`` header when set.
    """

    code = "unavailable"

    def __init__(
        self, message: str, *, code: str | None = None, retry_after: int | None = None
    ) -> None:
        super().__init__(message, code=code)
        self.retry_after = retry_after


class NodeProcessError(NodeError):
    """A ``tanji node serve`` child process exited or did not become healthy in time."""

    code = "node_process"
