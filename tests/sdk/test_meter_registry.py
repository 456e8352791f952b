"""MeterRegistry on the embedded chain through its client: registration read back as the
value the pure checks take, calibration renewal and retirement, refusals by the contract
named, and the metered-line check fed from the chain."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from eth_account.signers.local import LocalAccount
from nacl.public import PrivateKey
from nacl.signing import SigningKey

from anchors.chain import EmbeddedChain
from sdk.deploy import Deployment, deploy_tanji
from sdk.errors import RegistryError, RegistryRefused, VerificationError
from sdk.footprint import CalibrationCertificate, verify_metered_inventory
from sdk.meters import device_id_digest
from sdk.registry import Role, org_id_digest
from tests._chain import from_snapshot
from tests.sdk.footprint.metering_fixtures import (
    CERT_2022,
    CERT_2024,
    DEVICE_ID,
    OTHER_KEY,
    OTHER_ORG,
    PANEL_ORG,
    metered_line,
    panel_inventory,
    registration,
)

CERT_2026 = CalibrationCertificate(
    institute="Chongqing Example Metrology Institute (fictional)",
    number="JJG596-CQ-2026-0101",
    valid_from=date(2026, 1, 1),
    valid_until=date(2027, 12, 31),
)


@dataclass
class World:
    chain: EmbeddedChain
    deployment: Deployment
    registrar: LocalAccount
    panel: LocalAccount
    other: LocalAccount
    stranger: LocalAccount


@pytest.fixture(scope="module")
def base() -> World:
    chain = EmbeddedChain()
    registrar = chain.new_account()
    d = deploy_tanji(chain, registrar)
    w = World(chain, d, registrar, chain.new_account(), chain.new_account(), chain.new_account())
    for n, (org, account) in enumerate([(PANEL_ORG, w.panel), (OTHER_ORG, w.other)], start=1):
        d.participants.register_organisation(
            org,
            account.address,
            [Role.SUPPLIER],
            bytes(SigningKey(bytes([n]) * 32).verify_key),
            bytes(PrivateKey(bytes([n]) * 32).public_key),
            sender=registrar,
        )
    return w


@pytest.fixture
def w(base: World) -> Iterator[World]:
    yield from from_snapshot(base)


def test_registration_round_trips_and_feeds_the_checks(w: World) -> None:
    meters = w.deployment.meters
    assert meters.registration(PANEL_ORG, DEVICE_ID) is None
    registered = meters.register(registration(), sender=w.panel)
    assert registered == registration()
    assert registered.digest() == registration().digest()
    # The pure check passes with the registration read from the chain...
    checks = verify_metered_inventory(
        panel_inventory(metered_line()), {DEVICE_ID: registered}, owner=PANEL_ORG
    )
    assert [c.line_id for c in checks] == ["elec"]
    # ...and another organisation's meter of the same device id is another meter.
    assert meters.registration(OTHER_ORG, DEVICE_ID) is None
    other = registration(owner=OTHER_ORG, public_key=bytes(OTHER_KEY.verify_key))
    assert meters.register(other, sender=w.other).owner == OTHER_ORG


def test_renewal_and_retirement(w: World) -> None:
    meters = w.deployment.meters
    meters.register(registration(calibrations=(CERT_2022,)), sender=w.panel)
    meters.renew(PANEL_ORG, DEVICE_ID, CERT_2024, sender=w.panel)
    assert meters.registration(PANEL_ORG, DEVICE_ID) == registration()
    with pytest.raises(RegistryRefused) as caught:
        meters.renew(PANEL_ORG, DEVICE_ID, CERT_2024, sender=w.panel)
    assert caught.value.reason == "DuplicateCertificate"
    early = dataclasses.replace(CERT_2026, number="N-2", valid_from=date(2023, 1, 1))
    with pytest.raises(RegistryRefused) as caught:
        meters.renew(PANEL_ORG, DEVICE_ID, early, sender=w.panel)
    assert caught.value.reason == "RenewalBeforeCurrent"
    with pytest.raises(RegistryRefused) as caught:
        meters.retire(PANEL_ORG, DEVICE_ID, sender=w.stranger)
    assert caught.value.reason == "NotMeterOwner"
    retired_at = meters.retire(PANEL_ORG, DEVICE_ID, sender=w.registrar)
    found = meters.registration(PANEL_ORG, DEVICE_ID)
    assert found is not None
    assert found.retired_at == retired_at
    with pytest.raises(RegistryRefused) as caught:
        meters.renew(PANEL_ORG, DEVICE_ID, CERT_2026, sender=w.panel)
    assert caught.value.reason == "MeterAlreadyRetired"
    with pytest.raises(RegistryRefused) as caught:
        meters.retire(PANEL_ORG, DEVICE_ID, sender=w.panel)
    assert caught.value.reason == "MeterAlreadyRetired"


def test_a_reading_after_retirement_fails_the_check(w: World) -> None:
    meters = w.deployment.meters
    meters.register(registration(registered_at=datetime(2022, 6, 1, tzinfo=UTC)), sender=w.panel)
    meters.retire(PANEL_ORG, DEVICE_ID, sender=w.panel)
    found = meters.registration(PANEL_ORG, DEVICE_ID)
    assert found is not None
    assert found.retired_at is not None
    # The chain retires from its own time: readings of 2023 stay good, later ones do not.
    verify_metered_inventory(panel_inventory(metered_line()), {DEVICE_ID: found}, owner=PANEL_ORG)
    early = dataclasses.replace(found, retired_at=datetime(2023, 6, 1, tzinfo=UTC))
    with pytest.raises(VerificationError) as caught:
        verify_metered_inventory(
            panel_inventory(metered_line()), {DEVICE_ID: early}, owner=PANEL_ORG
        )
    assert caught.value.step == "meter.registration"


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("key already registered", "KeyInUse"),
        ("same device twice", "MeterExists"),
        ("registered in the future", "RegisteredInFuture"),
        ("zero multiplier", "InvalidDecimal"),
        ("unregistered account", "NotRegistered"),
    ],
)
def test_registration_refusals(w: World, case: str, expected: str) -> None:
    meters = w.deployment.meters
    reg, sender = registration(), w.panel
    match case:
        case "key already registered":
            meters.register(registration(device_id="CQ-EM-12"), sender=w.panel)
        case "same device twice":
            meters.register(registration(public_key=bytes(OTHER_KEY.verify_key)), sender=w.panel)
        case "registered in the future":
            reg = registration(registered_at=datetime.now(UTC) + timedelta(days=30))
        case "zero multiplier":
            fn = meters.contract.functions.registerMeter(
                (DEVICE_ID, reg.public_key, "electricity", "kWh", "r", "0.00", 0),
                ("institute", "N-1", "", 1, 2, b"\1" * 32, 0),
            )
            with pytest.raises(RegistryRefused) as caught:
                meters._transact("register", fn, w.panel)
            assert caught.value.reason == expected
            return
        case "unregistered account":
            fn = meters.contract.functions.registerMeter(
                (DEVICE_ID, reg.public_key, "electricity", "kWh", "r", "1", 0),
                ("institute", "N-1", "", 1, 2, b"\1" * 32, 0),
            )
            with pytest.raises(RegistryRefused) as caught:
                meters._transact("register", fn, w.stranger)
            assert caught.value.reason == expected
            return
    with pytest.raises(RegistryRefused) as caught:
        meters.register(reg, sender=sender)
    assert caught.value.reason == expected


def test_client_refuses_before_sending(w: World) -> None:
    meters = w.deployment.meters
    with pytest.raises(RegistryError, match="not an account of"):
        meters.register(registration(), sender=w.other)
    with pytest.raises(RegistryError, match="then retire"):
        meters.register(registration(retired_at=datetime(2024, 1, 1, tzinfo=UTC)), sender=w.panel)
    assert w.deployment.meters.contract.functions.meterCount().call() == 0


def test_a_certificate_that_does_not_match_its_digest_is_refused(w: World) -> None:
    meters = w.deployment.meters
    cert = CERT_2022
    forged = (
        cert.institute,
        cert.number,
        "0.2S",  # the digest is of class 0.5S
        int(datetime(2022, 5, 31, 16, tzinfo=UTC).timestamp()),
        int(datetime(2023, 12, 31, 16, tzinfo=UTC).timestamp()),
        bytes.fromhex(cert.digest()),
        0,
    )
    reg = registration()
    fn = meters.contract.functions.registerMeter(
        (DEVICE_ID, reg.public_key, "electricity", "kWh", reg.register, "6000", 1654041600),
        forged,
    )
    meters._transact("register", fn, w.panel)
    assert meters.contract.functions.isRegistered(
        org_id_digest(PANEL_ORG), device_id_digest(DEVICE_ID)
    ).call()
    with pytest.raises(RegistryError, match="does not hash to the digest"):
        meters.registration(PANEL_ORG, DEVICE_ID)


def test_deployment_carries_the_meter_registry(w: World) -> None:
    data = w.deployment.to_dict()
    assert data["contracts"]["MeterRegistry"] == w.deployment.meter_registry
    reopened = Deployment.from_dict(data, w.deployment.chain)
    assert reopened.meter_registry == w.deployment.meter_registry
    del data["contracts"]["MeterRegistry"]
    older = Deployment.from_dict(data, w.deployment.chain)
    with pytest.raises(RegistryError, match="no MeterRegistry"):
        _ = older.meters
