"""Errors raised by :mod:`sdk`.

One tree; errors from :mod:`anchors` pass through unchanged where they mean the same thing,
foreign exceptions (PyNaCl, httpx, web3) are wrapped at the boundary::

    SdkError
    ├── InvalidOrgId                  not a valid unified social credit code or URN
    ├── KeyFileError                  key file unreadable, wrong passphrase, bad format
    ├── CanonicalizationError         value cannot be RFC 8785 encoded (floats, NaN, …)
    ├── FootprintError                footprint document invalid; ``pointer`` names the field
    │   └── UnitError                 incompatible or unknown units in a calculation
    ├── FactorError                   unknown factor, bad factor set
    ├── VerificationError             a check failed; ``step`` names it
    ├── RegistryError                 participant / label registry call refused or failed
    │   └── RegistryRefused           the contract refused; ``reason`` = its custom error name
    ├── NodeClientError               the node answered with an error ``{code, message}``
    ├── RoleError                     a role's recipe cannot proceed (sdk.roles)
    └── WalletError                   the organisation's wallet (tree in sdk.wallet.errors)
"""

from __future__ import annotations


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


class FactorError(SdkError):
    """An emission factor is unknown or a factor set is malformed."""


class VerificationError(SdkError):
    """A verification failed; ``step`` names the failed step, ``reason`` says why."""

    def __init__(self, step: str, reason: str) -> None:
        super().__init__(f"{step}: {reason}")
        self.step = step
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
