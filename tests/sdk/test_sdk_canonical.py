"""The one canonicalizer: RFC 8785 bytes, floats refused, domain tags."""

from __future__ import annotations

import enum
import hashlib
import json
from decimal import Decimal

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from sdk import canonical_json
from sdk._canonical import _ENCODER, _encode, _plain
from sdk.errors import CanonicalizationError
from sdk.hazmat import tagged_digest


def test_rfc8785_key_order_and_escaping() -> None:
    # RFC 8785 §3.2.3 example: keys sorted by UTF-16 code units, so the emoji (surrogate
    # pair D83D DE00) sorts before U+FB33 although its code point is larger.
    value = {
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew",
        "1": "One",
        "\U0001f600": "Emoji",
        "\u0080": "Control",
        "\u00f6": "Latin",
    }
    out = canonical_json(value).decode("utf-8")
    order = ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001f600", "\ufb33"]
    positions = [out.index(f'"{k}"' if k != "\r" else '"\\r"') for k in order]
    assert positions == sorted(positions)
    assert canonical_json({"b": [1, None, True], "a": 'x\u2028"\\\n'}) == (
        b'{"a":"x\xe2\x80\xa8\\"\\\\\\n","b":[1,null,true]}'
    )


@pytest.mark.parametrize(
    ("value", "where"),
    [
        (1.5, "/"),
        ({"pcf": {"value": 0.1}}, "/pcf/value"),
        ({"a/b": [0, 2.0]}, "/a~1b/1"),
        ({"x": Decimal("1.2")}, "/x"),
        ({"x": 2**53}, "/x"),
        ({1: "a"}, "/"),
        ({"x": {1, 2}}, "/x"),
    ],
)
def test_refuses_non_protocol_json_naming_the_pointer(value: object, where: str) -> None:
    with pytest.raises(CanonicalizationError) as err:
        canonical_json(value)
    assert str(err.value).startswith(where)


def test_lone_surrogate_refused() -> None:
    with pytest.raises(CanonicalizationError):
        canonical_json({"x": "\ud800"})


def test_tagged_digest_is_domain_separated() -> None:
    value = {"a": "1"}
    assert (
        tagged_digest("tanji.x.v1", value)
        == hashlib.sha256(b"tanji.x.v1\0" + canonical_json(value)).digest()
    )
    assert tagged_digest("tanji.x.v1", value) != tagged_digest("tanji.y.v1", value)


# --- the fast path (stdlib C encoder) against rfc8785 --------------------------------

_SAFE = 2**53 - 1
# Strings with every class of character the two encoders could treat differently:
# C0 controls, quote and backslash, U+007F, U+2028/2029, BMP and non-BMP (a UTF-16
# surrogate pair) characters; lone surrogates are covered separately below.
_TRICKY = (
    '\x00\x08\t\n\x0b\x0c\r\x1f "\\/\x7f\x80\u2028\u2029\ufb33\ufeff\uffff\U0001f600\U0010ffff'
)
_CHARS = st.characters(codec="utf-8") | st.sampled_from(_TRICKY)  # utf-8: no lone surrogates
_TEXT = st.text(_CHARS, max_size=12)
_ASCII_KEYS = st.text(st.characters(max_codepoint=0x7F), max_size=8)
_INTS = st.integers(-_SAFE, _SAFE) | st.sampled_from([0, -1, 2**31, -(2**31), _SAFE, -_SAFE])
_SCALARS = st.none() | st.booleans() | _INTS | _TEXT


def _json(keys: st.SearchStrategy[str]) -> st.SearchStrategy[object]:
    return st.recursive(
        _SCALARS,
        lambda inner: (
            st.lists(inner, max_size=5)
            | st.tuples(inner, inner)
            | st.dictionaries(keys, inner, max_size=6)
        ),
        max_leaves=25,
    )


@settings(max_examples=400, deadline=None)
@given(_json(_ASCII_KEYS))
def test_fast_path_is_byte_identical_to_rfc8785(value: object) -> None:
    assert _plain(value, 0)  # ASCII keys, no floats: the fast path is taken
    want = rfc8785.dumps(value)  # type: ignore[arg-type]
    assert _encode(value).encode("utf-8") == want
    assert _ENCODER.encode(value).encode("utf-8") == want  # the no-accelerator fallback
    assert canonical_json(value) == want


@settings(max_examples=300, deadline=None)
@given(_json(_TEXT))
def test_any_keys_match_rfc8785(value: object) -> None:
    assert canonical_json(value) == rfc8785.dumps(value)  # type: ignore[arg-type]


def test_non_ascii_keys_take_the_rfc8785_path() -> None:
    # U+1F600 is a surrogate pair (D83D DE00) in UTF-16, so JCS sorts it before U+FB33,
    # while code point order (json's sort_keys) puts it after: only rfc8785 is right.
    value = {"\ufb33": 1, "\U0001f600": 2}
    assert not _plain(value, 0)
    assert not _plain([{"\u00e9": 1}], 0)
    assert canonical_json(value) == rfc8785.dumps(value)
    assert canonical_json(value) == '{"\U0001f600":2,"\ufb33":1}'.encode()
    assert canonical_json(value) != json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")


def test_escapes_of_the_fast_path() -> None:
    controls = "".join(chr(i) for i in range(0x20))
    got = canonical_json([controls, "\x7f\u2028\U0001f600", '"\\/'])
    assert got == (
        b'["\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r'
        b"\\u000e\\u000f\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017"
        b'\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f",'
        b'"\x7f\xe2\x80\xa8\xf0\x9f\x98\x80","\\"\\\\/"]'
    )


@pytest.mark.parametrize(
    "value",
    [
        {"x": "\ud800"},  # lone surrogate in a value: ASCII keys, fast path, then refused
        ["ok", "\udfff"],
        {"\ud83d": 1},  # lone surrogate in a key: precise path
    ],
)
def test_lone_surrogates_refused_on_both_paths(value: object) -> None:
    with pytest.raises(CanonicalizationError, match="non-UTF-8"):
        canonical_json(value)


@pytest.mark.parametrize(
    ("value", "where"),
    [
        ({"a": [1, {"b": -(2**53)}]}, "/a/1/b"),
        ({"a": [True, 1e3]}, "/a/1"),
        ({"a": float("nan")}, "/a"),
        ({"k": {None: 1}}, "/k"),
        ({"k": {True: 1}}, "/k"),
        ([b"bytes"], "/0"),
    ],
)
def test_fast_path_refusals_still_name_the_pointer(value: object, where: str) -> None:
    assert not _plain(value, 0)
    with pytest.raises(CanonicalizationError) as err:
        canonical_json(value)
    assert str(err.value).startswith(where + ":")


def test_integer_bounds_are_exact() -> None:
    assert canonical_json([_SAFE, -_SAFE]) == b"[9007199254740991,-9007199254740991]"
    for big in (2**53, -(2**53)):
        with pytest.raises(CanonicalizationError, match="outside the exact JSON range"):
            canonical_json({"n": big})


def test_deep_nesting_is_refused() -> None:
    value: object = "leaf"
    for _ in range(70):
        value = [value]
    with pytest.raises(CanonicalizationError, match="nested deeper than 64"):
        canonical_json(value)


class _Grade(enum.IntEnum):
    A = 1


class _Colour(enum.StrEnum):
    RED = "red"


def test_subclasses_take_the_precise_path_with_the_same_bytes() -> None:
    value = {"grade": _Grade.A, "colour": _Colour.RED, "pair": ("a", 1)}
    assert not _plain(value, 0)
    assert canonical_json(value) == b'{"colour":"red","grade":1,"pair":["a",1]}'
