"""PACT v2.3 ``$filter`` (the OData subset the v2.3 text allows): ``eq lt le gt ge`` on
``created``, ``updated``, ``productCategoryCpc``, ``pcf/geographyCountry``,
``pcf/referencePeriodStart``, ``pcf/referencePeriodEnd``; ``and``; ``any`` with ``eq``
on ``productIds`` and ``companyIds``. Anything else is 400 NotImplemented (v2.3's code
for functionality a host does not offer)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from gateway.pact._catalog import Entry, parse_time
from gateway.pact.errors import PactRequestError

_COMPARE = re.compile(
    r"^(created|updated|productCategoryCpc|pcf/geographyCountry|pcf/referencePeriodStart|"
    r"pcf/referencePeriodEnd)\s+(eq|lt|le|gt|ge)\s+'((?:[^']|'')*)'$"
)
_ANY = re.compile(
    r"^(productIds|companyIds)/any\(\s*(\w+)\s*:\s*\(?\s*(\w+)\s+eq\s+'((?:[^']|'')*)'\s*\)?\s*\)$"
)
_TIMES = {"created", "updated", "pcf/referencePeriodStart", "pcf/referencePeriodEnd"}
_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda a, b: a == b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
}


def _split_and(text: str) -> list[str]:
    parts, depth, quoted, start = [], 0, False, 0
    low = text.lower()
    i = 0
    while i < len(text):
        c = text[i]
        if c == "'":
            quoted = not quoted
        elif not quoted and c == "(":
            depth += 1
        elif not quoted and c == ")":
            depth -= 1
        elif not quoted and depth == 0 and low.startswith(" and ", i):
            parts.append(text[start:i])
            start = i + 5
            i += 5
            continue
        i += 1
    parts.append(text[start:])
    return [p.strip() for p in parts]


def _unwrap(term: str) -> str:
    while term.startswith("(") and term.endswith(")") and _balanced(term[1:-1]):
        term = term[1:-1].strip()
    return term


def _balanced(text: str) -> bool:
    depth = 0
    for c in text:
        depth += c == "("
        depth -= c == ")"
        if depth < 0:
            return False
    return depth == 0


def _value(doc: dict[str, Any], path: str) -> Any:
    node: Any = doc
    for part in path.split("/"):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def compile_filter(text: str) -> Callable[[Entry], bool]:
    """A predicate over entries (their v2.3 documents) for a ``$filter`` expression."""
    tests: list[Callable[[dict[str, Any]], bool]] = []
    for raw in _split_and(text.strip()):
        term = _unwrap(raw)
        m = _COMPARE.match(term)
        if m:
            prop, op, literal = m.group(1), m.group(2), m.group(3).replace("''", "'")
            tests.append(_compare(prop, op, literal))
            continue
        m = _ANY.match(term)
        if m and m.group(2) == m.group(3):
            prop, literal = m.group(1), m.group(4).replace("''", "'").lower()
            tests.append(_any_eq(prop, literal))
            continue
        raise PactRequestError(
            400,
            "NotImplemented",
            f"$filter term {raw!r} is not supported (eq/lt/le/gt/ge on created, updated, "
            "productCategoryCpc, pcf/geographyCountry, pcf/referencePeriodStart|End; "
            "productIds/any(p:(p eq '…')), companyIds/any(…); joined with and)",
        )

    def accept(entry: Entry) -> bool:
        doc = entry.v2()[1]
        return doc is not None and all(t(doc) for t in tests)

    return accept


def _any_eq(prop: str, literal: str) -> Callable[[dict[str, Any]], bool]:
    def test(doc: dict[str, Any]) -> bool:
        return any(isinstance(x, str) and x.lower() == literal for x in doc.get(prop) or ())

    return test


def _compare(prop: str, op: str, literal: str) -> Callable[[dict[str, Any]], bool]:
    fn = _OPS[op]
    if prop in _TIMES:
        bound: datetime = parse_time(literal, "$filter " + prop)

        def test_time(doc: dict[str, Any]) -> bool:
            value = _value(doc, prop)
            return isinstance(value, str) and fn(parse_time(value, prop), bound)

        return test_time

    def test_text(doc: dict[str, Any]) -> bool:
        value = _value(doc, prop)
        return isinstance(value, str) and fn(value, literal)

    return test_text
