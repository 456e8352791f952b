"""Chain time: block stamps in UNIX seconds, whatever unit the chain stamps blocks in.

Ethereum clients stamp blocks in seconds; FISCO BCOS stamps them in milliseconds. Tanji's
contracts convert ``block.timestamp`` with ``ChainTime.nowSeconds`` (contracts/src), so
every time stored on chain is in seconds; this module applies the same rule to the block
headers the client reads, so chain times compare in one unit everywhere.
"""

from __future__ import annotations

from datetime import UTC, datetime

MILLISECONDS_FROM = 10**11
"""Block stamps at or above this are milliseconds (``ChainTime.MILLISECONDS_FROM``): a
seconds clock reaches 10^11 in the year 5138, a milliseconds clock passed it in 1973."""


def block_time_seconds(stamp: int) -> int:
    """The UNIX seconds of block stamp ``stamp`` (seconds, or milliseconds truncated).

    Raises ValueError for a negative or non-integer stamp.
    """
    if isinstance(stamp, bool) or not isinstance(stamp, int) or stamp < 0:
        raise ValueError(f"a block timestamp is a non-negative integer, got {stamp!r}")
    return stamp if stamp < MILLISECONDS_FROM else stamp // 1000


def later_of(at: datetime, chain_seconds: int) -> datetime:
    """The later of the aware time ``at`` and chain time ``chain_seconds`` (UNIX seconds).

    Chain time is the clock of anchoring: a check of "anchored before now" takes now no
    earlier than the chain's latest block, whose clock may run ahead of this machine's.
    Raises ValueError for a naive ``at``.
    """
    if at.utcoffset() is None:
        raise ValueError("naive datetime refused; pass a timezone-aware time")
    chain = datetime.fromtimestamp(chain_seconds, UTC)
    return chain if chain > at else at
