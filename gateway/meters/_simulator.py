"""A DL/T 645-2007 meter simulator behind a serial-to-Ethernet gateway.

A serial server in transparent "TCP server" mode relays the raw bytes of an RS-485 bus:
the simulator listens on TCP and answers, for each simulated meter on its bus, exactly
as a meter does — silence for frames to other addresses or with a bad checksum, a
normal reply for a data identifier it has, an abnormal reply (error byte 02H, no
requested data) for one it has not. Counters are set by the caller
(:meth:`SimulatedMeter.set_energy`, :meth:`SimulatedMeter.advance`); faults can be
injected (no answer, corrupt checksum, delay) to exercise a reader's retries.

Used by the tests and by ``python -m gateway.meters simulate``; it binds 127.0.0.1 by
default and is not meant to face a network.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from gateway.meters._dlt645 import (
    ACTIVE_POWER,
    COMBINED_ACTIVE_ENERGY,
    COMMUNICATION_ADDRESS,
    DEFAULT_PREAMBLE,
    FORWARD_ACTIVE_ENERGY,
    METER_NUMBER,
    PHASE_A_CURRENT,
    PHASE_A_VOLTAGE,
    REVERSE_ACTIVE_ENERGY,
    DataId,
    Frame,
    FrameBuffer,
    Function,
    MeterAddress,
    abnormal_reply,
    read_address_reply,
    read_reply,
)
from gateway.meters.errors import DataFormatError, FrameError

#: Error byte of the abnormal reply to an unknown data identifier (no requested data).
NO_REQUESTED_DATA = 0x02
#: Error byte of the abnormal reply to a function the simulator does not implement.
OTHER_ERROR = 0x01


@dataclass
class SimulatedMeter:
    """One simulated meter: its address and registers.

    ``forward_energy`` / ``reverse_energy`` are the import / export active energy
    registers in kWh (two decimals); the combined register is their sum (the default
    combination characteristic word 05H). Fault injection: the next ``silent`` requests
    get no answer, the next ``corrupt`` replies carry a wrong checksum, every reply waits
    ``delay`` seconds.
    """

    address: MeterAddress
    forward_energy: Decimal = Decimal("0.00")
    reverse_energy: Decimal = Decimal("0.00")
    voltage: Decimal = Decimal("230.0")
    current: Decimal = Decimal("0.000")
    power: Decimal = Decimal("0.0000")
    meter_number: str | None = None
    silent: int = 0
    corrupt: int = 0
    delay: float = 0.0
    requests: int = field(default=0, init=False)

    def set_energy(self, forward: Decimal, reverse: Decimal | None = None) -> None:
        """Set the energy registers (kWh); they must fit the register format."""
        self.forward_energy = forward
        if reverse is not None:
            self.reverse_energy = reverse

    def advance(self, kwh: Decimal) -> None:
        """Count ``kwh`` more imported energy."""
        self.forward_energy += kwh

    def registers(self) -> dict[DataId, Decimal | str]:
        """The values this meter reports, by data identifier."""
        return {
            COMBINED_ACTIVE_ENERGY: self.forward_energy + self.reverse_energy,
            FORWARD_ACTIVE_ENERGY: self.forward_energy,
            REVERSE_ACTIVE_ENERGY: self.reverse_energy,
            PHASE_A_VOLTAGE: self.voltage,
            PHASE_A_CURRENT: self.current,
            ACTIVE_POWER: self.power,
            COMMUNICATION_ADDRESS: self.address.digits,
            METER_NUMBER: self.meter_number or self.address.digits,
        }

    def answer(self, request: Frame) -> Frame | None:
        """The meter's reply to ``request`` addressed to it (None: stays silent)."""
        function = request.control.function
        if function == Function.READ_ADDRESS:
            return read_address_reply(self.address)
        if function == Function.BROADCAST_TIME:
            return None  # broadcast commands get no reply
        if function != Function.READ_DATA:
            return abnormal_reply(self.address, function, OTHER_ERROR)
        if len(request.data) < 4:
            return abnormal_reply(self.address, function, OTHER_ERROR)
        data_id = DataId.from_wire(request.data[:4])
        value = self.registers().get(data_id)
        if value is None:
            return abnormal_reply(self.address, function, NO_REQUESTED_DATA)
        try:
            return read_reply(self.address, data_id, value)
        except DataFormatError:
            return abnormal_reply(self.address, function, OTHER_ERROR)


class MeterSimulator:
    """An asyncio TCP server relaying a simulated RS-485 bus of DL/T 645 meters.

    ``async with MeterSimulator([meter]) as sim:`` listens on ``sim.host``/``sim.port``
    (port 0 picks a free one). A frame addressed to one meter (or matching exactly one
    meter through AA wildcards) is answered by it; to none or several, by none.
    """

    def __init__(
        self, meters: Iterable[SimulatedMeter], *, host: str = "127.0.0.1", port: int = 0
    ) -> None:
        self.meters = {m.address.digits: m for m in meters}
        self.host = host
        self._port = port
        self._server: asyncio.base_events.Server | None = None
        self._transports: set[asyncio.BaseTransport] = set()
        self._closing = False

    @property
    def port(self) -> int:
        """The TCP port listened on (after :meth:`start`)."""
        if self._server is None:
            raise RuntimeError("the simulator is not started")
        port: int = self._server.sockets[0].getsockname()[1]
        return port

    async def start(self) -> None:
        """Start listening."""
        loop = asyncio.get_running_loop()
        self._closing = False
        self._server = await loop.create_server(lambda: _BusProtocol(self), self.host, self._port)

    async def stop(self) -> None:
        """Stop listening and close every connection."""
        if self._server is None:
            return
        # Connections are tracked from connection_made (synchronous), and one made while
        # stopping closes itself, so no socket outlives the simulator.
        self._closing = True
        self._server.close()
        for transport in list(self._transports):
            transport.close()
        await self._server.wait_closed()
        await asyncio.sleep(0)  # let the transports' connection_lost close their sockets
        self._server = None

    async def __aenter__(self) -> MeterSimulator:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def _target(self, address: MeterAddress) -> SimulatedMeter | None:
        if not address.is_wildcard:
            return self.meters.get(address.digits)
        selected = [m for m in self.meters.values() if address.matches(m.address)]
        return selected[0] if len(selected) == 1 else None

    def _reply(self, request: Frame) -> tuple[bytes, float] | None:
        """The bytes the bus carries back for ``request`` and the delay, if any meter answers."""
        if request.control.from_meter:
            return None  # another meter's reply on the shared bus
        meter = self._target(request.address)
        if meter is None:
            return None
        meter.requests += 1
        if meter.silent > 0:
            meter.silent -= 1
            return None
        reply = meter.answer(request)
        if reply is None:
            return None
        data = bytearray(reply.encode(DEFAULT_PREAMBLE))
        if meter.corrupt > 0:
            meter.corrupt -= 1
            data[-2] ^= 0xFF
        return bytes(data), meter.delay


class _BusProtocol(asyncio.Protocol):
    """One TCP connection to the simulated gateway."""

    def __init__(self, simulator: MeterSimulator) -> None:
        self._simulator = simulator
        self._buffer = FrameBuffer()
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        if self._simulator._closing:
            transport.close()
            return
        self._transport = transport
        self._simulator._transports.add(transport)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._transport is not None:
            self._simulator._transports.discard(self._transport)

    def data_received(self, data: bytes) -> None:
        self._buffer.feed(data)
        while True:
            try:
                request = self._buffer.next_frame()
            except FrameError:
                continue  # a meter ignores a frame it cannot read
            if request is None:
                return
            answer = self._simulator._reply(request)
            if answer is None:
                continue
            reply, delay = answer
            if delay:
                asyncio.get_running_loop().call_later(delay, self._send, reply)
            else:
                self._send(reply)

    def _send(self, data: bytes) -> None:
        if self._transport is not None and not self._transport.is_closing():
            self._transport.write(data)


@contextlib.asynccontextmanager
async def simulate(
    meters: Iterable[SimulatedMeter], *, host: str = "127.0.0.1", port: int = 0
) -> AsyncIterator[MeterSimulator]:
    """``async with simulate([...]) as sim``: a started :class:`MeterSimulator`."""
    simulator = MeterSimulator(meters, host=host, port=port)
    await simulator.start()
    try:
        yield simulator
    finally:
        await simulator.stop()


@contextlib.contextmanager
def simulate_in_thread(
    meters: Iterable[SimulatedMeter], *, host: str = "127.0.0.1", port: int = 0
) -> Iterator[MeterSimulator]:
    """A simulator on its own event loop in a background thread, for synchronous callers
    (a demo, a test that reads with :func:`~gateway.meters.read_once`). Stopped and the
    thread joined on exit."""
    simulator = MeterSimulator(meters, host=host, port=port)
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="dlt645-simulator", daemon=True)
    thread.start()
    try:
        asyncio.run_coroutine_threadsafe(simulator.start(), loop).result(timeout=10)
        yield simulator
    finally:
        with contextlib.suppress(TimeoutError):  # a stuck stop must not keep the thread
            asyncio.run_coroutine_threadsafe(_shutdown(simulator), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()


async def _shutdown(simulator: MeterSimulator) -> None:
    """Stop ``simulator`` and wind its loop down as :func:`asyncio.run` does: cancel what
    is left (e.g. a connection being accepted, whose transport then closes) and let the
    closing callbacks run before the loop stops."""
    await simulator.stop()
    current = asyncio.current_task()
    pending = [t for t in asyncio.all_tasks() if t is not current]
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    await asyncio.sleep(0)
