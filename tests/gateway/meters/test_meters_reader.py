"""The reader against the simulated meter over real TCP on 127.0.0.1: reads, faults,
retries, errors, signed readings and the command line."""

from __future__ import annotations

import asyncio
import io
import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import TypedDict, TypeVar

import pytest
from nacl.signing import SigningKey

from gateway.meters import (
    ACTIVE_POWER,
    COMBINED_ACTIVE_ENERGY,
    DEFAULT_PREAMBLE,
    PHASE_A_VOLTAGE,
    DataId,
    Dlt645Client,
    FrameBuffer,
    FrameError,
    MeterAddress,
    MeterPoint,
    MeterRefused,
    MeterSimulator,
    MeterTimeout,
    MeterUnavailable,
    SimulatedMeter,
    read_once,
    read_signed,
    read_signed_once,
    simulate,
    simulate_in_thread,
)
from gateway.meters._cli import main
from sdk.footprint import CalibrationCertificate, MeterRegistration, verify_readings

D = Decimal
T = TypeVar("T")
PANEL = MeterAddress.parse("000000000161")
BATTERY = MeterAddress.parse("000000000162")


class _Fast(TypedDict):
    timeout: float
    retries: int


FAST: _Fast = {"timeout": 0.25, "retries": 1}


def run(body: Callable[[], Awaitable[T]]) -> T:
    """Run one async test body on a fresh loop, bounded in time."""
    return asyncio.run(asyncio.wait_for(body(), 20))


def _meter(address: MeterAddress = PANEL, energy: str = "1234.56") -> SimulatedMeter:
    return SimulatedMeter(address, forward_energy=D(energy), reverse_energy=D("0.44"))


def test_reads_registers_through_the_protocol() -> None:
    meter = _meter()

    async def body() -> None:
        async with simulate([meter]) as sim, Dlt645Client(sim.host, sim.port, **FAST) as client:
            assert await client.read_energy(PANEL) == D("1234.56")
            assert await client.read_energy(PANEL, COMBINED_ACTIVE_ENERGY) == D("1235.00")
            voltage = await client.read(PANEL, PHASE_A_VOLTAGE)
            assert (voltage.value, voltage.unit) == (D("230.0"), "V")
            assert await client.read_address() == PANEL
            meter.advance(D("10.01"))
            assert await client.read_energy(PANEL) == D("1244.57")

    run(body)


def test_several_meters_on_one_bus() -> None:
    panel, battery = _meter(PANEL, "100.00"), _meter(BATTERY, "200.00")

    async def body() -> None:
        async with (
            simulate([panel, battery]) as sim,
            Dlt645Client(sim.host, sim.port, **FAST) as client,
        ):
            assert await client.read_energy(PANEL) == D("100.00")
            assert await client.read_energy(BATTERY) == D("200.00")
            # two meters answer a wildcard: a real bus garbles it, the simulator stays silent
            with pytest.raises(MeterTimeout):
                await client.read_address()
            # a shortened address selecting one meter works
            assert await client.read_energy(MeterAddress("AAAAAAAA0162")) == D("200.00")

    run(body)


def test_abnormal_reply_is_not_retried() -> None:
    meter = _meter()

    async def body() -> None:
        async with simulate([meter]) as sim, Dlt645Client(sim.host, sim.port, **FAST) as client:
            with pytest.raises(MeterRefused) as info:
                await client.read(PANEL, DataId.parse("00010100"))
            assert info.value.code == 0x02
            assert info.value.reasons == ("no requested data (无请求数据)",)
            assert meter.requests == 1

    run(body)


def test_retries_after_silence_and_corrupt_replies() -> None:
    meter = _meter()

    async def body() -> None:
        async with (
            simulate([meter]) as sim,
            Dlt645Client(sim.host, sim.port, timeout=0.25, retries=2) as client,
        ):
            meter.silent = 1
            assert await client.read_energy(PANEL) == D("1234.56")
            assert meter.requests == 2
            meter.corrupt = 2
            assert await client.read_energy(PANEL) == D("1234.56")
            assert meter.requests == 5
            meter.corrupt = 3
            with pytest.raises(FrameError) as info:
                await client.read_energy(PANEL)
            assert info.value.step == "frame.checksum"
            meter.silent = 3
            with pytest.raises(MeterTimeout, match="3 attempt"):
                await client.read_energy(PANEL)

    run(body)


def test_unaddressed_meter_times_out() -> None:
    async def body() -> None:
        async with simulate([_meter()]) as sim, Dlt645Client(sim.host, sim.port, **FAST) as client:
            with pytest.raises(MeterTimeout, match="000000000999"):
                await client.read_energy(MeterAddress.parse("999"))

    run(body)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def test_unreachable_gateway() -> None:
    port = _closed_port()

    async def body() -> None:
        with pytest.raises(MeterUnavailable, match=f"127.0.0.1:{port}"):
            async with Dlt645Client("127.0.0.1", port, **FAST) as client:
                await client.read_energy(PANEL)

    run(body)


def test_reconnects_after_the_gateway_restarts() -> None:
    meter = _meter()

    async def body() -> None:
        sim = MeterSimulator([meter])
        await sim.start()
        port = sim.port
        client = Dlt645Client("127.0.0.1", port, timeout=0.25, retries=3)
        await client.connect()
        assert await client.read_energy(PANEL) == D("1234.56")
        await sim.stop()
        restarted = MeterSimulator([meter], port=port)
        await restarted.start()
        try:
            assert await client.read_energy(PANEL) == D("1234.56")
        finally:
            await client.close()
            await restarted.stop()

    run(body)


def test_ignores_echo_and_stale_frames() -> None:
    """A gateway that echoes each request and then sends a stale reply to another
    register before the real one: the reader picks the answer to its request."""
    meter = _meter()

    async def echoing(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        buffer = FrameBuffer()
        try:
            while chunk := await reader.read(512):
                writer.write(chunk)  # echo
                buffer.feed(chunk)
                while (request := buffer.next_frame()) is not None:
                    stale = meter.answer(
                        request.__class__(request.address, request.control, ACTIVE_POWER.wire)
                    )
                    reply = meter.answer(request)
                    assert stale is not None
                    assert reply is not None
                    writer.write(b"\x55\xaa" + stale.encode() + reply.encode(DEFAULT_PREAMBLE))
                await writer.drain()
        finally:  # also when asyncio.run cancels this handler at the end of the test
            writer.close()

    async def body() -> None:
        server = await asyncio.start_server(echoing, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        try:
            async with Dlt645Client("127.0.0.1", port, **FAST) as client:
                assert await client.read_energy(PANEL) == D("1234.56")
        finally:
            server.close()
            await server.wait_closed()

    run(body)


def test_signed_reading_at_the_edge_verifies() -> None:
    key = SigningKey(bytes(range(32)))
    meter = _meter()
    at = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)
    point = MeterPoint("CQ-EM-11", PANEL)
    registration = MeterRegistration(
        device_id="CQ-EM-11",
        owner="91500112MA5UDP002F",
        public_key=bytes(key.verify_key),
        quantity="electricity",
        unit="kWh",
        register=point.register,
        calibrations=(
            CalibrationCertificate("Example Metrology Institute", "C-1", at.date(), at.date()),
        ),
        registered_at=datetime(2024, 1, 1, tzinfo=UTC),
    )

    async def body() -> None:
        async with simulate([meter]) as sim, Dlt645Client(sim.host, sim.port, **FAST) as client:
            first = await read_signed(client, point, key, clock=lambda: at)
            meter.advance(D("5.00"))
            second = await read_signed(client, point, key, clock=lambda: at.replace(hour=9))
        assert first.reading.register == "dlt645:00010000"
        assert verify_readings([first, second], registration).consumption == D("5.00")

    run(body)


def test_synchronous_helpers_with_a_threaded_simulator() -> None:
    key = SigningKey(bytes(range(32)))
    with simulate_in_thread([_meter()]) as sim:
        value = read_once(sim.host, sim.port, PANEL, **FAST)
        assert value.value == D("1234.56")
        signed = read_signed_once(sim.host, sim.port, MeterPoint("CQ-EM-11", PANEL), key, **FAST)
        assert signed.reading.counter == D("1234.56")
        assert signed.reading.time.tzinfo is not None


def test_command_line(tmp_path: Path) -> None:
    with simulate_in_thread([_meter()]) as sim:
        port = str(sim.port)
        out = io.StringIO()
        assert main(["read", "--port", port, "--json"], out=out) == 0
        doc = json.loads(out.getvalue())
        assert doc["address"] == "000000000161"
        assert doc["value"] == "1234.56"
        assert doc["unit"] == "kWh"
        keyfile = tmp_path / "device.json"
        out = io.StringIO()
        assert main(["keygen", "--out", str(keyfile), "--json"], out=out) == 0
        assert oct(keyfile.stat().st_mode & 0o777) == "0o600"
        key_id = json.loads(out.getvalue())["keyId"]
        assert main(["keygen", "--out", str(keyfile)], out=io.StringIO()) == 2  # no overwrite
        out = io.StringIO()
        args = ["sign", "--port", port, "--address", "161", "--device-id", "CQ-EM-11"]
        assert main([*args, "--key", str(keyfile), "--json"], out=out) == 0
        signed = json.loads(out.getvalue())
        assert signed["reading"]["keyId"] == key_id
        assert signed["reading"]["counter"] == "1234.56"
        timeout = ["read", "--port", port, "--address", "999", "--timeout", "0.1", "--retries", "0"]
        assert main(timeout, out=io.StringIO()) == 1
        assert main(["read", "--port", port, "--address", "12X"], out=io.StringIO()) == 2
        assert main(["read", "--port", port, "--data-id", "0400"], out=io.StringIO()) == 2
        assert main(["sign", *args[1:], "--key", str(tmp_path / "none")], out=io.StringIO()) == 2


@pytest.mark.integration
def test_simulate_command_runs_until_terminated() -> None:
    """``python -m gateway.meters simulate`` as a process: it serves reads and exits 0 on
    SIGTERM."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "gateway.meters", "simulate", "--json", "--meter", "161=42.00"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        port = json.loads(line)["port"]
        assert read_once("127.0.0.1", port, PANEL, **FAST).value == D("42.00")
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=20)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
