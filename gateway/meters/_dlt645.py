"""DL/T 645-2007, the communication protocol of China's multi-function electricity meters:
frames, addresses, data identifiers and value formats. Pure: bytes in, values out.

Frame (every field one byte unless said)::

    [FE FE FE FE]  68  A0 A1 A2 A3 A4 A5  68  C  L  DATA(L bytes)  CS  16
    wake-up        start  address, low     start ctl len  each +33H  sum  end
    preamble       byte first, BCD                                    mod 256

- Address: 12 BCD digits, least significant byte first; ``AA`` bytes are wildcards
  (``AAAAAAAAAAAA`` asks the one meter on the bus for its address), ``999999999999`` is
  broadcast.
- Control code C: D7 direction (1 = reply from the meter), D6 abnormal reply, D5 more
  frames follow, D4–D0 function (11H read data, 12H read follow-up, 13H read address, …).
- DATA: every byte is sent plus 33H (mod 256) and read minus 33H. A read-data request
  carries the 4-byte data identifier DI3 DI2 DI1 DI0, sent DI0 first; the normal reply
  (91H) carries the identifier and the value, the abnormal reply (D1H) one error byte.
- CS: sum of every byte from the first 68H through DATA, mod 256.

Values are BCD, least significant byte first, with a fixed number of decimals per data
identifier: energy ``XXXXXX.XX`` kWh in 4 bytes (the combined registers use the top bit
of the most significant byte as the sign), voltage ``XXX.X`` V, current ``XXX.XXX`` A,
power ``XX.XXXX`` kW, communication address 12 digits. Errors:
:class:`~gateway.meters.errors.FrameError` (``step``) and
:class:`~gateway.meters.errors.DataFormatError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import IntEnum

from gateway.meters.errors import DataFormatError, FrameError

PREAMBLE = 0xFE
START = 0x68
END = 0x16
DATA_OFFSET = 0x33
#: Longest DATA field a read reply may carry (DL/T 645-2007 §7.1).
MAX_DATA_LENGTH = 200
#: Fixed bytes of a frame around DATA: 68, 6 address, 68, C, L, CS, 16.
FRAME_OVERHEAD = 12
#: Wake-up bytes a master sends before a frame.
DEFAULT_PREAMBLE = 4

#: Bits of the abnormal reply's error byte (DL/T 645-2007 table "错误信息字").
ERROR_BITS: tuple[tuple[int, str], ...] = (
    (0x01, "other error (其他错误)"),
    (0x02, "no requested data (无请求数据)"),
    (0x04, "password error or unauthorised (密码错/未授权)"),
    (0x08, "communication rate cannot be changed (通信速率不能更改)"),
    (0x10, "annual time zones exceeded (年时区数超)"),
    (0x20, "daily time periods exceeded (日时段数超)"),
    (0x40, "tariffs exceeded (费率数超)"),
)
_ADDRESS = re.compile(r"(?:[0-9]{2}|AA){6}")


class Function(IntEnum):
    """Function codes (control code bits D4–D0)."""

    BROADCAST_TIME = 0x08
    READ_DATA = 0x11
    READ_FOLLOW_UP = 0x12
    READ_ADDRESS = 0x13
    WRITE_DATA = 0x14
    WRITE_ADDRESS = 0x15
    FREEZE = 0x16
    CHANGE_BAUD_RATE = 0x17
    CHANGE_PASSWORD = 0x18
    CLEAR_MAX_DEMAND = 0x19
    CLEAR_METER = 0x1A
    CLEAR_EVENTS = 0x1B


@dataclass(frozen=True)
class Control:
    """A control code: ``function`` and the three flag bits."""

    function: int
    from_meter: bool = False
    abnormal: bool = False
    follow_up: bool = False

    def __post_init__(self) -> None:
        if not 0 <= self.function <= 0x1F:
            raise FrameError("frame.control", f"function 0x{self.function:02X} is not 5 bits")

    @property
    def byte(self) -> int:
        """The control code byte."""
        return (
            self.function
            | (0x80 if self.from_meter else 0)
            | (0x40 if self.abnormal else 0)
            | (0x20 if self.follow_up else 0)
        )

    @classmethod
    def from_byte(cls, value: int) -> Control:
        """Decode a control code byte."""
        return cls(value & 0x1F, bool(value & 0x80), bool(value & 0x40), bool(value & 0x20))


@dataclass(frozen=True)
class MeterAddress:
    """A meter's communication address: 12 characters, each byte two BCD digits or
    ``AA`` (wildcard), written most significant byte first as printed on the meter."""

    digits: str

    def __post_init__(self) -> None:
        if not isinstance(self.digits, str) or not _ADDRESS.fullmatch(self.digits):
            raise FrameError(
                "frame.address",
                f"an address is 12 BCD digits (bytes may be AA wildcards), got {self.digits!r}",
            )

    @classmethod
    def parse(cls, text: str) -> MeterAddress:
        """An address from text, left-padded with zeros to 12 digits (``"1"`` →
        ``000000000001``); ``AA`` wildcards upper-cased. Raises FrameError."""
        cleaned = text.strip().upper()
        if cleaned.isdigit() and len(cleaned) < 12:
            cleaned = cleaned.zfill(12)
        return cls(cleaned)

    @property
    def wire(self) -> bytes:
        """The 6 address bytes as sent: least significant byte first."""
        pairs = [self.digits[i : i + 2] for i in range(0, 12, 2)]
        return bytes(0xAA if p == "AA" else int(p, 16) for p in reversed(pairs))

    @classmethod
    def from_wire(cls, data: bytes) -> MeterAddress:
        """Decode 6 address bytes (least significant first); raises FrameError."""
        if len(data) != 6:
            raise FrameError("frame.address", f"an address is 6 bytes, got {len(data)}")
        pairs = []
        for byte in reversed(data):
            if byte == 0xAA:
                pairs.append("AA")
            elif (byte >> 4) > 9 or (byte & 0x0F) > 9:
                raise FrameError("frame.address", f"byte 0x{byte:02X} is not BCD")
            else:
                pairs.append(f"{byte:02X}")
        return cls("".join(pairs))

    @property
    def is_wildcard(self) -> bool:
        """True when any byte is an ``AA`` wildcard."""
        return "AA" in [self.digits[i : i + 2] for i in range(0, 12, 2)]

    def matches(self, other: MeterAddress) -> bool:
        """True when ``other`` (a meter's full address) is selected by this address,
        wildcard bytes matching anything."""
        return all(
            mine == "AA" or mine == theirs
            for mine, theirs in zip(
                (self.digits[i : i + 2] for i in range(0, 12, 2)),
                (other.digits[i : i + 2] for i in range(0, 12, 2)),
                strict=True,
            )
        )

    def __str__(self) -> str:
        return self.digits


#: The wildcard address a master uses to read the address of the only meter on a bus.
WILDCARD_ADDRESS = MeterAddress("AAAAAAAAAAAA")
#: The broadcast address (broadcast time synchronisation; meters do not reply).
BROADCAST_ADDRESS = MeterAddress("999999999999")


@dataclass(frozen=True)
class Frame:
    """One frame: address, control code and DATA as meant (before the +33H offset)."""

    address: MeterAddress
    control: Control
    data: bytes = b""

    def __post_init__(self) -> None:
        if len(self.data) > MAX_DATA_LENGTH:
            raise FrameError(
                "frame.length", f"DATA is {len(self.data)} bytes, at most {MAX_DATA_LENGTH}"
            )

    def encode(self, preamble: int = 0) -> bytes:
        """The frame's bytes, after ``preamble`` wake-up bytes FEH."""
        body = bytearray([START, *self.address.wire, START, self.control.byte, len(self.data)])
        body.extend((b + DATA_OFFSET) & 0xFF for b in self.data)
        body.append(sum(body) & 0xFF)
        body.append(END)
        return bytes([PREAMBLE] * preamble) + bytes(body)


def decode_frame(data: bytes) -> Frame:
    """Decode exactly one frame, optionally preceded by FEH wake-up bytes.

    Raises :class:`~gateway.meters.errors.FrameError` naming the failed part:
    ``frame.start`` (no 68H where one belongs), ``frame.address`` (not BCD),
    ``frame.length`` (L does not match the bytes), ``frame.checksum``, ``frame.end``.
    """
    i = 0
    while i < len(data) and data[i] == PREAMBLE:
        i += 1
    frame, used = _parse_at(data, i)
    if frame is None:
        raise FrameError("frame.length", f"{len(data) - i} bytes is shorter than the frame")
    if i + used != len(data):
        raise FrameError("frame.length", f"{len(data) - i - used} bytes after the end byte")
    return frame


def _parse_at(data: bytes, i: int) -> tuple[Frame | None, int]:
    """Parse a frame starting at ``data[i]`` (a 68H); (None, 0) when more bytes are needed."""
    available = len(data) - i
    if available < 1:
        return None, 0
    if data[i] != START:
        raise FrameError("frame.start", f"expected 68H, got {data[i]:02X}H")
    if available < 10:
        return None, 0
    if data[i + 7] != START:
        raise FrameError("frame.start", f"expected the second 68H, got {data[i + 7]:02X}H")
    length = data[i + 9]
    if length > MAX_DATA_LENGTH:
        raise FrameError("frame.length", f"L = {length} exceeds {MAX_DATA_LENGTH}")
    total = FRAME_OVERHEAD + length
    if available < total:
        return None, 0
    body = data[i : i + 10 + length]
    checksum = data[i + 10 + length]
    if sum(body) & 0xFF != checksum:
        raise FrameError(
            "frame.checksum", f"CS is {checksum:02X}H, the bytes sum to {sum(body) & 0xFF:02X}H"
        )
    if data[i + 11 + length] != END:
        raise FrameError("frame.end", f"expected 16H, got {data[i + 11 + length]:02X}H")
    address = MeterAddress.from_wire(bytes(data[i + 1 : i + 7]))
    payload = bytes((b - DATA_OFFSET) & 0xFF for b in data[i + 10 : i + 10 + length])
    return Frame(address, Control.from_byte(data[i + 8]), payload), total


class FrameBuffer:
    """Reassembles frames from a byte stream (TCP delivers arbitrary chunks).

    :meth:`feed` bytes, then call :meth:`next_frame` until it returns None. Bytes before
    a start byte (wake-up FEH, line noise) are skipped. A corrupt frame raises
    :class:`~gateway.meters.errors.FrameError` once and its bytes are dropped, so the
    stream resynchronises on the next 68H.
    """

    def __init__(self) -> None:
        self._data = bytearray()

    def feed(self, chunk: bytes) -> None:
        """Append received bytes."""
        self._data.extend(chunk)

    def clear(self) -> None:
        """Forget buffered bytes (before a new request)."""
        self._data.clear()

    def next_frame(self) -> Frame | None:
        """The next complete frame, or None until more bytes arrive; raises FrameError
        for a corrupt frame (after dropping it)."""
        while True:
            start = self._data.find(START)
            if start < 0:
                self._data.clear()
                return None
            del self._data[:start]
            try:
                frame, used = _parse_at(bytes(self._data), 0)
            except FrameError as exc:
                if exc.step == "frame.start":
                    del self._data[:1]  # a stray 68H, not a frame: look further
                    continue
                # a frame whose checksum fails is dropped whole (its bytes are no frame
                # start); any other damage drops its start byte, to resynchronise
                whole = exc.step == "frame.checksum"
                del self._data[: FRAME_OVERHEAD + self._data[9] if whole else 1]
                raise
            if frame is None:
                return None
            del self._data[:used]
            return frame


# ---------------------------------------------------------------- data identifiers


@dataclass(frozen=True)
class DataFormat:
    """How a data identifier's value is coded: ``size`` BCD bytes with ``decimals``
    decimal places, ``signed`` when the top bit of the most significant byte is a sign,
    in ``unit``; ``digits`` for identifiers whose value is a digit string (addresses)."""

    name: str
    size: int
    decimals: int
    unit: str
    signed: bool = False
    digits: bool = False


@dataclass(frozen=True)
class DataId:
    """A 4-byte data identifier DI3 DI2 DI1 DI0, written ``"00010000"`` (DI3 first)."""

    value: int

    def __post_init__(self) -> None:
        if not 0 <= self.value <= 0xFFFFFFFF:
            raise DataFormatError(f"a data identifier is 4 bytes, got {self.value:#x}")

    @classmethod
    def parse(cls, text: str) -> DataId:
        """From 8 hex digits, DI3 first (spaces and dots allowed: ``00 01 00 00``)."""
        cleaned = text.replace(" ", "").replace(".", "")
        if not re.fullmatch(r"[0-9A-Fa-f]{8}", cleaned):
            raise DataFormatError(f"a data identifier is 8 hex digits, got {text!r}")
        return cls(int(cleaned, 16))

    @property
    def wire(self) -> bytes:
        """The identifier as sent: DI0 first."""
        return self.value.to_bytes(4, "little")

    @classmethod
    def from_wire(cls, data: bytes) -> DataId:
        """Decode 4 bytes, DI0 first."""
        if len(data) != 4:
            raise DataFormatError(f"a data identifier is 4 bytes, got {len(data)}")
        return cls(int.from_bytes(data, "little"))

    def __str__(self) -> str:
        return f"{self.value:08X}"

    @property
    def format(self) -> DataFormat:
        """The value format (see :func:`data_format`)."""
        return data_format(self)


#: 00 00 00 00 — combined active energy, total, current (组合有功总电能).
COMBINED_ACTIVE_ENERGY = DataId(0x00000000)
#: 00 01 00 00 — forward (import) active energy, total, current (正向有功总电能).
FORWARD_ACTIVE_ENERGY = DataId(0x00010000)
#: 00 02 00 00 — reverse (export) active energy, total, current (反向有功总电能).
REVERSE_ACTIVE_ENERGY = DataId(0x00020000)
#: 02 01 01 00 — phase A voltage.
PHASE_A_VOLTAGE = DataId(0x02010100)
#: 02 02 01 00 — phase A current.
PHASE_A_CURRENT = DataId(0x02020100)
#: 02 03 00 00 — total active power.
ACTIVE_POWER = DataId(0x02030000)
#: 04 00 04 01 — communication address (通信地址).
COMMUNICATION_ADDRESS = DataId(0x04000401)
#: 04 00 04 02 — meter number (表号).
METER_NUMBER = DataId(0x04000402)

_ENERGY_NAMES = {
    0x00: ("combined active energy", "kWh", True),
    0x01: ("forward active energy", "kWh", False),
    0x02: ("reverse active energy", "kWh", False),
    0x03: ("combined reactive energy 1", "kvarh", True),
    0x04: ("combined reactive energy 2", "kvarh", True),
    0x05: ("reactive energy quadrant I", "kvarh", False),
    0x06: ("reactive energy quadrant II", "kvarh", False),
    0x07: ("reactive energy quadrant III", "kvarh", False),
    0x08: ("reactive energy quadrant IV", "kvarh", False),
    0x09: ("forward apparent energy", "kVAh", False),
    0x0A: ("reverse apparent energy", "kVAh", False),
}


def data_format(data_id: DataId) -> DataFormat:
    """The value format of ``data_id``, for the identifiers this reader knows: the
    energy registers (DI3 = 00; DI2 00–0A; DI1 00 total or 01–3F tariff; DI0 00 current
    or 01–0C settlement day), phase voltages (02 01 01..03 00), currents
    (02 02 01..03 00), active power (02 03 00..03 00), communication address
    (04 00 04 01) and meter number (04 00 04 02). Raises DataFormatError for others."""
    di3, di2, di1, di0 = (
        (data_id.value >> 24) & 0xFF,
        (data_id.value >> 16) & 0xFF,
        (data_id.value >> 8) & 0xFF,
        data_id.value & 0xFF,
    )
    if di3 == 0x00 and di2 in _ENERGY_NAMES and di1 <= 0x3F and di0 <= 0x0C:
        name, unit, signed = _ENERGY_NAMES[di2]
        scope = "total" if di1 == 0 else f"tariff {di1}"
        when = "current" if di0 == 0 else f"settlement day {di0}"
        return DataFormat(f"{name}, {scope}, {when}", 4, 2, unit, signed)
    if di3 == 0x02 and di0 == 0x00:
        if di2 == 0x01 and 1 <= di1 <= 3:
            return DataFormat(f"phase {'ABC'[di1 - 1]} voltage", 2, 1, "V")
        if di2 == 0x02 and 1 <= di1 <= 3:
            return DataFormat(f"phase {'ABC'[di1 - 1]} current", 3, 3, "A", signed=True)
        if di2 == 0x03 and di1 <= 3:
            which = "total" if di1 == 0 else f"phase {'ABC'[di1 - 1]}"
            return DataFormat(f"{which} active power", 3, 4, "kW", signed=True)
    if data_id == COMMUNICATION_ADDRESS:
        return DataFormat("communication address", 6, 0, "", digits=True)
    if data_id == METER_NUMBER:
        return DataFormat("meter number", 6, 0, "", digits=True)
    raise DataFormatError(f"data identifier {data_id} is not one this reader knows")


def encode_value(data_id: DataId, value: Decimal | str) -> bytes:
    """``value`` in the BCD format of ``data_id``, least significant byte first.

    Decimals must fit exactly (no rounding: a meter register has a fixed resolution);
    raises DataFormatError for a value that does not fit.
    """
    fmt = data_format(data_id)
    if fmt.digits:
        if not isinstance(value, str) or not re.fullmatch(rf"[0-9]{{{fmt.size * 2}}}", value):
            raise DataFormatError(f"{fmt.name} is {fmt.size * 2} decimal digits, got {value!r}")
        return bytes(int(value[i : i + 2], 16) for i in range(0, len(value), 2))[::-1]
    if not isinstance(value, Decimal) or not value.is_finite():
        raise DataFormatError(f"{fmt.name} needs a finite Decimal, got {value!r}")
    scaled = value.scaleb(fmt.decimals)
    if scaled != scaled.to_integral_value():
        raise DataFormatError(f"{fmt.name} has {fmt.decimals} decimals, {value} has more")
    magnitude = abs(int(scaled))
    if value < 0 and not fmt.signed:
        raise DataFormatError(f"{fmt.name} cannot be negative")
    digits = f"{magnitude:0{fmt.size * 2}d}"
    limit_top = 7 if fmt.signed else 9
    if len(digits) > fmt.size * 2 or int(digits[0]) > limit_top:
        raise DataFormatError(f"{value} does not fit {fmt.name} ({fmt.size} BCD bytes)")
    raw = bytearray(int(digits[i : i + 2], 16) for i in range(0, len(digits), 2))
    if value < 0:
        raw[0] |= 0x80
    return bytes(reversed(raw))


def decode_value(data_id: DataId, raw: bytes) -> Decimal | str:
    """Decode ``raw`` (least significant byte first) in the format of ``data_id``: a
    :class:`Decimal` with the identifier's decimals, or a digit string for addresses and
    meter numbers. Raises DataFormatError for a wrong length or non-BCD bytes."""
    fmt = data_format(data_id)
    if len(raw) != fmt.size:
        raise DataFormatError(f"{fmt.name} is {fmt.size} bytes, got {len(raw)}")
    big = bytearray(reversed(raw))
    negative = False
    if fmt.signed and big[0] & 0x80:
        negative = True
        big[0] &= 0x7F
    for byte in big:
        if (byte >> 4) > 9 or (byte & 0x0F) > 9:
            raise DataFormatError(f"{fmt.name}: byte {byte:02X}H is not BCD")
    digits = big.hex()
    if fmt.digits:
        return digits
    value = Decimal(int(digits)).scaleb(-fmt.decimals)
    return -value if negative else value


# ---------------------------------------------------------------- requests and replies


def read_request(address: MeterAddress, data_id: DataId) -> Frame:
    """A read-data request (11H) for ``data_id`` from the meter at ``address``."""
    return Frame(address, Control(Function.READ_DATA), data_id.wire)


def read_reply(address: MeterAddress, data_id: DataId, value: Decimal | str) -> Frame:
    """The meter's normal reply (91H) to a read of ``data_id``: identifier + value."""
    return Frame(
        address,
        Control(Function.READ_DATA, from_meter=True),
        data_id.wire + encode_value(data_id, value),
    )


def abnormal_reply(address: MeterAddress, function: int, error: int) -> Frame:
    """A meter's abnormal reply (e.g. D1H) with its error byte."""
    return Frame(address, Control(function, from_meter=True, abnormal=True), bytes([error & 0xFF]))


def read_address_request() -> Frame:
    """A read-address request (13H) to the wildcard address."""
    return Frame(WILDCARD_ADDRESS, Control(Function.READ_ADDRESS))


def read_address_reply(address: MeterAddress) -> Frame:
    """A meter's reply (93H) to a read-address request: its address in DATA too."""
    return Frame(address, Control(Function.READ_ADDRESS, from_meter=True), address.wire)


def error_reasons(code: int) -> tuple[str, ...]:
    """The meanings of the bits set in an abnormal reply's error byte."""
    return tuple(text for bit, text in ERROR_BITS if code & bit)
