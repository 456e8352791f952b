"""The organisation's wallet: its durable, encrypted local store (DESIGN.md §9).

What it holds, per organisation: its keys (current, pending and rotated, so old envelopes
still open, and its EVM account); every attestation it published with the data key that
opens it (master salt, plaintext footprint and inventory) and the grants it gave; every
footprint it received (decrypted footprint, disclosures, whether it was attested and
where it came from); footprint requests in both directions with their state history; the
labels it issued or holds. A network profile (node and chain) rides along.

* :class:`Wallet` — SQLite file per organisation by default, a PostgreSQL URL for a
  firm's server; schema by the wallet's own Alembic migrations; every secret sealed with
  XChaCha20-Poly1305 under a key wrapped by argon2id(passphrase), every row
  authenticated; :meth:`Wallet.export_backup` / :meth:`Wallet.restore`.
* :class:`MemoryWallet` — the same interface, in this process only.
* :class:`WalletStore` — the interface :mod:`sdk.roles` stores through; write-ahead: a
  publication is stored ``pending`` before it is sent and ``logged`` after.
* :func:`read_passphrase` — from a file, ``$TANJI_PASSPHRASE`` / ``$TANJI_PASSPHRASE_FILE``,
  or a prompt.

The SQL parts load SQLAlchemy on first use only. Errors: :mod:`sdk.wallet.errors`.
"""

from __future__ import annotations

import typing

from sdk.wallet._memory import MemoryWallet
from sdk.wallet._passphrase import PASSPHRASE_ENV, PASSPHRASE_FILE_ENV, read_passphrase
from sdk.wallet._records import (
    GrantRecord,
    GrantState,
    KeyEntry,
    KeyKind,
    KeyState,
    LabelRecord,
    LabelRole,
    PublishedRecord,
    PublishState,
    ReceivedRecord,
    RequestDirection,
    RequestEvent,
    RequestRecord,
    RequestState,
    WalletStore,
    publication_input_digest,
)
from sdk.wallet.errors import (
    BackupError,
    PassphraseUnavailable,
    WalletConflict,
    WalletError,
    WalletExists,
    WalletIntegrityError,
    WalletLocked,
    WalletNotFound,
    WalletSchemaError,
)

if typing.TYPE_CHECKING:
    from sdk.wallet._store import (
        SCHEMA_REVISION,
        Wallet,
        make_wallet_engine,
        upgrade_wallet,
        wallet_url,
    )

_LAZY = {"SCHEMA_REVISION", "Wallet", "make_wallet_engine", "upgrade_wallet", "wallet_url"}


def __getattr__(name: str) -> typing.Any:
    # The SQL wallet pulls in SQLAlchemy; load it when first asked for, so importing the
    # records and the in-memory wallet (as sdk.roles does) stays cheap.
    if name in _LAZY:
        from sdk.wallet import _store

        value = getattr(_store, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'sdk.wallet' has no attribute {name!r}")


__all__ = [
    "PASSPHRASE_ENV",
    "PASSPHRASE_FILE_ENV",
    "SCHEMA_REVISION",
    "BackupError",
    "GrantRecord",
    "GrantState",
    "KeyEntry",
    "KeyKind",
    "KeyState",
    "LabelRecord",
    "LabelRole",
    "MemoryWallet",
    "PassphraseUnavailable",
    "PublishState",
    "PublishedRecord",
    "ReceivedRecord",
    "RequestDirection",
    "RequestEvent",
    "RequestRecord",
    "RequestState",
    "Wallet",
    "WalletConflict",
    "WalletError",
    "WalletExists",
    "WalletIntegrityError",
    "WalletLocked",
    "WalletNotFound",
    "WalletSchemaError",
    "WalletStore",
    "make_wallet_engine",
    "publication_input_digest",
    "read_passphrase",
    "upgrade_wallet",
    "wallet_url",
]
