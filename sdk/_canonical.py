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

import binascii
import hashlib
import json
from collections.abc import Iterable, Sequence
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


_INT_LIMIT = 2**53

# RFC 8785 fast path. For the values the protocol hashes, the standard library's C
# encoder already writes the JCS bytes: with ensure_ascii=False it escapes exactly the
# quote, the backslash and U+0000-U+001F (as \b \t \n \f \r, the rest as lowercase
# \u00xx, like ECMAScript's JSON.stringify), leaves U+007F, U+2028 and non-BMP
# characters as they are, and writes integers below 2**53 in the shortest decimal form.
# The one difference is key order: JCS sorts keys by UTF-16 code units, sort_keys by
# code points; the two agree when every key is ASCII, which `_plain` requires. A lone
# surrogate passes the encoder but fails the UTF-8 encoding, and the precise path then
# refuses it. A property test compares the bytes with rfc8785.dumps.
_ENCODER = json.JSONEncoder(
    ensure_ascii=False,
    check_circular=False,  # `_plain` bounds the depth first
    allow_nan=False,
    sort_keys=True,
    separators=(",", ":"),
)
try:
    # The C encoder that _ENCODER.encode builds on every call, built once: it saves a
    # microsecond per value, and a verification canonicalises seven values.
    from _json import encode_basestring as _c_escape
    from _json import make_encoder as _make_c_encoder

    _encode_c = _make_c_encoder(
        None, _ENCODER.default, _c_escape, None, ":", ",", True, False, False
    )

    def _encode(value: object) -> str:
        return "".join(_encode_c(value, 0))

except ImportError:  # an interpreter without the C accelerator

    def _encode(value: object) -> str:
        return _ENCODER.encode(value)


def _plain(value: object, depth: int) -> bool:
    """True if ``value`` takes the fast path: exact JSON types, no floats, integers in
    (-2**53, 2**53), ASCII object keys, nested at most ``_MAX_DEPTH`` levels.

    One pass with the scalar checks inlined, since most protocol values are flat.
    False sends the value to the precise path (`_check`, then rfc8785), which either
    explains the refusal or canonicalises what the fast path does not cover.
    """
    kind = type(value)
    items: Iterable[object]
    if kind is dict:
        items = value.values()  # type: ignore[attr-defined]
        for key in value:  # type: ignore[attr-defined]
            if type(key) is not str or not key.isascii():
                return False
    elif kind is list or kind is tuple:
        items = value  # type: ignore[assignment]
    elif kind is str or kind is bool or value is None:
        return True
    elif kind is int:
        return -_INT_LIMIT < value < _INT_LIMIT  # type: ignore[operator]
    else:
        return False
    if depth >= _MAX_DEPTH:
        return False
    for item in items:
        kind = type(item)
        if kind is str or kind is bool or item is None:
            continue
        if kind is int:
            if not -_INT_LIMIT < item < _INT_LIMIT:  # type: ignore[operator]
                return False
        elif not _plain(item, depth + 1):
            return False
    return True


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
    if _plain(value, 0):
        try:
            return _encode(value).encode("utf-8")
        except UnicodeEncodeError:
            pass  # a lone surrogate: rfc8785 below refuses it with its own message
    else:
        _check(value, "", 0)
    return _canonical_rfc8785(value)


def _canonical_rfc8785(value: object) -> bytes:
    # The precise path: any key order rfc8785 handles (non-ASCII keys sort by UTF-16).
    try:
        return bytes(rfc8785.dumps(value))  # type: ignore[arg-type]
    except rfc8785.CanonicalizationError as exc:
        raise CanonicalizationError(str(exc)) from exc
    except UnicodeEncodeError as exc:  # rfc8785 sorts keys by their UTF-16 encoding
        raise CanonicalizationError(
            "input contains non-UTF-8 codepoints: a lone surrogate in an object key"
        ) from exc


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
    return binascii.b2a_base64(data, newline=False).decode("ascii")


def b64decode(text: object, what: str, *, size: int | None = None) -> bytes:
    """Decode canonical standard base64 (padding required, no whitespace).

    Raises :class:`ValueError` naming ``what`` when the text is not a string, not
    canonical base64, or (with ``size``) does not decode to exactly ``size`` bytes.
    """
    if not isinstance(text, str):
        raise ValueError(f"{what} must be a base64 string, got {type(text).__name__}")
    try:
        # as base64.b64decode(validate=True); a non-ASCII string raises ValueError too
        data = binascii.a2b_base64(text, strict_mode=True)
    except ValueError as exc:  # binascii.Error is a ValueError
        raise ValueError(f"{what} is not valid base64") from exc
    if binascii.b2a_base64(data, newline=False).decode("ascii") != text:
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
    if obj.keys() == set(required):  # the usual case, without building the messages
        return obj
    keys = set(obj)
    missing = [k for k in required if k not in keys]
    if missing:
        raise ValueError(f"{what}: missing {', '.join(missing)}")
    extra = sorted(keys - set(required))
    if extra:
        raise ValueError(f"{what}: unknown field(s) {', '.join(extra)}")
    return obj
