"""Errors raised by :mod:`gateway.meters`.

One tree; socket errors are wrapped at the boundary (``MeterUnavailable``)::

    MeterError                    reading a meter failed
    ├── FrameError                bytes are not a well-formed DL/T 645 frame; ``step`` names
    │                             the part (frame.start, frame.address, frame.length,
    │                             frame.checksum, frame.end, frame.data)
    ├── DataFormatError           a value cannot be encoded or decoded for its data identifier
    ├── MeterRefused              the meter answered with an abnormal reply; ``code`` is its
    │                             error byte, ``reasons`` the bits set
    ├── UnexpectedReply           a well-formed reply that does not answer the request
    ├── MeterTimeout              no answer within the timeout after every attempt
    └── MeterUnavailable          cannot connect to the gateway, or the connection broke
"""

from __future__ import annotations


class MeterError(Exception):
    """Base class of every error raised by :mod:`gateway.meters`."""


class FrameError(MeterError):
    """Bytes are not a well-formed DL/T 645-2007 frame; ``step`` names the failed part."""

    def __init__(self, step: str, reason: str) -> None:
        super().__init__(f"{step}: {reason}")
        self.step = step
        self.reason = reason


class DataFormatError(MeterError):
    """A value does not fit, or raw bytes do not decode as, its data identifier's format."""


class MeterRefused(MeterError):
    """The meter answered with an abnormal reply (control code with D6 set)."""

    def __init__(self, address: str, code: int, reasons: tuple[str, ...]) -> None:
        super().__init__(
            f"meter {address} refused: {', '.join(reasons) or 'no reason given'} "
            f"(error byte 0x{code:02X})"
        )
        self.address = address
        self.code = code
        self.reasons = reasons


class UnexpectedReply(MeterError):
    """A well-formed frame that does not answer the request (another function, a follow-up
    frame the reader does not support)."""


class MeterTimeout(MeterError):
    """No answer within the timeout after every attempt."""


class MeterUnavailable(MeterError):
    """The gateway cannot be reached or the connection broke."""
