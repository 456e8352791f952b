"""The one canonicalizer: RFC 8785 (JCS) bytes for everything hashed or signed.

Every byte string that is hashed or signed in the protocol comes from
:func:`canonical_json`, prefixed (or tagged inside, for claim leaves) with a
domain-separation tag from this module, so that no byte string is valid in two roles:

===========================  ====================================================
role                          bytes
===========================  ====================================================
claim leaf                    ``JCS(["tanji.claim.v1", pointer, value, salt_b64])``
statement signature input     ``b"tanji.statement.v1\\0" + JCS(statement)``
log leaf (signed statement)   ``JCS({"signature": …, "statement": …})``
envelope AAD                  ``b"tanji.envelope.v1\\0" + JCS({issuer, subjectDigest})``
grant plaintext (sealed)      ``b"tanji.grant.v1\\0" + attestation id + data key``
key id                        ``SHA-256(b"tanji.keyid.v1\\0" + type + b"\\0" + pubkey)[:16]``
inventory digest              ``SHA-256(b"tanji.inventory.v1\\0" + JCS(inventory))``
disclosure digest             ``SHA-256(b"tanji.disclosure.v1\\0" + JCS(disclosure))``
===========================  ====================================================

Decimal quantities travel as JSON strings; floats are refused outright, because their
text form is not what a PCF document means by a number.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Sequence
from typing import Any, TypeAlias

import rfc8785

from sdk.errors import CanonicalizationError

JsonValue: TypeAlias = bool | int | str | list["JsonValue"] | dict[str, "JsonValue"] | None
"""A JSON value as the protocol allows it: no floats."""

CLAIM_TAG = "tanji.claim.v1"
STATEMENT_TAG = "tanji.statement.v1"
ENVELOPE_TAG = "tanji.envelope.v1"
GRANT_TAG = "tanji.grant.v1"
KEYID_TAG = "tanji.keyid.v1"
INVENTORY_TAG = "tanji.inventory.v1"
DISCLOSURE_TAG = "tanji.disclosure.v1"

_MAX_DEPTH = 64


_SCALARS = (str, bool, type(None))
_INT_LIMIT = 2**53


def _ok(value: object, depth: int) -> bool:
    # Fast acceptance test (exact types, no pointer strings); `_check` explains a refusal.
    kind = type(value)
    if kind in _SCALARS:
        return True
    if kind is int:
        return -_INT_LIMIT < value < _INT_LIMIT  # type: ignore[operator]
    if depth >= _MAX_DEPTH:
        return False
    if kind is dict:
        return all(
            type(k) is str and _ok(v, depth + 1)
            for k, v in value.items()  # type: ignore[attr-defined]
        )
    if kind is list or kind is tuple:
        return all(_ok(v, depth + 1) for v in value)  # type: ignore[attr-defined]
    return False


def _check(value: object, pointer: str, depth: int) -> None:
    """Refuse anything RFC 8785 would encode ambiguously for us (floats, odd types)."""
    if depth > _MAX_DEPTH:
        raise CanonicalizationError(f"{pointer or '/'}: nested deeper than {_MAX_DEPTH} levels")
    if value is None or isinstance(value, (bool, str)):
        return
    if isinstance(value, int):
        if not -(2**53) < value < 2**53:
            raise CanonicalizationError(
                f"{pointer or '/'}: integer {value} is outside the exact JSON range; "
                "use a decimal string"
            )
        return
    if isinstance(value, float):
        raise CanonicalizationError(
            f"{pointer or '/'}: float {value!r} refused; decimal quantities are strings"
        )
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise CanonicalizationError(f"{pointer or '/'}: object key {key!r} is not a string")
            _check(item, f"{pointer}/{escape_token(key)}", depth + 1)
        return
    if isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            _check(item, f"{pointer}/{i}", depth + 1)
        return
    raise CanonicalizationError(
        f"{pointer or '/'}: {type(value).__name__} is not a JSON value"
        + (" (use a decimal string)" if type(value).__name__ == "Decimal" else "")
    )


def escape_token(token: str) -> str:
    """Escape one JSON Pointer reference token (RFC 6901 §3: ``~`` → ``~0``, ``/`` → ``~1``)."""
    return token.replace("~", "~0").replace("/", "~1")


def canonical_json(value: object) -> bytes:
    """Return the RFC 8785 canonical UTF-8 bytes of a JSON value.

    Guarantees: equal JSON values give equal bytes, whatever the key order of the input.
    Raises :class:`~sdk.errors.CanonicalizationError` naming the JSON Pointer of the first
    offending value for floats, integers beyond ±2**53, non-string keys, non-JSON types
    and strings that are not valid Unicode (lone surrogates).
    """
    if not _ok(value, 0):
        _check(value, "", 0)
    try:
        return bytes(rfc8785.dumps(value))  # type: ignore[arg-type]
    except rfc8785.CanonicalizationError as exc:
        raise CanonicalizationError(str(exc)) from exc


def tagged_digest(tag: str, value: object) -> bytes:
    """SHA-256 of ``tag + b"\\0" + canonical_json(value)``: a digest that is valid in one role only.

    Raises :class:`~sdk.errors.CanonicalizationError` like :func:`canonical_json`.
    """
    return hashlib.sha256(tag.encode("ascii") + b"\0" + canonical_json(value)).digest()


def loads_strict(data: bytes | str, what: str) -> Any:
    """Parse JSON text refusing duplicate object keys, floats, NaN and infinities.

    Raises :class:`ValueError` with a message starting with ``what``; callers wrap it in
    the error of their verification step.
    """

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in items:
            if key in out:
                raise ValueError(f"{what}: duplicate object key {key!r}")
            out[key] = value
        return out

    def no_float(text: str) -> Any:
        raise ValueError(f"{what}: float {text} refused; decimal quantities are strings")

    def no_constant(text: str) -> Any:
        raise ValueError(f"{what}: {text} is not JSON")

    try:
        return json.loads(
            data,
            object_pairs_hook=pairs,
            parse_float=no_float,
            parse_constant=no_constant,
        )
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{what}: not valid JSON: {exc}") from exc


def b64encode(data: bytes) -> str:
    """Standard base64 with padding, the protocol's only binary-to-text encoding."""
    return base64.b64encode(data).decode("ascii")


def b64decode(text: object, what: str, *, size: int | None = None) -> bytes:
    """Decode canonical standard base64 (padding required, no whitespace).

    Raises :class:`ValueError` naming ``what`` when the text is not a string, not
    canonical base64, or (with ``size``) does not decode to exactly ``size`` bytes.
    """
    if not isinstance(text, str):
        raise ValueError(f"{what} must be a base64 string, got {type(text).__name__}")
    try:
        data = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise ValueError(f"{what} is not valid base64") from exc
    if base64.b64encode(data).decode("ascii") != text:
        raise ValueError(f"{what} is not canonical base64")
    if size is not None and len(data) != size:
        raise ValueError(f"{what} must be {size} bytes, got {len(data)}")
    return data


def hex_decode(text: object, what: str, *, size: int) -> bytes:
    """Decode lowercase hex of exactly ``size`` bytes; raise :class:`ValueError` naming ``what``."""
    if not isinstance(text, str):
        raise ValueError(f"{what} must be a hex string, got {type(text).__name__}")
    if len(text) != 2 * size or text != text.lower():
        raise ValueError(f"{what} must be {2 * size} lowercase hex characters")
    try:
        return bytes.fromhex(text)
    except ValueError as exc:
        raise ValueError(f"{what} is not hex") from exc


def require_keys(obj: object, what: str, required: Sequence[str]) -> dict[str, Any]:
    """Check ``obj`` is an object with exactly the ``required`` keys; raise ValueError otherwise."""
    if not isinstance(obj, dict):
        raise ValueError(f"{what} must be a JSON object, got {type(obj).__name__}")
    keys = set(obj)
    missing = [k for k in required if k not in keys]
    if missing:
        raise ValueError(f"{what}: missing {', '.join(missing)}")
    extra = sorted(keys - set(required))
    if extra:
        raise ValueError(f"{what}: unknown field(s) {', '.join(extra)}")
    return obj
