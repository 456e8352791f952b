"""OAuth 2.0 client credentials (RFC 6749 §4.4) for the gateway's customers.

A client id names a customer organisation's PACT system; its secret (32 random bytes,
shown once) is stored as an argon2id hash. Because the secret is random, not a
password, light argon2id parameters suffice (what an attacker with the file would have to
guess is 256 bits); they keep ``/auth/token`` fast. Access tokens are random, live
:data:`TOKEN_SECONDS`, and are held in the server's memory only: a restart makes
clients authenticate again, which is what an OAuth client does on a 401.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from nacl import pwhash
from nacl.exceptions import InvalidkeyError

from gateway.pact._state import ClientRecord, GatewayState
from gateway.pact.errors import ClientRegistryError, PactAuthError
from sdk import OrgId
from sdk.errors import InvalidOrgId

#: Lifetime of an access token.
TOKEN_SECONDS = 3600
_OPS = pwhash.argon2id.OPSLIMIT_MIN * 2
_MEM = 8 * 1024 * 1024


def hash_secret(secret: str) -> str:
    """The argon2id hash (PHC string) stored for a client secret."""
    return pwhash.argon2id.str(secret.encode(), opslimit=_OPS, memlimit=_MEM).decode()


def secret_matches(secret_hash: str, secret: str) -> bool:
    """Whether ``secret`` is the one hashed (constant-time inside libsodium)."""
    try:
        return bool(pwhash.verify(secret_hash.encode(), secret.encode()))
    except InvalidkeyError:
        return False


def add_client(
    state: GatewayState, org: str, *, now: datetime, name: str = "", client_id: str | None = None
) -> tuple[ClientRecord, str]:
    """Register a client for customer organisation ``org`` (a unified social credit code
    or an organisation URN); returns the record and the secret, which is not stored and
    cannot be shown again. Raises :class:`ClientRegistryError` for a bad org id or a
    taken client id."""
    try:
        org_id = str(OrgId.parse(org))
    except InvalidOrgId as exc:
        raise ClientRegistryError(f"customer organisation {org!r}: {exc}") from None
    cid = client_id or "tanji-" + secrets.token_hex(8)
    if not cid or ":" in cid or not cid.isprintable() or len(cid) > 128:
        raise ClientRegistryError(
            "a client id is 1-128 printable characters without ':' (HTTP Basic splits at ':')"
        )
    secret = secrets.token_urlsafe(32)
    record = ClientRecord(cid, org_id, name, now, hash_secret(secret))
    state.add_client(record)
    return record, secret


def basic_credentials(header: str | None) -> tuple[str, str] | None:
    """``(client id, secret)`` from an ``Authorization: Basic …`` header, or None."""
    if not header or header[:6].lower() != "basic ":
        return None
    try:
        raw = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    cid, sep, secret = raw.partition(":")
    return (cid, secret) if sep else None


@dataclass(frozen=True)
class TokenGrant:
    """An access token and whom it was issued to."""

    token: str
    client_id: str
    org_id: str
    expires_at: datetime


class TokenStore:
    """Issues and checks bearer tokens (in memory, thread-safe)."""

    def __init__(self, state: GatewayState, seconds: int = TOKEN_SECONDS) -> None:
        self.state = state
        self.seconds = seconds
        self._tokens: dict[str, TokenGrant] = {}
        self._lock = threading.Lock()

    def issue(self, client_id: str, secret: str, now: datetime) -> TokenGrant | None:
        """A new token for valid credentials; None when they are not."""
        client = self.state.client(client_id)
        if client is None:
            # Spend the same effort as for a known id, so timing does not tell ids apart.
            secret_matches(_DUMMY_HASH, secret)
            return None
        if not secret_matches(client.secret_hash, secret):
            return None
        grant = TokenGrant(
            secrets.token_urlsafe(32),
            client.client_id,
            client.org_id,
            now + timedelta(seconds=self.seconds),
        )
        with self._lock:
            self._tokens = {t: g for t, g in self._tokens.items() if g.expires_at > now}
            self._tokens[grant.token] = grant
        return grant

    def check(self, authorization: str | None, now: datetime) -> TokenGrant:
        """The grant behind ``Authorization: Bearer <token>``. Raises :class:`PactAuthError`:
        401 TokenExpired for an expired token, 401 BadRequest for a missing, malformed or
        unknown one, or one whose client was removed."""
        if not authorization or authorization[:7].lower() != "bearer ":
            raise PactAuthError(401, "BadRequest", "send Authorization: Bearer <access token>")
        token = authorization[7:].strip()
        with self._lock:
            grant = self._tokens.get(token)
        if grant is None or not hmac.compare_digest(grant.token, token):
            raise PactAuthError(
                401, "BadRequest", "invalid access token; get one from the token endpoint"
            )
        if grant.expires_at <= now:
            raise PactAuthError(401, "TokenExpired", "the access token has expired")
        client = self.state.client(grant.client_id)
        if client is None or client.org_id != grant.org_id:
            with self._lock:
                self._tokens.pop(token, None)
            raise PactAuthError(401, "BadRequest", "the access token's client was removed")
        return grant


_DUMMY_HASH = hash_secret(secrets.token_urlsafe(32))
