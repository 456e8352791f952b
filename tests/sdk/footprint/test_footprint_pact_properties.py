"""Property: whatever valid footprint the model holds, each export either validates
against the official schema of its version (and reads back equal) or is refused with the
reason; never an invalid document."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sdk.errors import FootprintError
from sdk.footprint import Dqi, from_pact, to_pact
from sdk.footprint._values import DECLARED_UNITS
from tests.sdk.footprint.pact_schema import schema_errors
from tests.sdk.footprint.test_footprint_pact import tanji_footprint


def decimals(low: str, high: str) -> st.SearchStrategy[Decimal]:
    return st.decimals(Decimal(low), Decimal(high), places=3, allow_nan=False)


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


@st.composite
def footprints(draw: st.DrawFn) -> Any:
    fp = tanji_footprint(unit=draw(st.sampled_from(sorted(DECLARED_UNITS))))
    ref_end = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(days=draw(st.integers(0, 900)))
    geography = draw(st.sampled_from(["country", "subdivision", "region", None]))
    included = draw(st.booleans())
    pcf = dataclasses.replace(
        fp.pcf,
        reference_period_start=ref_end - timedelta(days=365),
        reference_period_end=ref_end,
        pcf_excluding_biogenic_uptake=draw(decimals("-50", "5000")),
        pcf_including_biogenic_uptake=draw(maybe(decimals("-50", "5000"))),
        fossil_ghg_emissions=draw(decimals("0", "5000")),
        land_management_biogenic_co2_emissions=draw(maybe(decimals("-5", "50"))),
        biogenic_co2_uptake=draw(maybe(decimals("-50", "0"))),
        exempted_emissions_percent=draw(decimals("0", "100")),
        exempted_emissions_description=draw(maybe(st.text(max_size=20))),
        ipcc_characterization_factors=tuple(
            draw(st.lists(st.sampled_from(["AR4", "AR5", "AR6"]), min_size=1, unique=True))
        ),
        cross_sectoral_standards=tuple(
            draw(
                st.lists(
                    st.sampled_from(["ISO14067", "GHGP-Product", "PEF", "PAS2050", "ISO14083"]),
                    min_size=1,
                    unique=True,
                )
            )
        ),
        packaging_emissions_included=included,
        packaging_ghg_emissions=draw(decimals("0", "9")) if included else None,
        primary_data_share=draw(maybe(decimals("0", "100"))),
        dqi=draw(
            maybe(
                st.builds(
                    Dqi,
                    decimals("1", "5"),
                    decimals("1", "5"),
                    decimals("1", "5"),
                    maybe(decimals("1", "5")),
                    maybe(decimals("1", "5")),
                    maybe(decimals("0", "100")),
                )
            )
        ),
        geography_country="CN" if geography == "country" else None,
        geography_country_subdivision="CN-BJ" if geography == "subdivision" else None,
        geography_region_or_subregion="Eastern Asia" if geography == "region" else None,
    )
    start = draw(maybe(st.integers(-30, 400)))
    return dataclasses.replace(
        fp,
        id=str(uuid.UUID(int=draw(st.integers(0, 2**128 - 1)))),
        pcf=pcf,
        preceding_pf_ids=draw(maybe(st.just((str(uuid.uuid4()),)))),
        validity_period_start=None if start is None else ref_end + timedelta(days=start),
        validity_period_end=None
        if start is None
        else ref_end + timedelta(days=start + draw(st.integers(1, 1200))),
        comment=draw(maybe(st.text(max_size=20))),
    )


def export(fp: Any, version: Any) -> dict[str, Any] | str:
    """The export, or the reason it was refused."""
    try:
        return to_pact(fp, version, strict=False)
    except FootprintError as exc:
        return exc.reason


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(footprints())
def test_every_export_is_schema_valid_or_refused(fp: Any) -> None:
    # v3.0 can say everything the model holds except a missing pcfIncludingBiogenicUptake
    # (required) and a negative v2-style landManagementGhgEmissions (>= 0 in v3.0).
    expressible = fp.pcf.pcf_including_biogenic_uptake is not None and (
        fp.pcf.land_management_biogenic_co2_emissions is None
        or fp.pcf.land_management_biogenic_co2_emissions >= 0
    )
    v3 = export(fp, "3.0")
    if isinstance(v3, str):
        assert not expressible, v3
        assert "cannot be written as PACT 3.0" in v3
    else:
        assert expressible
        assert schema_errors(v3, 3) == []
        assert from_pact(v3, strict=False) == fp
    v2 = export(fp, "2.3")
    if isinstance(v2, str):
        assert "cannot be written as PACT 2.3" in v2
    else:
        assert schema_errors(v2, 2) == []
        from_pact(v2, strict=False)
