"""The one canonicalizer: RFC 8785 bytes, floats refused, domain tags."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest

from sdk import canonical_json, tagged_digest
from sdk.errors import CanonicalizationError


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
