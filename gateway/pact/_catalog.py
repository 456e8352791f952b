"""What the gateway serves, as values: one :class:`Entry` per footprint (the PACT v3.0
document with its Tanji extension, pre-encoded, and who may see it), the
:class:`Query` a ``ListFootprints`` call or a ``RequestCreated`` event asks for, and the
:class:`Catalog` that answers both. Pure: no I/O; :mod:`gateway.pact._source` builds
entries from the wallet, the bench from generated footprints.

Filtering follows the v3.0 OpenAPI (``/3/footprints`` parameters): within one criterion
values are ORed, criteria are ANDed, every match is case-insensitive; the validity period
is ``validityPeriodStart``/``End`` or, when undefined, ``referencePeriodEnd`` plus three
years (§ Validity Period).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from gateway.pact.errors import PactRequestError
from sdk.footprint import ProductFootprint, from_pact, to_pact

#: ``urn:pact:null`` names no product; a request for it alone is rejected at once.
NULL_PRODUCT = "urn:pact:null"


def parse_time(text: str, name: str) -> datetime:
    """An RFC 3339 date-time with an offset (``Z`` or ``±hh:mm``); 400 BadRequest naming
    ``name`` otherwise."""
    try:
        when = datetime.fromisoformat(text.replace("z", "Z").replace("Z", "+00:00"))
    except ValueError:
        when = None
    if when is None or when.tzinfo is None or "T" not in text.upper():
        raise PactRequestError(
            400,
            "BadRequest",
            f"{name} must be an RFC 3339 date-time with a time zone, "
            f"e.g. 2025-01-01T00:00:00Z; got {text!r}",
        )
    return when


def _plus_three_years(when: datetime) -> datetime:
    try:
        return when.replace(year=when.year + 3)
    except ValueError:  # 29 February
        return when.replace(year=when.year + 3, day=28)


def _lower(values: Iterable[Any]) -> frozenset[str]:
    return frozenset(v.lower() for v in values if isinstance(v, str))


@dataclass(frozen=True)
class Query:
    """The filter criteria of ``ListFootprints`` / ``RequestCreated`` (values lower-cased)."""

    product_ids: frozenset[str] = frozenset()
    company_ids: frozenset[str] = frozenset()
    geographies: frozenset[str] = frozenset()
    classifications: frozenset[str] = frozenset()
    valid_on: datetime | None = None
    valid_after: datetime | None = None
    valid_before: datetime | None = None
    status: str | None = None

    @property
    def empty(self) -> bool:
        """Whether the query filters nothing."""
        return self == _EMPTY

    @classmethod
    def from_criteria(cls, criteria: Mapping[str, Any]) -> Query:
        """From the v3 criteria (query parameters as lists, or a ``RequestCreated`` event's
        ``data``): ``productId``, ``companyId``, ``geography``, ``classification`` (string
        or list of strings), ``validOn``/``validAfter``/``validBefore`` (date-times),
        ``status``. Raises 400 BadRequest naming the criterion that is malformed."""

        def strings(name: str) -> frozenset[str]:
            value = criteria.get(name)
            if value is None:
                return frozenset()
            items = [value] if isinstance(value, str) else value
            if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
                raise PactRequestError(
                    400, "BadRequest", f"{name} must be a string or a list of strings"
                )
            return _lower(items)

        def when(name: str) -> datetime | None:
            value = criteria.get(name)
            if value is None:
                return None
            if isinstance(value, list) and len(value) == 1:
                value = value[0]
            if not isinstance(value, str):
                raise PactRequestError(400, "BadRequest", f"{name} must be one date-time")
            return parse_time(value, name)

        status = criteria.get("status")
        if isinstance(status, list) and len(status) == 1:
            status = status[0]
        if status is not None and not isinstance(status, str):
            raise PactRequestError(400, "BadRequest", "status must be Active or Deprecated")
        return cls(
            product_ids=strings("productId"),
            company_ids=strings("companyId"),
            geographies=strings("geography"),
            classifications=strings("classification"),
            valid_on=when("validOn"),
            valid_after=when("validAfter"),
            valid_before=when("validBefore"),
            status=None if status is None else status.lower(),
        )


_EMPTY = Query()


class Entry:
    """One footprint as served: its v3.0 document (Tanji extension included) and its
    encoding, the organisations that may see it, and the fields filters look at. The
    v2.3 form is made on first use (``None`` when v2.3 cannot express the footprint)."""

    __slots__ = (
        "_lock",
        "_v2",
        "attestation_id",
        "audience",
        "body",
        "classifications",
        "company_ids",
        "created",
        "doc",
        "geographies",
        "id",
        "key",
        "product_ids",
        "status",
        "valid_end",
        "valid_start",
    )

    def __init__(
        self, doc: dict[str, Any], audience: Iterable[str], attestation_id: str | None = None
    ) -> None:
        self.id: str = doc["id"]
        self.key = self.id.lower()
        self.doc = doc
        self.body = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()
        self.audience = frozenset(audience)
        self.attestation_id = attestation_id
        self.status: str = doc["status"]
        self.created = parse_time(doc["created"], "created")
        pcf = doc["pcf"]
        self.product_ids = _lower(doc.get("productIds", ()))
        self.company_ids = _lower(doc.get("companyIds", ()))
        self.classifications = _lower(doc.get("productClassifications") or ())
        self.geographies = _lower(
            pcf.get(k)
            for k in (
                "geographyRegionOrSubregion",
                "geographyCountry",
                "geographyCountrySubdivision",
            )
        )
        ref_end = parse_time(pcf["referencePeriodEnd"], "referencePeriodEnd")
        start, end = doc.get("validityPeriodStart"), doc.get("validityPeriodEnd")
        self.valid_start = ref_end if start is None else parse_time(start, "validityPeriodStart")
        self.valid_end = (
            _plus_three_years(ref_end) if end is None else parse_time(end, "validityPeriodEnd")
        )
        self._v2: tuple[bytes | None, dict[str, Any] | None] | None = None
        self._lock = threading.Lock()

    def matches(self, q: Query) -> bool:
        """Whether this footprint meets every criterion of ``q``."""
        if q.product_ids and not q.product_ids & self.product_ids:
            return False
        if q.company_ids and not q.company_ids & self.company_ids:
            return False
        if q.geographies and not q.geographies & self.geographies:
            return False
        if q.classifications and not q.classifications & self.classifications:
            return False
        if q.valid_on is not None and not self.valid_start <= q.valid_on <= self.valid_end:
            return False
        if q.valid_after is not None and not self.valid_start > q.valid_after:
            return False
        if q.valid_before is not None and not self.valid_end < q.valid_before:
            return False
        return q.status is None or q.status == self.status.lower()

    def footprint(self) -> ProductFootprint:
        """The document as a model (read leniently: it may be a partner's, served as is)."""
        return from_pact(self.doc, strict=False)

    def v2(self) -> tuple[bytes | None, dict[str, Any] | None]:
        """The v2.3 document and its encoding, or ``(None, None)`` when v2.3 cannot
        express this footprint (e.g. the declared unit ``piece``)."""
        with self._lock:
            if self._v2 is None:
                try:
                    doc = to_pact(self.footprint(), "2.3", strict=False)
                except Exception:  # FootprintError: v2.3 cannot express it
                    self._v2 = (None, None)
                else:
                    body = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()
                    self._v2 = (body, doc)
            return self._v2


@dataclass
class Catalog:
    """Every footprint the gateway serves, oldest first, with an index per organisation.
    Immutable once built: a refresh builds a new one."""

    entries: Sequence[Entry] = ()
    _by_key: dict[str, Entry] = field(default_factory=dict, repr=False)
    _by_org: dict[str, list[Entry]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for e in self.entries:
            self._by_key[e.key] = e
            for org in e.audience:
                self._by_org.setdefault(org, []).append(e)

    def get(self, org: str, footprint_id: str) -> Entry | None:
        """The footprint ``footprint_id`` if ``org`` may see it (unknown and not shared are
        the same answer: a recipient learns nothing about footprints it cannot see)."""
        e = self._by_key.get(footprint_id.lower())
        return e if e is not None and org in e.audience else None

    def visible(self, org: str) -> Sequence[Entry]:
        """Every footprint ``org`` may see, oldest first."""
        return self._by_org.get(org, ())

    def page(
        self,
        org: str,
        query: Query,
        offset: int,
        limit: int,
        accept: Callable[[Entry], bool] | None = None,
    ) -> tuple[list[Entry], bool]:
        """``limit`` footprints ``org`` may see that match ``query`` (and ``accept``),
        skipping the first ``offset``; and whether more follow."""
        pool = self.visible(org)
        if query.empty and accept is None:
            return list(pool[offset : offset + limit]), len(pool) > offset + limit
        found: list[Entry] = []
        skipped = 0
        for e in pool:
            if not e.matches(query) or (accept is not None and not accept(e)):
                continue
            if skipped < offset:
                skipped += 1
                continue
            if len(found) == limit:
                return found, True
            found.append(e)
        return found, False

    def search(self, query: Query, audience: str | None = None) -> list[Entry]:
        """Every footprint matching ``query`` (only those ``audience`` may see, if given),
        newest first."""
        pool = self.entries if audience is None else self.visible(audience)
        return [e for e in reversed(pool) if e.matches(query)]


def list_body(entries: Iterable[Entry], v2: bool = False) -> bytes:
    """``{"data": [...]}`` from the pre-encoded documents."""
    parts = [(e.v2()[0] if v2 else e.body) for e in entries]
    return b'{"data":[' + b",".join(p for p in parts if p is not None) + b"]}"
