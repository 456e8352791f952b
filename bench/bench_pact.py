"""PACT export and import cost per footprint (the gateway lists 100 per page).

``to_pact`` writes the document and reads it back under its version's schema and rules,
so an export is never invalid; ``from_pact`` checks a document a partner sent. Both are
compared with a bare ``json.dumps`` + ``json.loads`` of the same document, measured in
the same run. Goal: 100 footprints exported as PACT v3.0 in at most 25 ms, half the
gateway's 50 ms budget for listing 100 footprints with their extensions (issue 9).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal

from bench._report import Row
from sdk.footprint import (
    Dqi,
    GridFactorRef,
    MeteringRecord,
    Pcf,
    ProductFootprint,
    TanjiExtension,
    from_pact,
    to_pact,
)

PAGE = 100


def footprint(i: int) -> ProductFootprint:
    """A roll-up-shaped footprint with the Tanji extension (as the demo's notebook)."""
    return ProductFootprint(
        id=f"3f1c1a4e-8d2b-4c7e-9a51-{i:012d}",
        created=datetime(2026, 1, 5, 8, 0, tzinfo=UTC),
        status="Active",
        company_name="Beijing Zhiben Computer Co., Ltd.",
        company_ids=("urn:pact:zhiben-computer.example:company-id:91110108MA01NB009J",),
        product_description="14-inch notebook computer, 16 GB / 512 GB",
        product_ids=(f"urn:pact:zhiben-computer.example:supplier-id:ZB-{i}",),
        product_name_company="Zhiben 14",
        pcf=Pcf(
            declared_unit="piece",
            declared_unit_amount=Decimal(1),
            product_mass_per_declared_unit=Decimal("1.62"),
            reference_period_start=datetime(2025, 1, 1, tzinfo=UTC),
            reference_period_end=datetime(2026, 1, 1, tzinfo=UTC),
            pcf_excluding_biogenic_uptake=Decimal("241.997"),
            pcf_including_biogenic_uptake=Decimal("241.997"),
            fossil_ghg_emissions=Decimal("241.997"),
            fossil_carbon_content=Decimal("0.26"),
            ipcc_characterization_factors=("AR6",),
            cross_sectoral_standards=("ISO14067",),
            exempted_emissions_percent=Decimal(0),
            primary_data_share=Decimal("61.3"),
            dqi=Dqi(Decimal("1.5"), Decimal("1.2"), Decimal("1.1"), Decimal("1.8"), Decimal("1.3")),
            geography_country_subdivision="CN-BJ",
        ),
        tanji=TanjiExtension(
            boundary="partial",
            grid_factors=(
                GridFactorRef("cn-grid-2023-north", Decimal("0.6361"), "kgCO2/kWh", "MEE/NBS"),
            ),
            metering=(MeteringRecord("assembly", "BJ-EM-LINE3", "JJG596-BJ-EM-LINE3-2025"),),
            factor_set="tanji-cn-default@2025.1",
            factor_set_digest="ab" * 32,
        ),
    )


def _median_ms(action: Callable[[], object], repeats: int) -> float:
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


CATALOG = 100_000


def _gateway_rows(quick: bool) -> list[Row]:
    """The gateway: list 100 of 100,000 footprints (Tanji extension included) and token +
    first page, through the ASGI app (Starlette's TestClient), against a bare FastAPI
    endpoint returning a small JSON object through the same client."""
    import copy
    import tempfile
    from datetime import timedelta
    from pathlib import Path

    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from gateway.pact import (
        Catalog,
        Entry,
        Gateway,
        GatewaySettings,
        GatewayState,
        TokenStore,
        add_client,
        create_app,
    )
    from sdk import OrgKeys
    from sdk.wallet import MemoryWallet

    org = "91110108MA01NB009J"
    base = "https://pact.example.com"
    template = to_pact(footprint(0), extension_base_url=base)
    entries = []
    t0 = datetime(2026, 1, 5, tzinfo=UTC)
    size = 10_000 if quick else CATALOG
    for i in range(size):
        doc = copy.copy(template)
        doc["id"] = f"3f1c1a4e-8d2b-4c7e-9a51-{i:012d}"
        doc["productIds"] = [f"urn:pact:zhiben-computer.example:supplier-id:ZB-{i}"]
        doc["created"] = (t0 + timedelta(seconds=i)).strftime("%Y-%m-%dT%H:%M:%SZ")
        entries.append(Entry(doc, (org,), None))
    with tempfile.TemporaryDirectory() as tmp:
        state = GatewayState(Path(tmp) / "gateway.db")
        keys = OrgKeys.from_seed("91340100MA2XGL0017", bytes(32))
        gw = Gateway(
            GatewaySettings(base_url=base), MemoryWallet(keys), state, catalog=Catalog(entries)
        )
        record, secret = add_client(state, org, now=datetime.now(UTC))
        app = create_app(gw, TokenStore(state))
        bare = FastAPI()

        @bare.get("/hello")
        async def hello() -> dict[str, str]:
            return {"hello": "world"}

        repeats = 10 if quick else 50
        with TestClient(app, base_url=base) as client, TestClient(bare) as plain:
            token = client.post(
                "/auth/token",
                data={"grant_type": "client_credentials"},
                auth=(record.client_id, secret),
            ).json()["access_token"]
            auth = {"Authorization": f"Bearer {token}"}
            offset = size // 2

            def page() -> None:
                resp = client.get(f"/3/footprints?limit={PAGE}&offset={offset}", headers=auth)
                assert resp.status_code == 200
                assert len(resp.json()["data"]) == PAGE

            def token_and_page() -> None:
                tok = client.post(
                    "/auth/token",
                    data={"grant_type": "client_credentials"},
                    auth=(record.client_id, secret),
                ).json()["access_token"]
                resp = client.get(
                    f"/3/footprints?limit={PAGE}", headers={"Authorization": f"Bearer {tok}"}
                )
                assert resp.status_code == 200

            baseline = _median_ms(lambda: plain.get("/hello").json(), repeats)
            listed = _median_ms(page, repeats)
            first = _median_ms(token_and_page, repeats)
    print(
        f"   [pact] gateway over {size} footprints: bare {baseline:.2f} ms, list {PAGE} "
        f"{listed:.2f} ms, token+first page {first:.2f} ms",
        file=sys.stderr,
    )
    return [
        Row(
            "pact",
            f"gateway: list {PAGE} of {size:,} footprints (p50, with extensions)",
            f"{listed:.1f} ms",
            f"bare FastAPI JSON {baseline:.2f} ms",
            baseline / listed,
            "≤ 50 ms",
            listed <= 50.0,
        ),
        Row(
            "pact",
            "gateway: token + first page (p50)",
            f"{first:.1f} ms",
            f"bare FastAPI JSON {baseline:.2f} ms",
            baseline / first,
            "≤ 100 ms",
            first <= 100.0,
        ),
    ]


def run(quick: bool = False) -> list[Row]:
    repeats = 5 if quick else 25
    fps = [footprint(i) for i in range(PAGE)]
    docs = [to_pact(fp) for fp in fps]
    baseline = _median_ms(lambda: [json.loads(json.dumps(d)) for d in docs], repeats)
    export = _median_ms(lambda: [to_pact(fp) for fp in fps], repeats)
    parse = _median_ms(lambda: [from_pact(d) for d in docs], repeats)
    print(
        f"   [pact] {PAGE} footprints: json {baseline:.2f} ms, to_pact {export:.2f} ms, "
        f"from_pact {parse:.2f} ms",
        file=sys.stderr,
    )
    return [
        *_gateway_rows(quick),
        Row(
            "pact",
            f"export {PAGE} footprints as v3.0 (validated)",
            f"{export:.1f} ms",
            f"json round trip {baseline:.2f} ms",
            baseline / export,
            "≤ 25 ms per 100",
            export <= 25.0,
        ),
        Row(
            "pact",
            f"import {PAGE} v3.0 footprints (schema + rules)",
            f"{parse:.1f} ms",
            f"json round trip {baseline:.2f} ms",
            baseline / parse,
            "≤ 25 ms per 100",
            parse <= 25.0,
        ),
    ]
