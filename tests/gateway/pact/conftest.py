"""Gateways over real wallets (SQLite), served by uvicorn over TLS on loopback with a
self-signed certificate; httpx trusts that certificate as its CA."""

from __future__ import annotations

import dataclasses
import random
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from gateway.pact import (
    Catalog,
    Gateway,
    GatewaySettings,
    GatewayState,
    PartnerRecord,
    add_client,
    build_app,
    make_certificate,
)
from gateway.pact._service import Policy
from sdk import FAST_KDF, OrgKeys, create_attestation
from sdk._ids import uscc_check_char
from sdk.footprint import Dqi, Pcf, ProductFootprint, TanjiExtension, to_pact
from sdk.roles import Certifier
from sdk.wallet import (
    GrantRecord,
    PublishedRecord,
    PublishState,
    Wallet,
    publication_input_digest,
)

NOW = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
PASS = "correct horse battery staple"


def uscc(prefix17: str) -> str:
    return prefix17 + uscc_check_char(prefix17)


SUPPLIER = uscc("91340100MA2XGL001")
BUYER = uscc("91110108MA01NB009")
OTHER = uscc("91320583MA1MBD005")
KEYS = {
    org: OrgKeys.from_seed(org, bytes([i + 1]) * 32)
    for i, org in enumerate((SUPPLIER, BUYER, OTHER))
}


def _rng(seed: int) -> Callable[[int], bytes]:
    r = random.Random(seed)
    return lambda n: r.randbytes(n)


def footprint(i: int, **changes: Any) -> ProductFootprint:
    """A v3 footprint of product ``glass-<i>`` made by SUPPLIER."""
    pcf = Pcf(
        declared_unit="kilogram",
        declared_unit_amount=Decimal(1),
        product_mass_per_declared_unit=Decimal(1),
        reference_period_start=datetime(2025, 1, 1, tzinfo=UTC),
        reference_period_end=datetime(2026, 1, 1, tzinfo=UTC),
        pcf_excluding_biogenic_uptake=Decimal("1.25") + i,
        pcf_including_biogenic_uptake=Decimal("1.25") + i,
        fossil_ghg_emissions=Decimal("1.25") + i,
        fossil_carbon_content=Decimal(0),
        ipcc_characterization_factors=("AR6",),
        cross_sectoral_standards=("ISO14067",),
        exempted_emissions_percent=Decimal(0),
        primary_data_share=Decimal(50),
        dqi=Dqi(Decimal(2), Decimal(2), Decimal(2), Decimal(2), Decimal(2), Decimal(100)),
        geography_country="CN" if i % 2 == 0 else "DE",
        boundary_processes_description="cradle to gate: melting, forming, annealing",
        biogenic_carbon_content=Decimal(0),
        packaging_emissions_included=False,
        land_use_change_ghg_emissions=Decimal(0),
        land_management_biogenic_co2_emissions=Decimal(0),
        biogenic_non_co2_emissions=Decimal(0),
        biogenic_co2_uptake=Decimal(0),
    )
    fp = ProductFootprint(
        id=f"3f1c1a4e-8d2b-4c7e-9a51-{i:012d}",
        created=NOW + timedelta(minutes=i),
        status="Active",
        company_name="Hefei Lumen Glass",
        company_ids=(f"urn:pact:lumen-glass.example:company-id:{SUPPLIER}",),
        product_description="float glass substrate",
        product_ids=(f"urn:pact:lumen-glass.example:supplier-id:glass-{i}",),
        product_classifications=("urn:pact:productclassification:un-cpc:37115",),
        product_name_company=f"Glass {i}",
        pcf=pcf,
        tanji=TanjiExtension(boundary="partial", uscc=SUPPLIER),
    )
    return dataclasses.replace(fp, **changes) if changes else fp


def publish(
    wallet: Wallet,
    fp: ProductFootprint,
    recipients: tuple[str, ...],
    seed: int,
    supersedes: str | None = None,
) -> PublishedRecord:
    """A logged publication of ``fp`` granted to ``recipients`` (as sdk.roles stores it)."""
    doc = to_pact(fp)
    att = create_attestation(
        KEYS[SUPPLIER],
        product_id=fp.product_ids[0],
        footprint=doc,
        inventory=None,
        now=NOW,
        rng=_rng(seed),
        supersedes=supersedes,
    )
    grants = tuple(
        GrantRecord.of(att.grant(r, KEYS[r].public_key, rng=_rng(seed + 7)), NOW)
        for r in recipients
    )
    record = PublishedRecord(
        attestation=att,
        input_digest=publication_input_digest(doc, None, list(recipients), [], supersedes),
        product_id=fp.product_ids[0],
        state=PublishState.PENDING,
        created_at=NOW,
        grants=grants,
    )
    wallet.begin_publication(record)
    wallet.finish_publication(att.attestation_id, log_id="main", index=seed, at=NOW)
    return record


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Served:
    """A gateway running over HTTPS in this process."""

    gateway: Gateway
    wallet: Wallet
    state: GatewayState
    base_url: str
    ca: Path
    server: uvicorn.Server
    thread: threading.Thread

    def http(self) -> httpx.Client:
        return httpx.Client(verify=ssl.create_default_context(cafile=str(self.ca)), timeout=20)

    def client(self, org: str) -> tuple[str, str]:
        record, secret = add_client(self.state, org, now=NOW)
        return record.client_id, secret

    def token(self, http: httpx.Client, creds: tuple[str, str]) -> str:
        resp = http.post(
            self.base_url + "/auth/token", data={"grant_type": "client_credentials"}, auth=creds
        )
        assert resp.status_code == 200, resp.text
        return str(resp.json()["access_token"])

    def stop(self) -> None:
        from tests.gateway.pact._console import close_clients

        close_clients()  # a console client's keep-alive connection would hold it open
        self.gateway.close()  # its keep-alive connections would hold the other server open
        self.server.should_exit = True
        self.thread.join(15)
        self.wallet.close()


def serve_gateway(
    home: Path,
    org: str,
    *,
    policy: Policy = "granted",
    ca_file: Path | None = None,
    setup: Callable[[Wallet], None] | None = None,
    tls: Path | None = None,
    wallet: Wallet | None = None,
    receipt: Callable[[str], dict[str, Any] | None] | None = None,
    catalog: Catalog | None = None,
    certifier: Callable[[], Certifier] | None = None,
) -> Served:
    """Create ``org``'s wallet in ``home``, let ``setup`` fill it, serve its gateway
    (with ``certifier`` for the console's certifier page)."""
    if wallet is None:
        wallet = Wallet.create(home / "wallet.db", PASS, KEYS[org], now=NOW, kdf=FAST_KDF)
    if setup is not None:
        setup(wallet)
    port = free_port()
    base = f"https://127.0.0.1:{port}"
    tls = tls or home
    cert, key = tls / "cert.pem", tls / "key.pem"
    if not cert.exists():
        make_certificate("127.0.0.1", cert, key, now=datetime.now(UTC))
    state = GatewayState(home / "gateway" / "gateway.db")
    settings = GatewaySettings(
        base_url=base,
        policy=policy,
        page_max=50,
        refresh_seconds=0.2,
        ca_file=None if ca_file is None else str(ca_file),
    )
    gateway = Gateway(settings, wallet, state, receipt=receipt, catalog=catalog)
    app = build_app(gateway, certifier=certifier)
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        ssl_certfile=str(cert),
        ssl_keyfile=str(key),
        log_level="warning",
        lifespan="on",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the gateway did not start")
        time.sleep(0.02)
    return Served(gateway, wallet, state, base, cert, server, thread)


@pytest.fixture
def supplier(tmp_path: Path) -> Iterator[Served]:
    served = supplier_gateway(tmp_path)
    yield served
    served.stop()


@pytest.fixture(scope="module")
def shared_supplier(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The supplier's gateway, shared by the read-only tests of a module."""
    served = supplier_gateway(tmp_path_factory.mktemp("shared"))
    yield served
    served.stop()


def supplier_gateway(tmp_path: Path, **kwargs: Any) -> Served:
    """SUPPLIER's gateway: glass-0..4 granted to BUYER (glass-4 also to OTHER), glass-5
    granted to nobody; glass-1 superseded by glass-6 (granted to BUYER)."""

    def setup(wallet: Wallet) -> None:
        old = None
        for i in range(6):
            recipients = (BUYER, OTHER) if i == 4 else (BUYER,) if i < 5 else ()
            rec = publish(wallet, footprint(i), recipients, seed=i + 1)
            if i == 1:
                old = rec
        assert old is not None
        before = footprint(1)
        _, new = before.superseded_by(footprint(6, product_ids=before.product_ids))
        publish(wallet, new, (BUYER,), seed=7, supersedes=old.attestation_id)

    return serve_gateway(tmp_path / "supplier", SUPPLIER, setup=setup, **kwargs)


def add_partner(state: GatewayState, org: str, other: Served) -> None:
    """Give ``state``'s gateway credentials for ``other``'s server as organisation ``org``."""
    cid, secret = other.client(org)
    state.put_partner(PartnerRecord(other_org(other), other.base_url, cid, secret), NOW)


def other_org(served: Served) -> str:
    return str(served.wallet.org_id)


def wait_for(check: Callable[[], Any], timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.05)


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    """Close the console clients a test opened (tests/gateway/pact/_console.py)."""
    from tests.gateway.pact._console import close_clients

    yield
    close_clients()


@pytest.fixture
def tab() -> Iterator[Any]:
    from tests.conftest import missing_service
    from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():  # a failure in CI (TANJI_REQUIRE_SERVICES=1), as for every page
        missing_service(f"{CHROMIUM} not found (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(ignore_https_errors=True, locale="zh-CN")
        page = context.new_page()
        try:
            yield page
        finally:
            browser.close()
