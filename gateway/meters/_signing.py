"""Signed readings at the edge: read a meter through the protocol, stamp the reading
with the gateway's clock and sign it with the meter's device key.

The gateway in front of a meter holds the device key registered for that meter (phase
2: in the meter registry contract) and signs each reading it takes; the pure format and
signature are :class:`sdk.footprint.MeterReading` / :func:`sdk.footprint.sign_reading`.
The clock is read once, after the meter's reply arrived.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from nacl.signing import SigningKey

from gateway.meters._dlt645 import FORWARD_ACTIVE_ENERGY, DataId, MeterAddress, data_format
from gateway.meters._reader import DEFAULT_RETRIES, DEFAULT_TIMEOUT, Dlt645Client
from gateway.meters.errors import DataFormatError
from sdk.footprint import MeterReading, SignedReading, device_key_id, sign_reading


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class MeterPoint:
    """A metering point: the registered device id, the meter's DL/T 645 address and the
    energy register read (forward active energy, total, by default). Its readings state
    register ``dlt645:<DI>`` and unit ``kWh``. Raises DataFormatError for a register
    that is not an active-energy (kWh) register."""

    device_id: str
    address: MeterAddress
    data_id: DataId = FORWARD_ACTIVE_ENERGY

    def __post_init__(self) -> None:
        if data_format(self.data_id).unit != "kWh":
            raise DataFormatError(f"{self.data_id} is not an active energy (kWh) register")

    @property
    def register(self) -> str:
        """The register as a reading names it: ``dlt645:00010000``."""
        return f"dlt645:{self.data_id}"


async def read_signed(
    client: Dlt645Client,
    point: MeterPoint,
    signing_key: SigningKey,
    *,
    clock: Callable[[], datetime] = _utcnow,
) -> SignedReading:
    """Read ``point`` through ``client`` and return the reading signed with the device's
    ``signing_key``, timed by ``clock`` (read once, after the reply). Raises the reader's
    errors (:mod:`gateway.meters.errors`), and ValueError for a naive clock."""
    counter = await client.read_energy(point.address, point.data_id)
    now = clock()
    if now.utcoffset() is None:
        raise ValueError("the clock returned a naive datetime")
    reading = MeterReading(
        device_id=point.device_id,
        key_id=device_key_id(bytes(signing_key.verify_key)),
        register=point.register,
        counter=counter,
        unit="kWh",
        time=now,
    )
    return sign_reading(reading, signing_key)


def read_signed_once(
    host: str,
    port: int,
    point: MeterPoint,
    signing_key: SigningKey,
    *,
    clock: Callable[[], datetime] = _utcnow,
    timeout: float = DEFAULT_TIMEOUT,
    retries: int = DEFAULT_RETRIES,
) -> SignedReading:
    """Synchronous :func:`read_signed` over a fresh connection to ``host``:``port``."""

    async def run() -> SignedReading:
        async with Dlt645Client(host, port, timeout=timeout, retries=retries) as client:
            return await read_signed(client, point, signing_key, clock=clock)

    return asyncio.run(run())
