"""A DL/T 645-2007 reader over TCP (a serial-to-Ethernet gateway in front of the meters).

One request at a time (RS-485 is half duplex): send the frame after the FEH wake-up
bytes, then wait for the reply from the addressed meter to that function (and, for a
read, that data identifier), ignoring anything else on the line — the echo of the
request some gateways return, a late reply to an earlier request, noise. A timeout or a
corrupt reply is retried (``retries`` more attempts), reconnecting if the connection
dropped; an abnormal reply is the meter's answer and is not retried.

Errors (:mod:`gateway.meters.errors`): ``MeterTimeout``, ``FrameError`` (every attempt
got a corrupt reply; ``step`` names the part), ``MeterRefused`` (abnormal reply, with the
error bits), ``UnexpectedReply`` (follow-up frames, short data), ``MeterUnavailable``
(cannot connect; the ``OSError`` is chained).
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from decimal import Decimal

from gateway.meters._dlt645 import (
    DEFAULT_PREAMBLE,
    FORWARD_ACTIVE_ENERGY,
    DataId,
    Frame,
    FrameBuffer,
    Function,
    MeterAddress,
    data_format,
    decode_value,
    error_reasons,
    read_address_request,
    read_request,
)
from gateway.meters.errors import (
    FrameError,
    MeterError,
    MeterRefused,
    MeterTimeout,
    MeterUnavailable,
    UnexpectedReply,
)

DEFAULT_TIMEOUT = 2.0
DEFAULT_RETRIES = 2


@dataclass(frozen=True)
class MeterValue:
    """A value read from a meter: which meter and register, the decoded value (Decimal,
    or a digit string for addresses), its unit and the register's name."""

    address: MeterAddress
    data_id: DataId
    value: Decimal | str
    unit: str
    name: str


class Dlt645Client:
    """Reads DL/T 645 meters through a TCP gateway at ``host``:``port``.

    ``timeout`` seconds per attempt, ``retries`` further attempts after a timeout or a
    corrupt reply, ``connect_timeout`` for opening the connection. Use as an async
    context manager, or call :meth:`connect` / :meth:`close`.
    """

    def __init__(
        self,
        host: str,
        port: int,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = DEFAULT_RETRIES,
        connect_timeout: float = 5.0,
        preamble: int = DEFAULT_PREAMBLE,
    ) -> None:
        if timeout <= 0 or connect_timeout <= 0:
            raise ValueError("timeouts must be positive")
        if retries < 0:
            raise ValueError("retries must be 0 or more")
        self.host = host
        self.port = port
        self.timeout = timeout
        self.retries = retries
        self.connect_timeout = connect_timeout
        self.preamble = preamble
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._buffer = FrameBuffer()
        self._lock = asyncio.Lock()

    async def __aenter__(self) -> Dlt645Client:
        await self.connect()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def connect(self) -> None:
        """Open the connection (a no-op when open). Raises MeterUnavailable."""
        if self._writer is not None:
            return
        try:
            self._reader, self._writer = await asyncio.wait_for(
                asyncio.open_connection(self.host, self.port), self.connect_timeout
            )
        except (OSError, TimeoutError) as exc:
            raise MeterUnavailable(
                f"cannot connect to the meter gateway at {self.host}:{self.port}: "
                f"{exc or 'timeout'}"
            ) from exc

    async def close(self) -> None:
        """Close the connection."""
        writer, self._reader, self._writer = self._writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    async def transact(self, request: Frame) -> Frame:
        """Send ``request`` and return the meter's reply to it (normal or abnormal),
        retrying timeouts and corrupt replies. Raises MeterTimeout, FrameError or
        MeterUnavailable after the last attempt."""
        async with self._lock:
            attempts = self.retries + 1
            last: MeterError | None = None
            for _attempt in range(attempts):
                try:
                    await self.connect()
                    return await self._attempt(request)
                except TimeoutError:
                    last = MeterTimeout(
                        f"no reply from meter {request.address} within {self.timeout} s "
                        f"({attempts} attempt(s))"
                    )
                except FrameError as exc:
                    last = FrameError(exc.step, f"{exc.reason} ({attempts} attempt(s))")
                except (OSError, EOFError) as exc:
                    await self.close()
                    last = MeterUnavailable(
                        f"connection to {self.host}:{self.port} lost: {exc or 'closed'}"
                    )
                except MeterUnavailable as exc:
                    last = exc
            assert last is not None
            raise last

    async def _attempt(self, request: Frame) -> Frame:
        assert self._reader is not None
        assert self._writer is not None
        self._buffer.clear()
        self._writer.write(request.encode(self.preamble))
        await self._writer.drain()
        # a corrupt frame raises FrameError: the meter will not resend, so the attempt
        # ends and transact() retries at once instead of waiting out the timeout
        async with asyncio.timeout(self.timeout):
            while True:
                while (frame := self._buffer.next_frame()) is not None:
                    if _answers(request, frame):
                        return frame
                chunk = await self._reader.read(512)
                if not chunk:
                    raise EOFError("the gateway closed the connection")
                self._buffer.feed(chunk)

    async def read(self, address: MeterAddress, data_id: DataId) -> MeterValue:
        """Read register ``data_id`` of the meter at ``address`` and decode it.

        Raises MeterRefused (abnormal reply: e.g. no requested data), UnexpectedReply,
        DataFormatError (unknown identifier or bad BCD) and the errors of
        :meth:`transact`.
        """
        fmt = data_format(data_id)
        reply = await self.transact(read_request(address, data_id))
        if reply.control.abnormal:
            code = reply.data[0] if reply.data else 0
            raise MeterRefused(str(reply.address), code, error_reasons(code))
        if reply.control.follow_up:
            raise UnexpectedReply(f"meter {reply.address} sent follow-up frames for {data_id}")
        value = decode_value(data_id, reply.data[4:])
        return MeterValue(reply.address, data_id, value, fmt.unit, fmt.name)

    async def read_energy(
        self, address: MeterAddress, data_id: DataId = FORWARD_ACTIVE_ENERGY
    ) -> Decimal:
        """An energy register in kWh (forward active energy, total, by default).
        Raises UnexpectedReply if ``data_id`` is not a kWh register."""
        result = await self.read(address, data_id)
        if result.unit != "kWh" or not isinstance(result.value, Decimal):
            raise UnexpectedReply(f"{data_id} ({result.name}) is not an active energy register")
        return result.value

    async def read_address(self) -> MeterAddress:
        """The address of the only meter on the bus (read-address to AA…AA).
        Raises MeterTimeout when no meter, or more than one, answers."""
        reply = await self.transact(read_address_request())
        if reply.control.abnormal:
            code = reply.data[0] if reply.data else 0
            raise MeterRefused(str(reply.address), code, error_reasons(code))
        return MeterAddress.from_wire(reply.data[:6])


def _answers(request: Frame, reply: Frame) -> bool:
    """True when ``reply`` is the addressed meter's answer to ``request``."""
    if not reply.control.from_meter or reply.control.function != request.control.function:
        return False
    if not request.address.matches(reply.address):
        return False
    if request.control.function == Function.READ_DATA and not reply.control.abnormal:
        return reply.data[:4] == request.data[:4]
    return True


def read_once(
    host: str,
    port: int,
    address: MeterAddress,
    data_id: DataId = FORWARD_ACTIVE_ENERGY,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    retries: int = DEFAULT_RETRIES,
) -> MeterValue:
    """Synchronous one-shot read (connect, read, close) for callers without an event
    loop. Raises as :meth:`Dlt645Client.read`."""

    async def run() -> MeterValue:
        async with Dlt645Client(host, port, timeout=timeout, retries=retries) as client:
            return await client.read(address, data_id)

    return asyncio.run(run())
