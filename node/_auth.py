"""Authentication without shared secrets: signed assertion in, short-lived bearer token out.

The client signs ``b"tanji.auth.v1\\0" + JCS({aud, exp, iat, keyId, nonce, org})`` with an
Ed25519 key registered for its organisation (:func:`sdk.client.make_assertion`). The node
checks audience, lifetime, the key on chain, the signature and that the nonce is new, then
hands out a random bearer token of which it stores only the SHA-256.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from nacl.exceptions import BadSignatureError
from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.exc import IntegrityError

from node._db import writing
from node._participants import Participants
from node._settings import Settings
from node._tables import auth_nonces, auth_tokens
from node._util import check_aware, parse_b64
from node.errors import AuthenticationFailed
from sdk.client import ASSERTION_FIELDS, assertion_signing_bytes


@dataclass(frozen=True)
class Caller:
    """An authenticated caller: the organisation and the key it proved."""

    org: str
    key_id: str


@dataclass(frozen=True)
class IssuedToken:
    """A bearer token and when it stops working."""

    token: str
    expires_at: datetime


class Authenticator:
    """Issues and checks bearer tokens; see the module docstring for the protocol."""

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        participants: Participants,
        token_bytes: Callable[[int], bytes] = secrets.token_bytes,
    ) -> None:
        self._engine = engine
        self._settings = settings
        self._participants = participants
        self._token_bytes = token_bytes
        self._cache: dict[bytes, tuple[Caller, datetime]] = {}
        self._lock = threading.Lock()

    def issue(self, assertion: Any, signature: str, now: datetime) -> IssuedToken:
        """Check a signed assertion at time ``now`` and return a new bearer token.

        Guarantees: a token is issued only for a registered, unrevoked key of ``org``, an
        assertion naming this node as audience, unexpired, not longer-lived than
        ``assertion_max_lifetime_seconds``, whose nonce was never used before. Raises
        :class:`AuthenticationFailed` naming the failed check; writes nothing then.
        """
        check_aware(now)
        claims = _parse_assertion(assertion)
        s = self._settings
        if claims["aud"] != s.audience:
            raise AuthenticationFailed(
                f"assertion audience {claims['aud']!r} is not this node ({s.audience})",
                code="wrong_audience",
            )
        iat, exp = claims["iat"], claims["exp"]
        now_s = int(now.timestamp())
        if exp <= iat:
            raise AuthenticationFailed("assertion exp is not after iat", code="bad_assertion")
        if exp - iat > s.assertion_max_lifetime_seconds:
            raise AuthenticationFailed(
                f"assertion lives {exp - iat} s, more than {s.assertion_max_lifetime_seconds} s",
                code="bad_assertion",
            )
        if iat > now_s + s.clock_skew_seconds:
            raise AuthenticationFailed("assertion iat is in the future", code="bad_assertion")
        if exp <= now_s - s.clock_skew_seconds:
            raise AuthenticationFailed("assertion has expired", code="assertion_expired")
        sig = parse_b64(signature, "signature", size=64, error=AuthenticationFailed)
        key = self._participants.signing_key(claims["org"], claims["keyId"], now, for_auth=True)
        try:
            key.verify(assertion_signing_bytes(claims), sig)
        except BadSignatureError as exc:
            raise AuthenticationFailed(
                "assertion signature does not verify", code="bad_signature"
            ) from exc
        raw = self._token_bytes(32)
        token = raw.hex()
        expires = now + timedelta(seconds=s.token_ttl_seconds)
        nonce_expiry = datetime.fromtimestamp(exp, tz=UTC) + timedelta(seconds=s.clock_skew_seconds)
        try:
            with writing(self._engine) as conn, conn.begin():
                conn.execute(delete(auth_nonces).where(auth_nonces.c.expires_at < now))
                conn.execute(delete(auth_tokens).where(auth_tokens.c.expires_at < now))
                conn.execute(
                    insert(auth_nonces).values(
                        org=claims["org"], nonce=claims["nonce"], expires_at=nonce_expiry
                    )
                )
                conn.execute(
                    insert(auth_tokens).values(
                        token_hash=hashlib.sha256(raw).digest(),
                        org=claims["org"],
                        key_id=claims["keyId"],
                        expires_at=expires,
                        revoked=False,
                    )
                )
        except IntegrityError as exc:
            raise AuthenticationFailed(
                "assertion nonce was already used", code="replayed_nonce"
            ) from exc
        return IssuedToken(token=token, expires_at=expires)

    def authenticate(self, authorization: str | None, now: datetime) -> Caller:
        """The caller behind an ``Authorization: Bearer <token>`` header at ``now``.

        Raises :class:`AuthenticationFailed` for a missing, malformed, unknown or expired
        token.
        """
        digest = _token_digest(authorization)
        with self._lock:
            hit = self._cache.get(digest)
        if hit is None:
            with self._engine.connect() as conn:
                row = conn.execute(
                    select(auth_tokens.c.org, auth_tokens.c.key_id, auth_tokens.c.expires_at).where(
                        auth_tokens.c.token_hash == digest, auth_tokens.c.revoked.is_(False)
                    )
                ).first()
            if row is None:
                raise AuthenticationFailed("unknown bearer token", code="unauthenticated")
            hit = (Caller(org=row.org, key_id=row.key_id), row.expires_at)
            with self._lock:
                if len(self._cache) > 10_000:
                    self._cache.clear()
                self._cache[digest] = hit
        return _unexpired(hit, now)

    def authenticate_cached(self, authorization: str | None, now: datetime) -> Caller | None:
        """:meth:`authenticate` without the database: the caller of a token seen before,
        or None when the token is not in the cache (then call :meth:`authenticate`).

        Raises :class:`AuthenticationFailed` for a missing, malformed or expired token.
        """
        digest = _token_digest(authorization)
        with self._lock:
            hit = self._cache.get(digest)
        return None if hit is None else _unexpired(hit, now)


def _token_digest(authorization: str | None) -> bytes:
    if not authorization:
        raise AuthenticationFailed("missing bearer token", code="unauthenticated")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise AuthenticationFailed("expected 'Authorization: Bearer <token>'")
    try:
        raw = bytes.fromhex(token.strip())
    except ValueError as exc:
        raise AuthenticationFailed("malformed bearer token") from exc
    return hashlib.sha256(raw).digest()


def _unexpired(hit: tuple[Caller, datetime], now: datetime) -> Caller:
    caller, expires_at = hit
    if now >= expires_at:
        raise AuthenticationFailed("bearer token has expired", code="token_expired")
    return caller


def _parse_assertion(assertion: Any) -> dict[str, Any]:
    if not isinstance(assertion, dict):
        raise AuthenticationFailed("assertion must be a JSON object", code="bad_assertion")
    keys = set(assertion)
    if keys != set(ASSERTION_FIELDS):
        missing = sorted(set(ASSERTION_FIELDS) - keys)
        extra = sorted(keys - set(ASSERTION_FIELDS))
        raise AuthenticationFailed(
            f"assertion fields: missing {missing}, unknown {extra}", code="bad_assertion"
        )
    for name in ("org", "keyId", "aud", "nonce"):
        value = assertion[name]
        if not isinstance(value, str) or not value or len(value) > 256:
            raise AuthenticationFailed(
                f"assertion {name} must be a non-empty string", code="bad_assertion"
            )
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise AuthenticationFailed(
                f"assertion {name} is not Unicode text (lone surrogate)", code="bad_assertion"
            ) from exc
        if "\x00" in value:
            raise AuthenticationFailed(f"assertion {name} contains NUL", code="bad_assertion")
    if not 16 <= len(assertion["nonce"]) <= 128:
        raise AuthenticationFailed(
            "assertion nonce must be 16-128 characters", code="bad_assertion"
        )
    for name in ("iat", "exp"):
        value = assertion[name]
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise AuthenticationFailed(
                f"assertion {name} must be unix seconds (integer)", code="bad_assertion"
            )
    return assertion
