"""Data quality at the source, as the certifier checks it: metered lines against the
meter registry and the owner's signed readings, and the footprint against the facility's
carbon-market (ETS) data (docs/metering.md §4, docs/data-quality.md).

Two kinds of attestation carry the data, each an ordinary (encrypted, granted) Tanji
attestation whose committed document is:

* a meter's readings over a period, published by the meter's owner::

    {"productIds": ["urn:tanji:meter:<owner>:<device id>"],
     "meterReadings": ReadingBatch.to_dict()}

* a facility's verified ETS year, published by the reporting organisation or by the
  verification body that checked it::

    {"productIds": ["urn:tanji:ets:<org id>:<year>"],
     "etsFacilityYear": FacilityYear.to_dict()}

The checks themselves are :func:`sdk.footprint.verify_metered_inventory`,
:func:`sdk.footprint.cross_check_ets` and :func:`sdk.footprint.require_issuable`; this
module holds the documents, the certifier's request for an ETS review and the report
both checks produce.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sdk.footprint import (
    DEFAULT_BAND,
    CheckOverride,
    CrossCheckReport,
    FacilityYear,
    IssuanceDecision,
    MeteredLineCheck,
    ReadingBatch,
)

#: Prefix of a readings batch's subject: ``urn:tanji:meter:<owner>:<device id>``.
METER_URN_PREFIX = "urn:tanji:meter:"
#: Prefix of an ETS facility year's subject: ``urn:tanji:ets:<org id>:<year>``.
ETS_URN_PREFIX = "urn:tanji:ets:"
#: Where the label's public disclosure finds the metered activity share (the Tanji
#: extension's data; ``<i>`` is the extension's index).
METERED_SHARE_KEY = "meteredActivityShare"


def meter_readings_document(owner: str, batch: ReadingBatch) -> dict[str, Any]:
    """The document a readings batch's attestation commits to (module docstring)."""
    return {
        "productIds": [f"{METER_URN_PREFIX}{owner}:{batch.device_id}"],
        "meterReadings": batch.to_dict(),
    }


def ets_document(facility: FacilityYear) -> dict[str, Any]:
    """The document an ETS facility year's attestation commits to (module docstring)."""
    return {
        "productIds": [f"{ETS_URN_PREFIX}{facility.org_id}:{facility.year}"],
        "etsFacilityYear": facility.to_dict(),
    }


@dataclass(frozen=True)
class EtsReview:
    """What the certifier asks :meth:`~sdk.roles.Certifier.check_at` to cross-check: the
    ETS attestation granted to it, the report line of the product, the band, the share of
    the facility attributed to the product (default: by output), lines outside the
    market's scope, and the overrides it records for flags it accepts."""

    attestation_id: str
    product: str
    band: Decimal = DEFAULT_BAND
    share: Decimal | None = None
    exclude_lines: tuple[str, ...] = ()
    overrides: tuple[CheckOverride, ...] = ()


@dataclass(frozen=True)
class DataQualityReport:
    """The meter and market checks of one certification check, with their figures.

    ``meters`` has one entry per metered line (every step passed, or the check would have
    failed); ``batches`` maps device id to the readings attestation checked in full;
    ``metered_activity_share`` is the recomputed share of own activity emissions from
    metered lines (None without activity lines). ``ets`` / ``decision`` are present when
    an ETS review was asked for (a flag without override fails the check instead).
    """

    meters: tuple[MeteredLineCheck, ...] = ()
    batches: Mapping[str, str] = field(default_factory=dict)
    metered_activity_share: Decimal | None = None
    ets: CrossCheckReport | None = None
    ets_attestation: str | None = None
    ets_publisher: str | None = None
    decision: IssuanceDecision | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON form for the certifier's report: every figure, flag and override."""
        return {
            "meters": [
                {**m.to_dict(), "batch": self.batches.get(m.device_id)} for m in self.meters
            ],
            "meteredActivityShare": None
            if self.metered_activity_share is None
            else format(self.metered_activity_share, "f"),
            "ets": None
            if self.ets is None
            else {
                **self.ets.to_dict(),
                "attestation": self.ets_attestation,
                "publisher": self.ets_publisher,
            },
            "decision": None if self.decision is None else self.decision.to_dict(),
        }

    def to_lines(self) -> list[str]:
        """The report as lines a person reads (one per meter and per market check)."""
        lines: list[str] = []
        for m in self.meters:
            a = m.amount.to_dict()
            lines.append(
                f"meter {m.device_id} (line {m.line_id}): {len(m.verified.readings)} signed "
                f"readings, counters {m.first.reading.counter} → {m.last.reading.counter} "
                f"{m.first.reading.unit} × {m.verified.registration.multiplier}, calibrated "
                f"under {', '.join(sorted(set(m.verified.calibrations)))}: "
                f"{a['rounded']} {a['lineUnit']} per {a['declaredUnitAmount']} "
                f"{a['declaredUnit']} = declared {a['declared']}: pass"
            )
        if self.metered_activity_share is not None and self.meters:
            lines.append(
                f"activity data from calibrated meters: {self.metered_activity_share} % of own "
                "activity emissions"
            )
        if self.ets is not None:
            f = self.ets.facility
            lines.append(
                f"ETS {f.scheme} {f.year} report {f.report_number} ({f.facility}, verified by "
                f"{f.verifier}), product {self.ets.product!r}, band ±{self.ets.band * 100:.0f} %:"
            )
            overridden = {c.check: o for c, o in self.decision.overridden} if self.decision else {}
            for c in self.ets.checks:
                figures = ", ".join(f"{k} {val}" for k, val in c.figures.items())
                status = c.status
                if c.check in overridden:
                    status += f" (overridden: {overridden[c.check].reason})"
                why = f" — {c.reason}" if c.reason else ""
                lines.append(f"  {c.check}: {status}{why} [{figures}]")
        return lines
