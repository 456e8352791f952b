"""PACT events (CloudEvents 1.0, structured JSON): reading what arrives at ``/3/events``
and ``/2/events``, and making what the gateway sends. Pure.

v3.0 types are ``org.wbcsd.pact.ProductFootprint.<Name>.3``; v2.3 types
``org.wbcsd.pathfinder.ProductFootprintRequest.Created.v1`` (…``Fulfilled``,
``Rejected``) and ``org.wbcsd.pathfinder.ProductFootprint.Published.v1``. Every refusal
is a 400 BadRequest naming the field, raised before anything is stored.
"""

from __future__ import annotations

import ipaddress
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import urlsplit

from gateway.pact._catalog import Query, parse_time
from gateway.pact.errors import PactRequestError
from sdk.errors import FootprintError
from sdk.footprint import CPC_PREFIXES, from_pact

EventKind = Literal["created", "fulfilled", "rejected", "published"]

TYPES: dict[int, dict[EventKind, str]] = {
    3: {
        "created": "org.wbcsd.pact.ProductFootprint.RequestCreatedEvent.3",
        "fulfilled": "org.wbcsd.pact.ProductFootprint.RequestFulfilledEvent.3",
        "rejected": "org.wbcsd.pact.ProductFootprint.RequestRejectedEvent.3",
        "published": "org.wbcsd.pact.ProductFootprint.PublishedEvent.3",
    },
    2: {
        "created": "org.wbcsd.pathfinder.ProductFootprintRequest.Created.v1",
        "fulfilled": "org.wbcsd.pathfinder.ProductFootprintRequest.Fulfilled.v1",
        "rejected": "org.wbcsd.pathfinder.ProductFootprintRequest.Rejected.v1",
        "published": "org.wbcsd.pathfinder.ProductFootprint.Published.v1",
    },
}
_KIND = {(version, t): kind for version, kinds in TYPES.items() for kind, t in kinds.items()}
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def _bad(message: str) -> PactRequestError:
    return PactRequestError(400, "BadRequest", message)


@dataclass(frozen=True)
class Event:
    """An event as received (validated for its type)."""

    version: int
    kind: EventKind
    id: str
    source: str
    time: datetime | None
    data: dict[str, Any]

    @property
    def criteria(self) -> dict[str, Any]:
        """A ``RequestCreated`` event's criteria in v3 form (v2.3's footprint fragment
        mapped: productIds, companyIds, pcf.geographyCountry, productCategoryCpc)."""
        if self.version == 3:
            return {k: v for k, v in self.data.items() if k != "comment"}
        pf = self.data["pf"]
        out: dict[str, Any] = {}
        if pf.get("productIds"):
            out["productId"] = pf["productIds"]
        if pf.get("companyIds"):
            out["companyId"] = pf["companyIds"]
        geo = (pf.get("pcf") or {}).get("geographyCountry")
        if isinstance(geo, str):
            out["geography"] = [geo]
        if isinstance(pf.get("productCategoryCpc"), str):
            out["classification"] = [CPC_PREFIXES[0] + pf["productCategoryCpc"]]
        return out

    @property
    def comment(self) -> str | None:
        """The requester's free-text comment, if any."""
        value = self.data.get("comment")
        return value if isinstance(value, str) else None


def parse_event(body: Any, version: int) -> Event:
    """Validate an event posted to ``/<version>/events``. Raises 400 BadRequest naming
    what is wrong (unknown type, a missing CloudEvents attribute, malformed data)."""
    if not isinstance(body, dict):
        raise _bad("the body must be a CloudEvents JSON object")
    kind = _KIND.get((version, body.get("type")))  # type: ignore[arg-type]
    if kind is None:
        names = ", ".join(TYPES[version].values())
        raise _bad(f"type must be one of {names}; got {body.get('type')!r}")
    if body.get("specversion") != "1.0":
        raise _bad("specversion must be '1.0'")
    for name in ("id", "source"):
        if not isinstance(body.get(name), str) or not body[name]:
            raise _bad(f"{name} must be a non-empty string")
    when = None
    if body.get("time") is not None:
        if not isinstance(body["time"], str):
            raise _bad("time must be an RFC 3339 date-time")
        when = parse_time(body["time"], "time")
    elif version == 3:
        raise _bad("time is required")
    data = body.get("data")
    if not isinstance(data, dict):
        raise _bad("data must be an object")
    event = Event(version, kind, body["id"], body["source"], when, data)
    _check_data(event)
    return event


def _check_data(event: Event) -> None:
    data = event.data
    if event.kind == "created":
        if event.version == 2 and not isinstance(data.get("pf"), dict):
            raise _bad("data.pf must be a ProductFootprint fragment (an object)")
        if data.get("comment") is not None and not isinstance(data["comment"], str):
            raise _bad("data.comment must be a string")
        Query.from_criteria(event.criteria)
    elif event.kind in ("fulfilled", "rejected"):
        if not isinstance(data.get("requestEventId"), str) or not data["requestEventId"]:
            raise _bad("data.requestEventId must be the id of the RequestCreated event")
        if event.kind == "fulfilled":
            pfs = data.get("pfs")
            if not isinstance(pfs, list) or (event.version == 3 and not pfs):
                raise _bad("data.pfs must be a non-empty list of ProductFootprints")
            for i, doc in enumerate(pfs):
                try:
                    from_pact(doc, strict=False)
                except FootprintError as exc:
                    raise _bad(f"data.pfs[{i}]{exc.pointer}: {exc.reason}") from None
        else:
            error = data.get("error")
            if not (
                isinstance(error, dict)
                and isinstance(error.get("code"), str)
                and isinstance(error.get("message"), str)
            ):
                raise _bad("data.error must be an Error object with code and message")
    else:
        ids = data.get("pfIds")
        if not isinstance(ids, list) or not ids:
            raise _bad("data.pfIds must be a non-empty list of ProductFootprint ids")
        for i, pid in enumerate(ids):
            if not isinstance(pid, str) or not _UUID.match(pid):
                raise _bad(f"data.pfIds[{i}] must be a ProductFootprint id (a UUID)")


def callback_url(source: str, version: int, *, allow_loopback_http: bool = False) -> str:
    """Where to send the answer to a request whose CloudEvents ``source`` is ``source``:
    ``//host/path`` reads as ``https://host/path``; a path not ending in ``/events`` gets
    ``/<version>/events``. Only https (plain http to a loopback address when
    ``allow_loopback_http``, for tests). Raises 400 BadRequest otherwise."""
    url = "https:" + source if source.startswith("//") else source
    parts = urlsplit(url)
    if not parts.hostname:
        raise _bad(f"source {source!r} names no host to send the answer to")
    if parts.scheme != "https" and not (
        allow_loopback_http and parts.scheme == "http" and _loopback(parts.hostname)
    ):
        raise _bad(f"source {source!r}: answers are sent over https only")
    path = parts.path.rstrip("/")
    if not path.endswith("/events"):
        path = f"{path}/{version}/events"
    netloc = parts.netloc
    return f"{parts.scheme}://{netloc}{path}"


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _now_text(now: datetime) -> str:
    return now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def make_event(
    version: int, kind: EventKind, source: str, data: Mapping[str, Any], now: datetime
) -> dict[str, Any]:
    """A CloudEvents JSON event of ``kind`` for PACT ``version`` with a fresh id."""
    return {
        "type": TYPES[version][kind],
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": source,
        "time": _now_text(now),
        "data": dict(data),
    }


def fulfilled(
    version: int,
    source: str,
    request_event_id: str,
    pfs: Sequence[Mapping[str, Any]],
    now: datetime,
) -> dict[str, Any]:
    """``RequestFulfilled`` answering ``request_event_id`` with ``pfs``."""
    return make_event(
        version,
        "fulfilled",
        source,
        {"requestEventId": request_event_id, "pfs": [dict(p) for p in pfs]},
        now,
    )


def rejected(
    version: int, source: str, request_event_id: str, code: str, message: str, now: datetime
) -> dict[str, Any]:
    """``RequestRejected`` answering ``request_event_id`` with an Error."""
    return make_event(
        version,
        "rejected",
        source,
        {"requestEventId": request_event_id, "error": {"code": code, "message": message}},
        now,
    )


def published(version: int, source: str, pf_ids: Sequence[str], now: datetime) -> dict[str, Any]:
    """``Published`` naming the footprints published or deprecated."""
    return make_event(version, "published", source, {"pfIds": list(pf_ids)}, now)


def created(
    version: int,
    source: str,
    criteria: Mapping[str, Any],
    now: datetime,
    comment: str | None = None,
) -> dict[str, Any]:
    """``RequestCreated`` with v3 ``criteria`` (for v2.3: a fragment with ``productIds``)."""
    if version == 3:
        data: dict[str, Any] = dict(criteria)
    else:
        data = {"pf": {"productIds": list(criteria.get("productId", []))}}
    if comment is not None:
        data["comment"] = comment
    return make_event(version, "created", source, data, now)
