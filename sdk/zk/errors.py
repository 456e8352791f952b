"""Errors raised by :mod:`sdk.zk`.

One tree under :class:`sdk.errors.SdkError`; every error carries ``step`` (the check or
input that failed, e.g. ``rangeproof.bit``) and ``reason``. Exceptions of the libsodium
binding (``rbcl``) never escape: wire input is validated before it reaches libsodium::

    SdkError
    └── ZkError                        step + reason
        ├── ProofError                 a commitment, range proof or roll-up proof is refused
        │                              (also a sdk.errors.VerificationError, so verifiers
        │                              that report VerificationError steps report these)
        └── ZkInputError               a prover or a scaling function refuses its input
                                       (also a ValueError): value out of range, an opening
                                       that does not open its commitment, a declared total
                                       below the weighted sum

Steps (docs/commitments.md §6 lists them with the check each one names):
``commitment.point``, ``commitment.opening``, ``rangeproof.schema``, ``rangeproof.point``,
``rangeproof.scalar``, ``rangeproof.transcript``, ``rangeproof.sum``, ``rangeproof.bit``,
``rangeproof.digest`` (:func:`sdk.check_value_range_proof`: not the proof the statement
signs),
``rollup.schema``, ``rollup.scalar``, ``rollup.lines``, ``rollup.quantity``,
``rollup.upstream``, ``rollup.total``, ``rollup.sum``; inputs: ``scale.value``,
``scale.quantity``, ``scale.total``, ``rangeproof.value``, ``rollup.own``, ``arguments``.
"""

from __future__ import annotations

from sdk.errors import SdkError, VerificationError

__all__ = ["ProofError", "ZkError", "ZkInputError"]


class ZkError(SdkError):
    """Base of :mod:`sdk.zk` errors; ``step`` names what failed, ``reason`` says why."""

    def __init__(self, step: str, reason: str) -> None:
        # Not super(): in ProofError the next class is VerificationError(step, reason).
        SdkError.__init__(self, f"{step}: {reason}")
        self.step = step
        self.reason = reason


# ZkError.step is a str (input errors name inputs, not steps); here it is always a Step,
# which is a str: mypy cannot see that the narrower VerificationError.step wins.
class ProofError(ZkError, VerificationError):  # type: ignore[misc]
    """A commitment, range proof or roll-up proof (or its wire form) is refused.

    Its ``step`` is a member of :class:`sdk.Step` (checked as in ``VerificationError``).
    """

    def __init__(self, step: str, reason: str) -> None:
        VerificationError.__init__(self, step, reason)


class ZkInputError(ZkError, ValueError):
    """A prover or scaling function refuses its input; nothing was produced."""
