"""Errors raised by :mod:`sdk.wallet` (a branch of :class:`sdk.errors.SdkError`).

::

    SdkError
    └── WalletError                   the wallet cannot do what was asked
        ├── WalletNotFound            no wallet at that location (run ``tanji init``)
        ├── WalletExists              a wallet is already there (refusing to overwrite it)
        ├── WalletLocked              wrong passphrase, or the header was tampered with
        ├── WalletIntegrityError      a stored byte does not authenticate: ``table`` and
        │                             ``row`` name where (tampering or corruption)
        ├── WalletSchemaError         the database is not a wallet, or needs a newer Tanji
        ├── WalletConflict            the record contradicts one already stored
        ├── PassphraseUnavailable     no passphrase given (no prompt, variable or file)
        └── BackupError               a backup cannot be read, opened or restored

Database driver errors (SQLAlchemy, sqlite3, psycopg) and PyNaCl errors are wrapped at
this package's boundary; nothing else escapes.
"""

from __future__ import annotations

from sdk.errors import SdkError


class WalletError(SdkError):
    """Base class of the wallet's errors."""


class WalletNotFound(WalletError):
    """No wallet exists at the given location."""


class WalletExists(WalletError):
    """A wallet (or a backup target) already exists where a new one would be written."""


class WalletLocked(WalletError):
    """The passphrase does not open the wallet (wrong, or the header was altered)."""


class WalletIntegrityError(WalletError):
    """A stored value failed authentication: ``table`` and ``row`` say where."""

    def __init__(self, table: str, row: str, reason: str) -> None:
        super().__init__(f"wallet {table} {row}: {reason}")
        self.table = table
        self.row = row
        self.reason = reason


class WalletSchemaError(WalletError):
    """The database holds no wallet schema, or one newer than this Tanji knows."""


class WalletConflict(WalletError):
    """A record contradicts one already in the wallet (e.g. another secret for an id)."""


class PassphraseUnavailable(WalletError):
    """No passphrase could be obtained (not a terminal, no variable, no file)."""


class BackupError(WalletError):
    """A backup file is malformed, its passphrase is wrong, or it was tampered with."""


__all__ = [
    "BackupError",
    "PassphraseUnavailable",
    "WalletConflict",
    "WalletError",
    "WalletExists",
    "WalletIntegrityError",
    "WalletLocked",
    "WalletNotFound",
    "WalletSchemaError",
]
