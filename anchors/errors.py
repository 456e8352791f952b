"""Errors raised by :mod:`anchors`.

One tree; foreign exceptions (web3, SQLAlchemy, transports) are wrapped at the boundary::

    AnchorsError
    ├── InvalidLogId                  a log id does not match [a-z0-9-]{1,64} (also ValueError)
    ├── ProofError                    a Merkle proof does not verify or is malformed
    │   ├── InclusionProofError
    │   └── ConsistencyProofError
    ├── LogError                      the log store refused an operation
    │   ├── LogIndexError             index or tree size out of range
    │   └── LogIntegrityError         stored data disagrees with itself
    ├── CheckpointError               a checkpoint note is malformed or its signature fails
    │   ├── CheckpointFormatError
    │   └── CheckpointSignatureError
    ├── InvalidChainSettings          a chain profile setting is malformed (also ValueError)
    └── ChainError                    anything that went wrong talking to a chain
        ├── ChainUnavailable          transport down, timeout, node unreachable
        ├── TransactionReverted       the chain refused the transaction (reason attached)
        ├── ContractNotFound          no code at the address / unknown artifact
        └── NotAnchored               a head is neither anchored nor consistent with one
"""

from __future__ import annotations


class AnchorsError(Exception):
    """Base class of every error raised by :mod:`anchors`."""


class InvalidLogId(AnchorsError, ValueError):
    """A log id does not match ``[a-z0-9-]{1,64}``."""


class ProofError(AnchorsError):
    """A Merkle proof is malformed or does not lead to the expected root."""


class InclusionProofError(ProofError):
    """An inclusion proof does not verify."""


class ConsistencyProofError(ProofError):
    """A consistency proof does not verify."""


class LogError(AnchorsError):
    """The log refused an operation."""


class LogIndexError(LogError):
    """A leaf index or tree size is out of range."""


class LogIntegrityError(LogError):
    """The stored log disagrees with itself (a missing or conflicting node)."""


class CheckpointError(AnchorsError):
    """A checkpoint is malformed or its signature does not verify."""


class CheckpointFormatError(CheckpointError):
    """A checkpoint note does not follow the C2SP tlog-checkpoint / signed-note format."""


class CheckpointSignatureError(CheckpointError):
    """No trusted signature on a checkpoint verifies."""


class InvalidChainSettings(AnchorsError, ValueError):
    """A chain profile setting (:class:`~anchors.chain.ChainSettings`) is malformed."""


class ChainError(AnchorsError):
    """Something went wrong talking to the chain."""


class ChainUnavailable(ChainError):
    """The chain could not be reached (transport error, timeout)."""


class TransactionReverted(ChainError):
    """The chain refused a transaction; ``reason`` holds the revert reason when known."""

    def __init__(self, message: str, reason: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason


class ContractNotFound(ChainError):
    """No contract code at an address, or no artifact under a name."""


class NotAnchored(ChainError):
    """A (size, root) head is neither anchored nor consistent with an anchored head."""
