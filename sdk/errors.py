"""Errors raised by :mod:`sdk`.

One tree; errors from :mod:`anchors` pass through unchanged where they mean the same thing,
foreign exceptions (PyNaCl, httpx, web3) are wrapped at the boundary::

    SdkError
    ├── InvalidOrgId                  not a valid unified social credit code or URN
    ├── KeyFileError                  key file unreadable, wrong passphrase, bad format
    ├── CanonicalizationError         value cannot be RFC 8785 encoded (floats, NaN, …)
    ├── FootprintError                footprint document invalid; ``pointer`` names the field
    │   ├── UnitError                 incompatible or unknown units in a calculation
    │   └── MeteringError             meter reading, registration or citation malformed
    ├── FactorError                   unknown factor, bad factor set or national factor record
    ├── EtsDataError                  carbon-market (ETS) verified data malformed; ``where``
    ├── CertificateError              certificate malformed or status change refused; ``pointer``
    ├── VerificationError             a check failed; ``step`` (an :class:`sdk.Step`) names it
    ├── RegistryError                 participant / label registry call refused or failed
    │   └── RegistryRefused           the contract refused; ``reason`` = its custom error name
    ├── NodeClientError               the node answered with an error ``{code, message}``
    ├── RoleError                     a role's recipe cannot proceed (sdk.roles)
    └── EvidenceError                 a label evidence bundle is malformed (also ValueError)
    └── WalletError                   the organisation's wallet (tree in sdk.wallet.errors)
"""

from __future__ import annotations

from sdk._steps import Step


class SdkError(Exception):
    """Base class of every error raised by :mod:`sdk`."""


class InvalidOrgId(SdkError):
    """An organisation id is neither a valid unified social credit code nor a URN."""


class KeyFileError(SdkError):
    """A key file cannot be read: bad format, wrong passphrase, or tampered."""


class CanonicalizationError(SdkError):
    """A value cannot be canonicalized with RFC 8785 (floats, NaN, non-string keys)."""


class FootprintError(SdkError):
    """A footprint document is invalid; ``pointer`` is the JSON Pointer of the field."""

    def __init__(self, pointer: str, message: str) -> None:
        super().__init__(f"{pointer or '/'}: {message}")
        self.pointer = pointer
        self.reason = message


class UnitError(FootprintError):
    """Units in a calculation are unknown or incompatible."""


class MeteringError(FootprintError):
    """A meter reading, meter registration or an inventory line's citation of readings is
    malformed; ``pointer`` names the field (a JSON Pointer into its JSON form)."""


class FactorError(SdkError):
    """An emission factor is unknown or a factor set is malformed."""


class EtsDataError(SdkError):
    """A facility's verified carbon-market (ETS) data is malformed; ``where`` names the
    input row and field (``"row 3, column product_output"``, ``"/products/0/output"``)."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where
        self.reason = message


class CertificateError(SdkError):
    """A certificate is malformed (``pointer`` names the field) or a status change is not
    allowed from the certificate's current status."""

    def __init__(self, pointer: str, message: str) -> None:
        super().__init__(f"{pointer or '/'}: {message}")
        self.pointer = pointer
        self.reason = message


class VerificationError(SdkError):
    """A verification failed; ``step`` names the failed step, ``reason`` says why.

    ``step`` is always a member of the one vocabulary :class:`sdk.Step` (a ``StrEnum``,
    so it also compares equal to its text): the constructor takes a ``Step`` or its text
    and raises :class:`ValueError` for a name outside the vocabulary, so a misspelt step
    fails loudly in the code that raises it instead of in a report.
    """

    def __init__(self, step: str, reason: str) -> None:
        try:
            checked = Step(step)
        except ValueError:
            raise ValueError(
                f"{step!r} is not a verification step: add it to sdk.Step (sdk/_steps.py)"
            ) from None
        super().__init__(f"{checked}: {reason}")
        self.step: Step = checked
        self.reason = reason


class RegistryError(SdkError):
    """A participant or label registry call was refused or failed."""


class RegistryRefused(RegistryError):
    """A registry contract refused a call; ``reason`` is its custom error name, if decoded."""

    def __init__(self, message: str, reason: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason


class NodeClientError(SdkError):
    """The node answered with an error; ``status`` and ``code`` come from its JSON body."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message


class RoleError(SdkError):
    """A role's recipe (sdk.roles) cannot proceed: unknown recipient, unanswered request, …"""


class EvidenceError(SdkError, ValueError):
    """A label evidence bundle (``tanji.label-evidence``) is malformed; the message names
    the field. See docs/evidence.md."""
