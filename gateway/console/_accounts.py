"""Local staff accounts and server-side sessions of the console, kept in the gateway's
state file.

Passwords are stored as argon2id hashes (libsodium's interactive limits: people choose
passwords, so each guess must cost). A session is a random token in an HttpOnly cookie;
only its SHA-256 is stored, next to the account, the synchroniser CSRF token of its forms
and its expiry. The login form has an anonymous session of its own (a short one), so it
carries a CSRF token too; logging in replaces it with a new token (no fixation).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from nacl import pwhash
from nacl.exceptions import InvalidkeyError

from gateway.pact._state import GatewayState, SessionRecord, StaffRecord
from gateway.pact.errors import ClientRegistryError

ROLES = ("supplier", "leader", "certifier", "admin")
"""Console roles: a supplier answers requests, a leader follows its own, a certifier
checks roll-ups and issues, suspends, restores and revokes labels; admin all three."""
SESSION_SECONDS = 8 * 3600
LOGIN_FORM_SECONDS = 15 * 60
MIN_PASSWORD = 10

_DUMMY_HASH = pwhash.argon2id.str(b"not a password of anyone").decode()


def hash_password(password: str) -> str:
    """The argon2id hash (PHC string) stored for a password."""
    return pwhash.argon2id.str(
        password.encode(),
        opslimit=pwhash.argon2id.OPSLIMIT_INTERACTIVE,
        memlimit=pwhash.argon2id.MEMLIMIT_INTERACTIVE,
    ).decode()


def add_user(
    state: GatewayState, name: str, role: str, password: str, now: datetime
) -> StaffRecord:
    """Create an account. Raises :class:`ClientRegistryError` for a bad name or role, a
    short password, or a taken name."""
    if not name or len(name) > 64 or not all(c.isalnum() or c in "._-" for c in name):
        raise ClientRegistryError(f"user name {name!r}: use 1-64 letters, digits, '.', '_' or '-'")
    if role not in ROLES:
        raise ClientRegistryError(f"--role {role!r}: choose one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise ClientRegistryError(f"the password must have at least {MIN_PASSWORD} characters")
    record = StaffRecord(name, role, hash_password(password), now)
    state.add_staff(record)
    return record


def authenticate(state: GatewayState, name: str, password: str) -> StaffRecord | None:
    """The account when ``password`` is its password, else None. An unknown name costs
    the same hash as a wrong password, so timing does not tell which part was wrong."""
    found = state.staff(name) if name else []
    stored = found[0].password_hash if found else _DUMMY_HASH
    try:
        ok = pwhash.verify(stored.encode(), password.encode())
    except InvalidkeyError:
        ok = False
    return found[0] if ok and found else None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Session:
    """A live session: ``token`` goes in the cookie, ``record`` is what is stored."""

    token: str
    record: SessionRecord


def open_session(state: GatewayState, name: str | None, now: datetime) -> Session:
    """A new session for ``name`` (None: the login form's), with a fresh CSRF token."""
    token = secrets.token_urlsafe(32)
    seconds = SESSION_SECONDS if name is not None else LOGIN_FORM_SECONDS
    record = SessionRecord(
        _digest(token), name, secrets.token_urlsafe(32), now, now + timedelta(seconds=seconds)
    )
    state.put_session(record)
    return Session(token, record)


def current_session(state: GatewayState, token: str | None, now: datetime) -> SessionRecord | None:
    """The stored session of cookie value ``token``, or None when there is none, it
    expired, or its account was removed."""
    if not token:
        return None
    record = state.session(_digest(token))
    if record is None:
        return None
    if now >= record.expires_at:
        state.end_session(record.token_hash)
        return None
    if record.name is not None and not state.staff(record.name):
        return None
    return record


def end_session(state: GatewayState, token: str) -> None:
    """Log out: forget the session of cookie value ``token``."""
    state.end_session(_digest(token))


def csrf_ok(record: SessionRecord, submitted: str | None) -> bool:
    """Whether a form's CSRF field is this session's token (constant time)."""
    return bool(submitted) and hmac.compare_digest(record.csrf.encode(), (submitted or "").encode())
