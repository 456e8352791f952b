"""Metering benchmarks: checking signed readings, and reading meters over DL/T 645.

(a) Verify: ``verify_readings`` over a year of hourly readings of one meter (8,760; 720
    with --quick): per reading the registration checks, one Ed25519 verification over
    the tagged canonical JSON, the calibration lookup and the monotonic check. Baseline:
    bare PyNaCl Ed25519 verification of 64-byte messages, same run. Goal: >= 1/2 of bare
    verify (each reading needs one verify plus its canonical encoding).
(b) Read: DL/T 645 reads of the energy register through ``Dlt645Client`` against the
    simulator on 127.0.0.1 (frame encode, TCP round trip, simulator decode and reply,
    reader reassembly and decode). Baseline: bare asyncio request/response round trips of
    the same byte counts over a loopback TCP echo server, same run. Goal: >= 1/4 of the
    bare round-trip rate is reported; the goal is absolute: >= 1,000 reads/s, a hundred
    times what one RS-485 bus carries (a meter at 2,400 baud takes ~100 ms per read).
    Both ends run in this one process, so each read pays two frame codecs and two event
    loop passes against the echo's none.

The machine is shared: rates alternate with their baseline in short rounds and the
figures are medians; ratios are medians of per-round ratios.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from nacl.signing import SigningKey, VerifyKey

from bench._report import Row
from gateway.meters import (
    DEFAULT_PREAMBLE,
    FORWARD_ACTIVE_ENERGY,
    Dlt645Client,
    MeterAddress,
    SimulatedMeter,
    read_reply,
    read_request,
    simulate,
)
from sdk.footprint import (
    CalibrationCertificate,
    MeterReading,
    MeterRegistration,
    SignedReading,
    device_key_id,
    sign_reading,
    verify_readings,
)

ROUNDS = 5
ADDRESS = MeterAddress.parse("161")


def _log(msg: str) -> None:
    print(f"   [metering] {msg}", file=sys.stderr, flush=True)


def _readings(count: int) -> tuple[MeterRegistration, list[SignedReading]]:
    key = SigningKey(bytes(range(32)))
    start = datetime(2023, 1, 1, tzinfo=UTC)
    registration = MeterRegistration(
        device_id="BENCH-EM-1",
        owner="91500112MA5UDP002F",
        public_key=bytes(key.verify_key),
        quantity="electricity",
        unit="kWh",
        register="dlt645:00010000",
        calibrations=(
            CalibrationCertificate("Bench Institute", "C-1", date(2022, 1, 1), date(2024, 12, 31)),
        ),
        registered_at=start - timedelta(days=1),
    )
    key_id = device_key_id(bytes(key.verify_key))
    readings = [
        sign_reading(
            MeterReading(
                "BENCH-EM-1",
                key_id,
                "dlt645:00010000",
                Decimal(1000 + i * 37).scaleb(-2),
                "kWh",
                start + timedelta(hours=i),
            ),
            key,
        )
        for i in range(count)
    ]
    return registration, readings


def _bare_verify_rate(count: int) -> float:
    key = SigningKey(bytes(range(32)))
    verify_key = VerifyKey(bytes(key.verify_key))
    signed = [key.sign(i.to_bytes(64, "big")) for i in range(count)]
    began = time.perf_counter()
    for item in signed:
        verify_key.verify(item)
    return count / (time.perf_counter() - began)


def _verify(quick: bool) -> list[Row]:
    count = 720 if quick else 8760
    registration, readings = _readings(count)
    rates, baselines, ratios = [], [], []
    for _ in range(ROUNDS):
        began = time.perf_counter()
        verify_readings(readings, registration)
        rate = count / (time.perf_counter() - began)
        base = _bare_verify_rate(count)
        rates.append(rate)
        baselines.append(base)
        ratios.append(rate / base)
    rate, base, ratio = (statistics.median(x) for x in (rates, baselines, ratios))
    _log(f"verify_readings {rate:,.0f}/s, bare Ed25519 verify {base:,.0f}/s")
    return [
        Row(
            "metering",
            f"signed readings verified ({count:,} hourly readings of one meter)",
            f"{rate:,.0f}/s",
            f"{base:,.0f}/s bare Ed25519 verify",
            ratio,
            ">= 0.5× bare verify",
            ratio >= 0.5,
        )
    ]


async def _read_rates(reads: int) -> tuple[float, float]:
    meter = SimulatedMeter(ADDRESS, forward_energy=Decimal("123456.78"))
    request = read_request(ADDRESS, FORWARD_ACTIVE_ENERGY).encode(DEFAULT_PREAMBLE)
    reply = read_reply(ADDRESS, FORWARD_ACTIVE_ENERGY, meter.forward_energy).encode(
        DEFAULT_PREAMBLE
    )

    async def echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while await reader.read(512):
                writer.write(reply)
                await writer.drain()
        finally:
            writer.close()

    async with simulate([meter]) as sim, Dlt645Client(sim.host, sim.port) as client:
        began = time.perf_counter()
        for _ in range(reads):
            await client.read_energy(ADDRESS)
        rate = reads / (time.perf_counter() - began)
    server = await asyncio.start_server(echo, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        began = time.perf_counter()
        for _ in range(reads):
            writer.write(request)
            await writer.drain()
            got = 0
            while got < len(reply):
                got += len(await reader.read(512))
        base = reads / (time.perf_counter() - began)
    finally:
        writer.close()
        await writer.wait_closed()
        server.close()
        await server.wait_closed()
    return rate, base


def _read(quick: bool) -> list[Row]:
    reads = 200 if quick else 1000
    rates, baselines, ratios = [], [], []
    for _ in range(ROUNDS):
        rate, base = asyncio.run(_read_rates(reads))
        rates.append(rate)
        baselines.append(base)
        ratios.append(rate / base)
    rate, base, ratio = (statistics.median(x) for x in (rates, baselines, ratios))
    _log(f"DL/T 645 reads {rate:,.0f}/s, bare TCP round trips {base:,.0f}/s")
    return [
        Row(
            "metering",
            "DL/T 645 energy reads via the simulator on loopback TCP",
            f"{rate:,.0f}/s",
            f"{base:,.0f}/s bare TCP round trips",
            ratio,
            ">= 1,000 reads/s",
            rate >= 1000,
        )
    ]


def run(quick: bool) -> list[Row]:
    """Both measurements (see the module docstring)."""
    return [*_verify(quick), *_read(quick)]
