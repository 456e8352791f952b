"""JSON Schema validation of footprints against the official PACT OpenAPI schemas.

The vendored OpenAPI files (tests/vectors/pact/spec, both ``openapi: 3.1.0``, so their
schemas are JSON Schema draft 2020-12: no ``nullable``, ``examples`` arrays) are loaded
whole, and ``#/components/schemas/ProductFootprint`` is validated with its ``$ref``s
resolved inside the document. ``format`` is asserted with checkers written here, not
taken from the code under test: ``uuid``, ``date-time`` (RFC 3339), ``uri`` (RFC 3986
absolute), ``urn`` (RFC 8141 shape) and ``decimal`` (PACT's decimal string).
"""

from __future__ import annotations

import functools
import json
import re
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from sdk.footprint import tanji_extension_schema

PACT = Path(__file__).resolve().parents[2] / "vectors" / "pact"
SPEC = PACT / "spec"
EXAMPLES = PACT / "examples"

_FORMATS = FormatChecker(formats=())


@_FORMATS.checks("uuid")
def _uuid(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return bool(re.fullmatch(r"[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}", value))


@_FORMATS.checks("date-time")
def _date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not re.fullmatch(
        r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})", value
    ):
        return False
    try:
        datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


@_FORMATS.checks("uri")
def _uri(value: object) -> bool:
    return not isinstance(value, str) or bool(
        re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s]+", value)
    )


@_FORMATS.checks("urn")
def _urn(value: object) -> bool:
    return not isinstance(value, str) or bool(
        re.fullmatch(r"[uU][rR][nN]:[A-Za-z0-9][A-Za-z0-9-]{0,30}[A-Za-z0-9]?:\S+", value)
    )


@_FORMATS.checks("decimal")
def _decimal(value: object) -> bool:
    return not isinstance(value, str) or bool(re.fullmatch(r"[+-]?\d+(\.\d+)?", value))


@functools.cache
def openapi(major: int) -> dict[str, Any]:
    """The vendored OpenAPI document of PACT major ``major`` (2 or 3)."""
    doc: dict[str, Any] = yaml.safe_load((SPEC / f"v{major}-openapi.yaml").read_text("utf-8"))
    return doc


@functools.cache
def validator(major: int, schema: str = "ProductFootprint") -> Draft202012Validator:
    """A validator for ``#/components/schemas/<schema>`` of the v``major`` OpenAPI."""
    doc = openapi(major)
    assert doc["openapi"].startswith("3.1"), "OpenAPI 3.1: JSON Schema 2020-12 dialect"
    uri = f"urn:tanji:test:pact-v{major}-openapi"
    registry: Registry[Any] = Registry().with_resource(uri, DRAFT202012.create_resource(doc))
    return Draft202012Validator(
        {"$ref": f"{uri}#/components/schemas/{schema}"},
        registry=registry,
        format_checker=_FORMATS,
    )


def schema_errors(doc: Any, major: int) -> list[str]:
    """Every way ``doc`` breaks the v``major`` ProductFootprint schema, as
    ``"<pointer>: <message>"``; empty when valid."""
    return sorted(
        "/" + "/".join(str(p) for p in e.absolute_path) + ": " + e.message
        for e in validator(major).iter_errors(json.loads(json.dumps(doc)))
    )


def tanji_data_errors(data: Any) -> list[str]:
    """Every way ``data`` breaks the shipped Tanji extension JSON Schema."""
    checker = Draft202012Validator(tanji_extension_schema(), format_checker=_FORMATS)
    return sorted(
        "/" + "/".join(str(p) for p in e.absolute_path) + ": " + e.message
        for e in checker.iter_errors(data)
    )


def footprints_in(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Every footprint a PACT example holds: a single footprint, the ``data`` of a get
    response, each element of a list response, each ``pfs`` entry of an event."""
    if "pcf" in doc:
        return [doc]
    data = doc.get("data")
    if isinstance(data, list):
        return data
    if isinstance(data, dict) and "pcf" in data:
        return [data]
    if isinstance(data, dict) and isinstance(data.get("pfs"), list):
        return list(data["pfs"])
    return []


def example_footprints() -> list[tuple[str, dict[str, Any]]]:
    """(``<file>#<index>``, footprint) for every footprint in the vendored examples."""
    found = []
    for path in sorted(EXAMPLES.glob("*.json")):
        doc = json.loads(path.read_text("utf-8"))
        for i, fp in enumerate(footprints_in(doc)):
            found.append((f"{path.name}#{i}", fp))
    return found
