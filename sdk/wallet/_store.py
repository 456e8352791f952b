"""The organisation's durable wallet: encrypted, authenticated rows in SQLite or PostgreSQL.

See :mod:`sdk.wallet._crypto` for the scheme and :mod:`sdk.wallet._tables` for what is
sealed. Opening a wallet unwraps its key with the passphrase and then authenticates every
row and the ledger before anything is returned: a wrong passphrase is
:class:`WalletLocked`, any changed, added or removed row :class:`WalletIntegrityError`
naming the table and row. Every write is one transaction that also updates the ledger;
SQLite runs with ``synchronous=FULL`` so a committed write survives a crash of the
process or the machine.
"""

from __future__ import annotations

import contextlib
import hmac
import os
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from nacl.public import PrivateKey
from nacl.signing import SigningKey
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from sdk._attestation import Attestation
from sdk._canonical import b64decode, b64encode, canonical_json, loads_strict
from sdk._envelope import Envelope
from sdk._ids import OrgId
from sdk._keys import KdfParams, OrgKeys, Rng
from sdk.errors import InvalidOrgId, VerificationError
from sdk.wallet import _tables as t
from sdk.wallet._crypto import (
    KEY_SIZE,
    WALLET_FORMAT,
    Sealer,
    open_with_passphrase,
    seal_with_passphrase,
    xor,
)
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
    reopen,
    utc,
)
from sdk.wallet.errors import (
    BackupError,
    WalletConflict,
    WalletError,
    WalletExists,
    WalletIntegrityError,
    WalletLocked,
    WalletNotFound,
    WalletSchemaError,
)

if TYPE_CHECKING:
    from eth_account.signers.local import LocalAccount

DEFAULT_KDF = KdfParams()
"""argon2id cost of a wallet's passphrase unless told otherwise (the key files' default)."""
SCHEMA_REVISION = "w0001"
"""The newest wallet schema revision this code knows (Alembic head, checked by a test)."""
BACKUP_TYPE = "tanji.wallet-backup"
_LEDGER = "ledger"
_HEADER = "header"
_PROFILE = "profile"
_NO_SECRET = object()
_TAG_SIZE = 32


def wallet_url(location: str | os.PathLike[str]) -> str:
    """A SQLAlchemy URL for ``location``: URLs (``postgresql+psycopg://…``,
    ``sqlite:///…``) pass through, anything else is a path to a SQLite file."""
    text = os.fspath(location)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def _sqlite_path(url: str) -> Path | None:
    if not url.startswith("sqlite"):
        return None
    rest = url.split(":///", 1)[1] if ":///" in url else ""
    if not rest or rest == ":memory:":
        return None
    return Path(rest)


def _fmt(when: datetime | None) -> str | None:
    if when is None:
        return None
    return utc(when).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _time(text: Any) -> datetime:
    return datetime.strptime(str(text), "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def _opt_time(text: Any) -> datetime | None:
    return None if text is None else _time(text)


def _json(text: Any) -> Any:
    return loads_strict(str(text), "wallet column")


def _safe_url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def make_wallet_engine(url: str) -> Engine:
    """An engine for a wallet database. SQLite: WAL, ``synchronous=FULL`` (a committed
    write survives power loss too), a busy timeout, and writers that take the lock at
    ``BEGIN``. Raises :class:`WalletError` for a URL SQLAlchemy cannot use."""
    try:
        if url.startswith("sqlite"):
            engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

            @sa.event.listens_for(engine, "connect")
            def _pragmas(dbapi_conn: Any, _record: Any) -> None:
                dbapi_conn.isolation_level = None
                cur = dbapi_conn.cursor()
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA synchronous=FULL")
                cur.close()

            @sa.event.listens_for(engine, "begin")
            def _begin(conn: Any) -> None:
                # Every wallet transaction may write: take the write lock up front so two
                # processes queue instead of failing with "database is locked".
                conn.exec_driver_sql("BEGIN IMMEDIATE")

            return engine
        return sa.create_engine(url, pool_pre_ping=True)
    except (SQLAlchemyError, ValueError, ImportError) as exc:
        raise WalletError(f"cannot use wallet database URL: {exc}") from exc


def upgrade_wallet(engine: Engine) -> None:
    """Create or upgrade the wallet's tables to the newest revision (Alembic, version
    table ``wallet_alembic_version``). Raises :class:`WalletError` when the database
    cannot be reached or migrated."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).resolve().parent / "migrations"))
    try:
        with engine.connect() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            conn.commit()
    except SQLAlchemyError as exc:
        raise WalletError(f"cannot migrate the wallet at {_safe_url(engine)}: {exc}") from exc


class _Tx:
    """One write transaction: rows written through it update the ledger once at the end."""

    def __init__(self, wallet: Wallet, conn: Connection) -> None:
        self.wallet = wallet
        self.conn = conn
        self.count = 0
        self.delta = bytes(_TAG_SIZE)

    def insert(self, spec: t.TableSpec, row: dict[str, Any], secret: Any = _NO_SECRET) -> None:
        """Seal ``secret`` (if any), tag and insert ``row``."""
        pk = _pk(spec, row)
        if secret is not _NO_SECRET:
            row["secret"] = self.wallet._sealer.seal(spec.name, pk, secret, self.wallet._rng)
        row["tag"] = self.wallet._sealer.tag(spec.name, row)
        self.conn.execute(sa.insert(spec.table).values(**row))
        self.count += 1
        self.delta = xor(self.delta, row["tag"])

    def get(self, spec: t.TableSpec, **pk: Any) -> dict[str, Any] | None:
        """The row with primary key ``pk``, authenticated, or None."""
        where = [spec.table.c[name] == value for name, value in pk.items()]
        found = self.conn.execute(sa.select(spec.table).where(*where)).mappings().first()
        if found is None:
            return None
        row = dict(found)
        self.wallet._sealer.check(spec.name, _pk(spec, row), row)
        return row

    def update(
        self, spec: t.TableSpec, old: dict[str, Any], changes: Mapping[str, Any],
        secret: Any = _NO_SECRET,
    ) -> dict[str, Any]:  # fmt: skip
        """Apply ``changes`` to the authenticated row ``old``; re-tag it."""
        row = {**old, **changes}
        pk = _pk(spec, row)
        if secret is not _NO_SECRET:
            row["secret"] = self.wallet._sealer.seal(spec.name, pk, secret, self.wallet._rng)
        row["tag"] = self.wallet._sealer.tag(spec.name, row)
        where = [spec.table.c[name] == old[name] for name in spec.pk]
        values = {k: v for k, v in row.items() if k not in spec.pk}
        self.conn.execute(sa.update(spec.table).where(*where).values(**values))
        self.delta = xor(xor(self.delta, old["tag"]), row["tag"])
        return row

    def upsert(self, spec: t.TableSpec, row: dict[str, Any], secret: Any = _NO_SECRET) -> None:
        """Insert ``row``, or replace the row with its primary key."""
        old = self.get(spec, **{name: row[name] for name in spec.pk})
        if old is None:
            self.insert(spec, row, secret)
        else:
            self.update(spec, old, row, secret)


def _pk(spec: t.TableSpec, row: Mapping[str, Any]) -> str:
    return "/".join(str(row[name]) for name in spec.pk)


class Wallet:
    """An organisation's durable, encrypted store (a :class:`~sdk.wallet.WalletStore`).

    Make one with :meth:`create` or :meth:`restore`, reopen it with :meth:`open`; call
    :meth:`close` (or use it as a context manager) when done. Safe to use from several
    threads and processes at once (each write is one database transaction).
    """

    def __init__(
        self,
        engine: Engine,
        sealer: Sealer,
        wallet_key: bytes,
        header: dict[str, Any],
        org_id: OrgId,
        rng: Rng,
    ) -> None:
        self._engine = engine
        self._sealer = sealer
        self._wallet_key = wallet_key
        self._header = header
        self._org_id = org_id
        self._rng = rng

    def __repr__(self) -> str:
        return f"Wallet(org_id={str(self._org_id)!r}, url={_safe_url(self._engine)!r})"

    def __enter__(self) -> Wallet:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the database connections."""
        self._engine.dispose()

    @property
    def org_id(self) -> OrgId:
        """The organisation this wallet belongs to."""
        return self._org_id

    @property
    def url(self) -> str:
        """The database URL (password hidden)."""
        return _safe_url(self._engine)

    # ------------------------------------------------------------------ lifecycle

    @classmethod
    def create(
        cls,
        location: str | os.PathLike[str],
        passphrase: str | bytes,
        keys: OrgKeys,
        *,
        now: datetime,
        account_key: bytes | None = None,
        profile: Mapping[str, Any] | None = None,
        kdf: KdfParams = DEFAULT_KDF,
        rng: Rng = os.urandom,
    ) -> Wallet:
        """A new wallet at ``location`` holding ``keys`` (and the EVM ``account_key``,
        32 bytes) as the current keys, and ``profile`` (network settings, any JSON).

        Raises :class:`WalletExists` when a wallet (or any file) is already there and
        :class:`WalletError` when the database cannot be reached.
        """
        url = wallet_url(location)
        path = _sqlite_path(url)
        if path is not None:
            if path.exists() and path.stat().st_size > 0:
                raise WalletExists(f"{path} already exists; refusing to overwrite a wallet")
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            # Created by us, private to the user, before SQLite opens it.
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        engine = make_wallet_engine(url)
        try:
            if _revision(engine) is not None:
                raise WalletExists(f"a wallet already exists at {_safe_url(engine)}")
            upgrade_wallet(engine)
            wallet = cls._initialise(engine, passphrase, keys.org_id, kdf, rng, now)
            with wallet._write() as tx:
                for entry, secret in _key_rows(keys, account_key, now):
                    tx.insert(t.SPECS["wallet_keys"], entry, {"private": secret})
                if profile is not None:
                    wallet._put_profile(tx, profile)
        except BaseException:
            engine.dispose()
            if path is not None and _revision_safe(path) is None:
                path.unlink(missing_ok=True)
            raise
        return wallet

    @classmethod
    def _initialise(
        cls,
        engine: Engine,
        passphrase: str | bytes,
        org_id: OrgId,
        kdf: KdfParams,
        rng: Rng,
        now: datetime,
    ) -> Wallet:
        wallet_key = rng(KEY_SIZE)
        header = {"format": WALLET_FORMAT, "orgId": str(org_id), "createdAt": _fmt(now)}
        doc = seal_with_passphrase(header, wallet_key, passphrase, kdf, rng)
        sealer = Sealer.from_wallet_key(wallet_key)
        empty = bytes(_TAG_SIZE)
        ledger = {"count": 0, "xor": b64encode(empty)}
        with _guard(engine, "initialise"), engine.begin() as conn:
            conn.execute(
                sa.insert(t.meta).values(
                    name=_HEADER, value=canonical_json(doc).decode("utf-8"), tag=None
                )
            )
            conn.execute(
                sa.insert(t.meta).values(
                    name=_LEDGER,
                    value=canonical_json(ledger).decode("utf-8"),
                    tag=sealer.ledger_tag(0, empty),
                )
            )
        return cls(engine, sealer, wallet_key, doc, org_id, rng)

    @classmethod
    def open(
        cls, location: str | os.PathLike[str], passphrase: str | bytes, *, rng: Rng = os.urandom
    ) -> Wallet:
        """Open and authenticate the wallet at ``location``.

        Raises :class:`WalletNotFound`, :class:`WalletLocked` (wrong passphrase or altered
        header), :class:`WalletIntegrityError` (a row or the ledger does not
        authenticate), :class:`WalletSchemaError` (not a wallet, or a newer one) and
        :class:`WalletError` (database unreachable). Nothing is returned unless every row
        authenticates.
        """
        url = wallet_url(location)
        path = _sqlite_path(url)
        if path is not None and not path.exists():
            raise WalletNotFound(f"no wallet at {path}; create one with 'tanji init'")
        engine = make_wallet_engine(url)
        try:
            revision = _revision(engine)
            if revision is None:
                raise WalletNotFound(f"no wallet in the database at {_safe_url(engine)}")
            if revision != SCHEMA_REVISION:
                raise WalletSchemaError(
                    f"the wallet at {_safe_url(engine)} has schema {revision!r}; this Tanji "
                    f"knows up to {SCHEMA_REVISION!r}: upgrade Tanji"
                )
            with _guard(engine, "read the header"), engine.connect() as conn:
                value = conn.execute(
                    sa.select(t.meta.c.value).where(t.meta.c.name == _HEADER)
                ).scalar()
            if value is None:
                raise WalletIntegrityError("wallet_meta", _HEADER, "missing")
            try:
                doc = loads_strict(str(value), "wallet header")
                if not isinstance(doc, dict) or doc.get("format") != WALLET_FORMAT:
                    raise ValueError(f"not a {WALLET_FORMAT} header")
                org_id = OrgId.parse(str(doc.get("orgId", "")))
                wallet_key = open_with_passphrase(doc, passphrase, "wallet header")
            except (ValueError, InvalidOrgId) as exc:
                raise WalletIntegrityError("wallet_meta", _HEADER, f"malformed: {exc}") from exc
            if len(wallet_key) != KEY_SIZE:
                raise WalletIntegrityError("wallet_meta", _HEADER, "wrapped key has a wrong size")
            wallet = cls(engine, Sealer.from_wallet_key(wallet_key), wallet_key, doc, org_id, rng)
            wallet.verify()
        except BaseException:
            engine.dispose()
            raise
        return wallet

    def verify(self) -> int:
        """Authenticate every row and the ledger; returns the number of rows.

        Raises :class:`WalletIntegrityError` naming the first table and row that fails,
        or the ledger when a row was added or removed outside the wallet.
        """
        count = 0
        digest = bytes(_TAG_SIZE)
        with self._read() as conn:
            for spec in t.SPECS.values():
                for found in conn.execute(sa.select(spec.table)).mappings():
                    row = dict(found)
                    if spec.name == "wallet_meta" and row["name"] in (_HEADER, _LEDGER):
                        continue
                    self._sealer.check(spec.name, _pk(spec, row), row)
                    count += 1
                    digest = xor(digest, row["tag"])
            stored_count, stored_digest = self._ledger(conn)
        if stored_count != count or stored_digest != digest:
            raise WalletIntegrityError(
                "wallet_meta",
                _LEDGER,
                f"the wallet holds {count} rows where it wrote {stored_count}, or other ones: "
                "rows were added or removed outside the wallet",
            )
        return count

    def _ledger(self, conn: Connection) -> tuple[int, bytes]:
        stmt = sa.select(t.meta).where(t.meta.c.name == _LEDGER)
        if conn.dialect.name == "postgresql":
            stmt = stmt.with_for_update()
        found = conn.execute(stmt).mappings().first()
        if found is None:
            raise WalletIntegrityError("wallet_meta", _LEDGER, "missing")
        try:
            doc = _json(found["value"])
            count = int(doc["count"])
            digest = b64decode(doc["xor"], "ledger", size=_TAG_SIZE)
        except (ValueError, KeyError, TypeError) as exc:
            raise WalletIntegrityError("wallet_meta", _LEDGER, f"malformed: {exc}") from exc
        tag = found["tag"]
        if not isinstance(tag, bytes) or not hmac.compare_digest(
            tag, self._sealer.ledger_tag(count, digest)
        ):
            raise WalletIntegrityError("wallet_meta", _LEDGER, "does not authenticate")
        return count, digest

    @contextlib.contextmanager
    def _read(self) -> Iterator[Connection]:
        with _guard(self._engine, "read"), self._engine.connect() as conn:
            yield conn

    @contextlib.contextmanager
    def _write(self, durable: bool = True) -> Iterator[_Tx]:
        """One write transaction. ``durable=False`` (SQLite): the commit is not flushed to
        disk at once (WAL, ``synchronous=NORMAL``) — for records the node can give back
        (a state it acknowledged), never for a secret or anything written ahead."""
        with _guard(self._engine, "write"), self._engine.connect() as conn:
            relaxed = not durable and conn.dialect.name == "sqlite"
            # On the driver's connection: a PRAGMA through SQLAlchemy would begin a
            # transaction, and the safety level cannot change inside one.
            raw: Any = conn.connection.dbapi_connection if relaxed else None
            if relaxed:
                raw.execute("PRAGMA synchronous=NORMAL")
            try:
                with conn.begin():
                    yield from self._in_tx(conn)
            finally:
                if relaxed:
                    raw.execute("PRAGMA synchronous=FULL")

    def _in_tx(self, conn: Connection) -> Iterator[_Tx]:
        """Yield a :class:`_Tx`; afterwards fold what it wrote into the ledger."""
        count, digest = self._ledger(conn)
        tx = _Tx(self, conn)
        yield tx
        if tx.count or tx.delta != bytes(_TAG_SIZE):
            count += tx.count
            digest = xor(digest, tx.delta)
            conn.execute(
                sa.update(t.meta)
                .where(t.meta.c.name == _LEDGER)
                .values(
                    value=canonical_json({"count": count, "xor": b64encode(digest)}).decode(),
                    tag=self._sealer.ledger_tag(count, digest),
                )
            )

    def _rows(
        self,
        table: str,
        *where: Any,
        order: Sequence[str] = (),
        conn: Connection | None = None,
    ) -> list[dict[str, Any]]:
        spec = t.SPECS[table]
        if table == "wallet_meta":
            # The header (sealed by the passphrase) and the ledger (tagged on its own)
            # are not rows of the ledger.
            where = (*where, t.meta.c.name.not_in([_HEADER, _LEDGER]))
        stmt = sa.select(spec.table).where(*where)
        for name in order:
            stmt = stmt.order_by(spec.table.c[name])
        with contextlib.ExitStack() as stack:
            c = conn if conn is not None else stack.enter_context(self._read())
            rows = [dict(r) for r in c.execute(stmt).mappings()]
        for row in rows:
            self._sealer.check(spec.name, _pk(spec, row), row)
        return rows

    def _secret(self, table: str, row: Mapping[str, Any]) -> Any:
        spec = t.SPECS[table]
        return self._sealer.open(spec.name, _pk(spec, row), bytes(row["secret"]))

    # ------------------------------------------------------------------ passphrase

    def change_passphrase(
        self, new_passphrase: str | bytes, *, kdf: KdfParams = DEFAULT_KDF
    ) -> None:
        """Re-wrap the wallet key under ``new_passphrase`` (rows are unchanged)."""
        header = {k: v for k, v in self._header.items() if k not in ("kdf", "cipher")}
        doc = seal_with_passphrase(header, self._wallet_key, new_passphrase, kdf, self._rng)
        with self._write() as tx:
            tx.conn.execute(
                sa.update(t.meta)
                .where(t.meta.c.name == _HEADER)
                .values(value=canonical_json(doc).decode("utf-8"))
            )
        self._header = doc

    # ------------------------------------------------------------------ profile

    def profile(self) -> dict[str, Any]:
        """The stored network profile (``{}`` if none was stored)."""
        rows = self._rows("wallet_meta", t.meta.c.name == _PROFILE)
        if not rows:
            return {}
        value = _json(rows[0]["value"])
        return dict(value) if isinstance(value, dict) else {}

    def set_profile(self, profile: Mapping[str, Any]) -> None:
        """Replace the network profile (any JSON object)."""
        with self._write() as tx:
            self._put_profile(tx, profile)

    def _put_profile(self, tx: _Tx, profile: Mapping[str, Any]) -> None:
        value = canonical_json(dict(profile)).decode("utf-8")
        tx.upsert(t.SPECS["wallet_meta"], {"name": _PROFILE, "value": value})

    # ------------------------------------------------------------------ keys

    def list_keys(self) -> list[KeyEntry]:
        """Every key held, oldest first (private parts stay inside)."""
        return [_key_entry(r) for r in self._rows("wallet_keys", order=("created_at", "key_id"))]

    def _private(self, row: Mapping[str, Any]) -> bytes:
        secret = self._secret("wallet_keys", row)
        try:
            return b64decode(secret["private"], "private key", size=32)
        except (ValueError, KeyError, TypeError) as exc:
            raise WalletIntegrityError("wallet_keys", str(row["key_id"]), str(exc)) from exc

    def _key_pair(self, state: KeyState) -> OrgKeys | None:
        rows = self._rows("wallet_keys", t.keys.c.state == state.value)
        signing = [r for r in rows if r["kind"] == KeyKind.SIGNING]
        encryption = [r for r in rows if r["kind"] == KeyKind.ENCRYPTION]
        if not signing and not encryption:
            return None
        if len(signing) != 1 or len(encryption) != 1:
            raise WalletIntegrityError(
                "wallet_keys", state.value, "expected one signing and one encryption key"
            )
        return OrgKeys(
            self._org_id,
            SigningKey(self._private(signing[0])),
            PrivateKey(self._private(encryption[0])),
        )

    def org_keys(self) -> OrgKeys:
        """The current signing and encryption keys."""
        keys = self._key_pair(KeyState.CURRENT)
        if keys is None:
            raise WalletError("the wallet holds no current keys")
        return keys

    def pending_keys(self) -> OrgKeys | None:
        """Keys staged by :meth:`stage_keys` and not yet promoted, if any."""
        return self._key_pair(KeyState.PENDING)

    def decryption_key(self, key_id: str) -> PrivateKey | None:
        """The X25519 private key ``key_id`` in any state (rotated keys open old grants)."""
        rows = self._rows(
            "wallet_keys", t.keys.c.key_id == key_id, t.keys.c.kind == KeyKind.ENCRYPTION.value
        )
        return PrivateKey(self._private(rows[0])) if rows else None

    def account(self) -> LocalAccount | None:
        """The organisation's EVM account, if the wallet holds one."""
        rows = self._rows("wallet_keys", t.keys.c.kind == KeyKind.ACCOUNT.value)
        current = [r for r in rows if r["state"] == KeyState.CURRENT]
        if not current:
            return None
        from eth_account import Account

        account: LocalAccount = Account.from_key(self._private(current[0]))
        return account

    def stage_keys(self, keys: OrgKeys, now: datetime) -> None:
        """Store new keys as ``pending`` before they are registered anywhere (write-ahead
        for a rotation). Raises :class:`WalletConflict` if keys are already pending."""
        if keys.org_id != self._org_id:
            raise WalletConflict(f"keys are for {keys.org_id}, the wallet is {self._org_id}")
        with self._write() as tx:
            pending = tx.conn.execute(
                sa.select(t.keys.c.key_id).where(t.keys.c.state == KeyState.PENDING.value)
            ).first()
            if pending is not None:
                raise WalletConflict("keys are already pending; promote or discard them first")
            for entry, secret in _key_rows(keys, None, now, state=KeyState.PENDING):
                tx.insert(t.SPECS["wallet_keys"], entry, {"private": secret})

    def promote_keys(self, now: datetime) -> OrgKeys:
        """Make the pending keys current; the current signing and encryption keys become
        ``rotated`` (kept, so what was sealed to them still opens)."""
        with self._write() as tx:
            spec = t.SPECS["wallet_keys"]
            rows = [dict(r) for r in tx.conn.execute(sa.select(t.keys)).mappings()]
            pending = [r for r in rows if r["state"] == KeyState.PENDING]
            if not pending:
                raise WalletError("no keys are pending")
            for row in rows:
                self._sealer.check(spec.name, _pk(spec, row), row)
                if row["state"] == KeyState.CURRENT and row["kind"] != KeyKind.ACCOUNT:
                    tx.update(spec, row, {"state": KeyState.ROTATED.value, "retired_at": _fmt(now)})
            for row in pending:
                tx.update(spec, row, {"state": KeyState.CURRENT.value})
        return self.org_keys()

    def discard_pending_keys(self) -> int:
        """Forget pending keys that were never registered; returns how many."""
        with self._write() as tx:
            spec = t.SPECS["wallet_keys"]
            rows = [
                dict(r)
                for r in tx.conn.execute(
                    sa.select(t.keys).where(t.keys.c.state == KeyState.PENDING.value)
                ).mappings()
            ]
            for row in rows:
                self._sealer.check(spec.name, _pk(spec, row), row)
                tx.conn.execute(sa.delete(t.keys).where(t.keys.c.key_id == row["key_id"]))
                tx.count -= 1
                tx.delta = xor(tx.delta, row["tag"])
        return len(rows)

    def mark_key_revoked(self, key_id: str, at: datetime, reason: str) -> KeyEntry:
        """Record that key ``key_id`` was revoked on chain at ``at``."""
        with self._write() as tx:
            spec = t.SPECS["wallet_keys"]
            row = tx.get(spec, key_id=key_id)
            if row is None:
                raise WalletError(f"no key {key_id} in the wallet")
            new = tx.update(
                spec,
                row,
                {"state": KeyState.REVOKED.value, "revoked_at": _fmt(at), "reason": reason},
            )
        return _key_entry(new)

    # ------------------------------------------------------------------ publications

    def begin_publication(self, record: PublishedRecord) -> None:
        """Store a pending publication and its grants, durably, before it is sent."""
        attestation = record.attestation
        row = {
            "attestation_id": record.attestation_id,
            "input_digest": record.input_digest,
            "product_id": record.product_id,
            "state": PublishState.PENDING.value,
            "created_at": _fmt(record.created_at),
            "log_id": None,
            "log_index": None,
            "logged_at": None,
            "statement": canonical_json(attestation.signed_statement.to_dict()).decode(),
            "envelope": canonical_json(attestation.envelope.to_dict()).decode(),
        }
        with self._write() as tx:
            spec = t.SPECS["wallet_published"]
            clash = tx.conn.execute(
                sa.select(t.published.c.attestation_id).where(
                    sa.or_(
                        t.published.c.attestation_id == record.attestation_id,
                        t.published.c.input_digest == record.input_digest,
                    )
                )
            ).first()
            if clash is not None:
                raise WalletConflict(f"publication {clash[0]} is already in the wallet")
            tx.insert(spec, row, {"dataKey": b64encode(attestation.data_key)})
            for grant in record.grants:
                tx.insert(t.SPECS["wallet_grants"], _grant_row(grant))

    def finish_publication(
        self, attestation_id: str, *, log_id: str, index: int, at: datetime
    ) -> None:
        """Mark a publication logged (and its pending grants sent, the node took them
        with the attestation). Not flushed at once: lost, a retry sends it again and the
        node answers ``existing``."""
        with self._write(durable=False) as tx:
            spec = t.SPECS["wallet_published"]
            row = tx.get(spec, attestation_id=attestation_id)
            if row is None:
                raise WalletError(f"no publication {attestation_id} in the wallet")
            tx.update(
                spec,
                row,
                {
                    "state": PublishState.LOGGED.value,
                    "log_id": log_id,
                    "log_index": index,
                    "logged_at": _fmt(at),
                },
            )
            gspec = t.SPECS["wallet_grants"]
            for grow in tx.conn.execute(
                sa.select(t.grants).where(
                    t.grants.c.attestation_id == attestation_id,
                    t.grants.c.state == GrantState.PENDING.value,
                )
            ).mappings():
                old = dict(grow)
                self._sealer.check(gspec.name, _pk(gspec, old), old)
                tx.update(gspec, old, {"state": GrantState.SENT.value, "sent_at": _fmt(at)})

    def _publication(
        self, row: Mapping[str, Any], grants: Sequence[GrantRecord]
    ) -> PublishedRecord:
        aid = str(row["attestation_id"])
        secret = self._secret("wallet_published", row)
        try:
            data_key = b64decode(secret["dataKey"], "data key", size=32)
            opened = reopen(_json(row["statement"]), _json(row["envelope"]), data_key)
        except (ValueError, KeyError, TypeError, VerificationError) as exc:
            raise WalletIntegrityError("wallet_published", aid, f"does not reopen: {exc}") from exc
        if opened.signed_statement.attestation_id != aid:
            raise WalletIntegrityError("wallet_published", aid, "statement is another attestation")
        attestation = Attestation(
            opened.signed_statement,
            Envelope.from_dict(_json(row["envelope"])),
            opened.content,
            opened.claims,
            data_key,
        )
        return PublishedRecord(
            attestation=attestation,
            input_digest=str(row["input_digest"]),
            product_id=str(row["product_id"]),
            state=PublishState(row["state"]),
            created_at=_time(row["created_at"]),
            log_id=row["log_id"],
            index=None if row["log_index"] is None else int(row["log_index"]),
            logged_at=_opt_time(row["logged_at"]),
            grants=tuple(grants),
        )

    def _grants_of(self, ids: Sequence[str]) -> dict[str, list[GrantRecord]]:
        out: dict[str, list[GrantRecord]] = {i: [] for i in ids}
        if not ids:
            return out
        for row in self._rows(
            "wallet_grants", t.grants.c.attestation_id.in_(list(ids)), order=("created_at",)
        ):
            out[str(row["attestation_id"])].append(_grant_record(row))
        return out

    def publication(self, attestation_id: str) -> PublishedRecord | None:
        """One publication with its grants, reopened from its data key."""
        rows = self._rows("wallet_published", t.published.c.attestation_id == attestation_id)
        if not rows:
            return None
        return self._publication(rows[0], self._grants_of([attestation_id])[attestation_id])

    def publication_for_input(self, input_digest: str) -> PublishedRecord | None:
        """The publication made for ``input_digest``."""
        rows = self._rows("wallet_published", t.published.c.input_digest == input_digest)
        if not rows:
            return None
        aid = str(rows[0]["attestation_id"])
        return self._publication(rows[0], self._grants_of([aid])[aid])

    def publications(
        self, *, state: PublishState | None = None, product_id: str | None = None
    ) -> list[PublishedRecord]:
        """Publications, oldest first."""
        where = []
        if state is not None:
            where.append(t.published.c.state == state.value)
        if product_id is not None:
            where.append(t.published.c.product_id == product_id)
        rows = self._rows("wallet_published", *where, order=("created_at", "attestation_id"))
        grants = self._grants_of([str(r["attestation_id"]) for r in rows])
        return [self._publication(r, grants[str(r["attestation_id"])]) for r in rows]

    def record_grant(self, grant: GrantRecord) -> None:
        """Store a grant given (replacing one stored for the same recipient key)."""
        with self._write() as tx:
            if tx.get(t.SPECS["wallet_published"], attestation_id=grant.attestation_id) is None:
                raise WalletError(f"no publication {grant.attestation_id} in the wallet")
            tx.upsert(t.SPECS["wallet_grants"], _grant_row(grant))

    def mark_grant_sent(
        self, attestation_id: str, recipient: str, recipient_key_id: str, at: datetime
    ) -> None:
        """Record that the node accepted a stored grant (not flushed at once)."""
        with self._write(durable=False) as tx:
            spec = t.SPECS["wallet_grants"]
            row = tx.get(
                spec,
                attestation_id=attestation_id,
                recipient=recipient,
                recipient_key_id=recipient_key_id,
            )
            if row is None:
                raise WalletError(f"no grant of {attestation_id} to {recipient} in the wallet")
            tx.update(spec, row, {"state": GrantState.SENT.value, "sent_at": _fmt(at)})

    # ------------------------------------------------------------------ received

    def put_received(self, record: ReceivedRecord) -> None:
        """Store (or replace) a footprint received."""
        row = {
            "attestation_id": record.attestation_id,
            "issuer": record.issuer,
            "product_id": record.product_id,
            "source": record.source,
            "attested": record.attested,
            "request_id": record.request_id,
            "received_at": _fmt(record.received_at),
            "statement": None if record.statement is None else _dump(record.statement),
            "envelope": None if record.envelope is None else _dump(record.envelope),
            "grant_doc": None if record.grant is None else _dump(record.grant),
        }
        secret = {
            "footprint": record.footprint,
            "dataKey": None if record.data_key is None else b64encode(record.data_key),
            "disclosures": list(record.disclosures),
        }
        with self._write(durable=False) as tx:
            tx.upsert(t.SPECS["wallet_received"], row, secret)

    def _received(self, row: Mapping[str, Any]) -> ReceivedRecord:
        aid = str(row["attestation_id"])
        secret = self._secret("wallet_received", row)
        try:
            data_key = (
                None
                if secret["dataKey"] is None
                else b64decode(secret["dataKey"], "data key", size=32)
            )
            footprint = secret["footprint"]
            disclosures = tuple(secret["disclosures"])
        except (ValueError, KeyError, TypeError) as exc:
            raise WalletIntegrityError("wallet_received", aid, f"malformed secret: {exc}") from exc
        return ReceivedRecord(
            attestation_id=aid,
            issuer=str(row["issuer"]),
            product_id=str(row["product_id"]),
            source=str(row["source"]),
            attested=bool(row["attested"]),
            received_at=_time(row["received_at"]),
            request_id=row["request_id"],
            statement=None if row["statement"] is None else _json(row["statement"]),
            envelope=None if row["envelope"] is None else _json(row["envelope"]),
            grant=None if row["grant_doc"] is None else _json(row["grant_doc"]),
            footprint=dict(footprint),
            data_key=data_key,
            disclosures=disclosures,
        )

    def received(self, attestation_id: str) -> ReceivedRecord | None:
        """One footprint received."""
        rows = self._rows("wallet_received", t.received.c.attestation_id == attestation_id)
        return self._received(rows[0]) if rows else None

    def received_all(self) -> list[ReceivedRecord]:
        """Every footprint received, oldest first."""
        rows = self._rows("wallet_received", order=("received_at", "attestation_id"))
        return [self._received(r) for r in rows]

    # ------------------------------------------------------------------ requests

    def put_request(self, record: RequestRecord, note: str | None = None) -> None:
        """Store a request or its new state; a change of state appends an event."""
        row = {
            "request_id": record.request_id,
            "direction": record.direction.value,
            "counterparty": record.counterparty,
            "product_ids": _dump(list(record.product_ids)),
            "state": record.state.value,
            "message": record.message,
            "attestation_id": record.attestation_id,
            "reason": record.reason,
            "origin": record.origin,
            "created_at": _fmt(record.created_at),
            "updated_at": _fmt(record.updated_at),
        }
        with self._write(durable=False) as tx:
            spec = t.SPECS["wallet_requests"]
            old = tx.get(spec, request_id=record.request_id)
            if old is None:
                tx.insert(spec, row)
            else:
                tx.update(spec, old, row)
            if old is None or old["state"] != record.state.value:
                seq = tx.conn.execute(
                    sa.select(sa.func.count()).where(
                        t.request_events.c.request_id == record.request_id
                    )
                ).scalar_one()
                tx.insert(
                    t.SPECS["wallet_request_events"],
                    {
                        "request_id": record.request_id,
                        "seq": int(seq) + 1,
                        "at": _fmt(record.updated_at),
                        "state": record.state.value,
                        "note": note,
                    },
                )

    def request(self, request_id: str) -> RequestRecord | None:
        """One request."""
        rows = self._rows("wallet_requests", t.requests.c.request_id == request_id)
        return _request_record(rows[0]) if rows else None

    def requests(
        self, *, direction: RequestDirection | None = None, state: RequestState | None = None
    ) -> list[RequestRecord]:
        """Requests, oldest first."""
        where = []
        if direction is not None:
            where.append(t.requests.c.direction == direction.value)
        if state is not None:
            where.append(t.requests.c.state == state.value)
        rows = self._rows("wallet_requests", *where, order=("created_at", "request_id"))
        return [_request_record(r) for r in rows]

    def request_events(self, request_id: str) -> list[RequestEvent]:
        """The states a request went through, in order."""
        rows = self._rows(
            "wallet_request_events", t.request_events.c.request_id == request_id, order=("seq",)
        )
        return [
            RequestEvent(
                str(r["request_id"]),
                int(r["seq"]),
                _time(r["at"]),
                RequestState(r["state"]),
                r["note"],
            )
            for r in rows
        ]

    # ------------------------------------------------------------------ labels

    def put_label(self, record: LabelRecord) -> None:
        """Store (or replace) a label."""
        row = {
            "label_id": record.label_id,
            "role": record.role.value,
            "attestation_id": record.attestation_id,
            "product_id": record.product_id,
            "value": record.value,
            "unit": record.unit,
            "grade": record.grade,
            "standard": record.standard,
            "valid_from": _fmt(record.valid_from),
            "valid_until": _fmt(record.valid_until),
            "issued_at": _fmt(record.issued_at),
            "url": record.url,
            "disclosure": _dump(record.disclosure),
            "revoked_at": _fmt(record.revoked_at),
            "reason": record.reason,
        }
        with self._write() as tx:
            tx.upsert(t.SPECS["wallet_labels"], row)

    def label(self, label_id: str) -> LabelRecord | None:
        """One label."""
        rows = self._rows("wallet_labels", t.labels.c.label_id == label_id)
        return _label_record(rows[0]) if rows else None

    def labels(self, *, role: LabelRole | None = None) -> list[LabelRecord]:
        """Labels, oldest first."""
        where = [] if role is None else [t.labels.c.role == role.value]
        rows = self._rows("wallet_labels", *where, order=("issued_at", "label_id"))
        return [_label_record(r) for r in rows]

    # ------------------------------------------------------------------ backup

    def export_backup(
        self,
        path: str | os.PathLike[str],
        passphrase: str | bytes,
        *,
        now: datetime,
        kdf: KdfParams = DEFAULT_KDF,
    ) -> int:
        """Write an encrypted backup of every row (secrets included, opened and sealed
        again as one document under ``passphrase``) to ``path`` (mode 0600, replaced
        atomically). Returns the number of rows. The wallet is verified first."""
        tables: dict[str, list[dict[str, Any]]] = {}
        count = 0
        with self._read() as conn:
            for spec in t.SPECS.values():
                out = []
                for row in self._rows(spec.name, order=spec.pk, conn=conn):
                    plain = {k: v for k, v in row.items() if k not in ("tag", "secret")}
                    if "secret" in row:
                        plain["secret"] = self._secret(spec.name, row)
                    out.append(plain)
                    count += 1
                tables[spec.name] = out
        body = {"schema": SCHEMA_REVISION, "orgId": str(self._org_id), "tables": tables}
        header = {
            "type": BACKUP_TYPE,
            "version": 1,
            "orgId": str(self._org_id),
            "exportedAt": _fmt(now),
        }
        doc = seal_with_passphrase(header, canonical_json(body), passphrase, kdf, self._rng)
        _write_private(Path(path), canonical_json(doc) + b"\n")
        return count

    @classmethod
    def restore(
        cls,
        backup: str | os.PathLike[str],
        backup_passphrase: str | bytes,
        location: str | os.PathLike[str],
        passphrase: str | bytes,
        *,
        now: datetime,
        kdf: KdfParams = DEFAULT_KDF,
        rng: Rng = os.urandom,
    ) -> Wallet:
        """A new wallet at ``location`` (under ``passphrase`` and a fresh wallet key)
        holding every row of ``backup``.

        Raises :class:`BackupError` (unreadable, malformed, wrong passphrase, tampered)
        and :class:`WalletExists` when ``location`` already holds a wallet.
        """
        try:
            doc = loads_strict(Path(backup).read_bytes(), "backup")
        except OSError as exc:
            raise BackupError(f"cannot read backup {backup}: {exc}") from exc
        except ValueError as exc:
            raise BackupError(f"backup {backup} is not JSON: {exc}") from exc
        if not isinstance(doc, dict) or doc.get("type") != BACKUP_TYPE or doc.get("version") != 1:
            raise BackupError(f"{backup} is not a version 1 {BACKUP_TYPE}")
        try:
            body = loads_strict(open_with_passphrase(doc, backup_passphrase, "backup"), "backup")
            org_id = OrgId.parse(body["orgId"])
            tables = body["tables"]
            if body["schema"] != SCHEMA_REVISION or not isinstance(tables, dict):
                raise ValueError(f"backup schema {body['schema']!r} is not {SCHEMA_REVISION!r}")
            if str(org_id) != doc.get("orgId"):
                raise ValueError("backup header and body name different organisations")
        except WalletLocked as exc:
            raise BackupError(f"wrong backup passphrase, or {backup} was tampered with") from exc
        except (ValueError, KeyError, TypeError, InvalidOrgId) as exc:
            raise BackupError(f"backup {backup} is malformed: {exc}") from exc
        url = wallet_url(location)
        path = _sqlite_path(url)
        if path is not None:
            if path.exists() and path.stat().st_size > 0:
                raise WalletExists(f"{path} already exists; restore into a new location")
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        engine = make_wallet_engine(url)
        try:
            if _revision(engine) is not None:
                raise WalletExists(f"a wallet already exists at {_safe_url(engine)}")
            upgrade_wallet(engine)
            wallet = cls._initialise(engine, passphrase, org_id, kdf, rng, now)
            with wallet._write() as tx:
                for name, rows in tables.items():
                    spec = t.SPECS.get(name)
                    if spec is None or not isinstance(rows, list):
                        raise BackupError(f"backup holds an unknown table {name!r}")
                    for raw in rows:
                        row = dict(raw)
                        secret = row.pop("secret", _NO_SECRET)
                        if set(row) | ({"secret"} if secret is not _NO_SECRET else set()) != {
                            c.name for c in spec.table.columns if c.name != "tag"
                        }:
                            raise BackupError(f"backup row of {name} has other columns")
                        tx.insert(spec, row, secret)
            wallet.verify()
        except BaseException:
            engine.dispose()
            if path is not None and _revision_safe(path) is None:
                path.unlink(missing_ok=True)
            raise
        return wallet


# ---------------------------------------------------------------------- helpers


@contextlib.contextmanager
def _guard(engine: Engine, what: str) -> Iterator[None]:
    try:
        yield
    except SQLAlchemyError as exc:
        orig = getattr(exc, "orig", None)
        detail = str(orig) if orig is not None else str(exc)
        raise WalletError(
            f"cannot {what} the wallet at {_safe_url(engine)}: {detail.strip().splitlines()[0]}"
        ) from exc


def _revision(engine: Engine) -> str | None:
    """The wallet schema revision in the database, None when it holds no wallet."""
    with _guard(engine, "reach"), engine.connect() as conn:
        if not sa.inspect(conn).has_table(t.VERSION_TABLE):
            return None
        value = conn.execute(sa.text(f"SELECT version_num FROM {t.VERSION_TABLE}")).scalar()  # noqa: S608
        return None if value is None else str(value)


def _revision_safe(path: Path) -> str | None:
    """:func:`_revision` of a SQLite file, None on any error (used while cleaning up)."""
    try:
        engine = make_wallet_engine(wallet_url(path))
        try:
            return _revision(engine)
        finally:
            engine.dispose()
    except WalletError:
        return None


def _dump(value: Any) -> str:
    return canonical_json(value).decode("utf-8")


def _write_private(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _key_rows(
    keys: OrgKeys,
    account_key: bytes | None,
    now: datetime,
    state: KeyState = KeyState.CURRENT,
) -> list[tuple[dict[str, Any], str]]:
    created = _fmt(now)
    rows: list[tuple[dict[str, Any], str]] = []
    pairs = (
        (KeyKind.SIGNING, keys.signing_key_id, bytes(keys.verify_key), bytes(keys.signing_key)),
        (
            KeyKind.ENCRYPTION,
            keys.encryption_key_id,
            bytes(keys.public_key),
            bytes(keys.encryption_key),
        ),
    )
    for kind, kid, public, private in pairs:
        rows.append((_key_row(kid, kind, b64encode(public), state, created), b64encode(private)))
    if account_key is not None:
        from eth_account import Account

        if len(account_key) != 32:
            raise WalletError("an EVM account key is 32 bytes")
        address = Account.from_key(account_key).address
        rows.append(
            (_key_row(address, KeyKind.ACCOUNT, address, state, created), b64encode(account_key))
        )
    return rows


def _key_row(
    kid: str, kind: KeyKind, public: str, state: KeyState, created: str | None
) -> dict[str, Any]:
    return {
        "key_id": kid,
        "kind": kind.value,
        "public_key": public,
        "state": state.value,
        "created_at": created,
        "retired_at": None,
        "revoked_at": None,
        "reason": None,
    }


def _key_entry(row: Mapping[str, Any]) -> KeyEntry:
    return KeyEntry(
        key_id=str(row["key_id"]),
        kind=KeyKind(row["kind"]),
        public_key=str(row["public_key"]),
        state=KeyState(row["state"]),
        created_at=_time(row["created_at"]),
        retired_at=_opt_time(row["retired_at"]),
        revoked_at=_opt_time(row["revoked_at"]),
        reason=row["reason"],
    )


def _grant_row(grant: GrantRecord) -> dict[str, Any]:
    return {
        "attestation_id": grant.attestation_id,
        "recipient": grant.recipient,
        "recipient_key_id": grant.recipient_key_id,
        "state": grant.state.value,
        "created_at": _fmt(grant.created_at),
        "sent_at": _fmt(grant.sent_at),
        "grant_doc": _dump(grant.grant),
    }


def _grant_record(row: Mapping[str, Any]) -> GrantRecord:
    return GrantRecord(
        attestation_id=str(row["attestation_id"]),
        recipient=str(row["recipient"]),
        recipient_key_id=str(row["recipient_key_id"]),
        grant=dict(_json(row["grant_doc"])),
        state=GrantState(row["state"]),
        created_at=_time(row["created_at"]),
        sent_at=_opt_time(row["sent_at"]),
    )


def _request_record(row: Mapping[str, Any]) -> RequestRecord:
    return RequestRecord(
        request_id=str(row["request_id"]),
        direction=RequestDirection(row["direction"]),
        counterparty=str(row["counterparty"]),
        product_ids=tuple(str(p) for p in _json(row["product_ids"])),
        state=RequestState(row["state"]),
        created_at=_time(row["created_at"]),
        updated_at=_time(row["updated_at"]),
        message=row["message"],
        attestation_id=row["attestation_id"],
        reason=row["reason"],
        origin=str(row["origin"]),
    )


def _label_record(row: Mapping[str, Any]) -> LabelRecord:
    return LabelRecord(
        label_id=str(row["label_id"]),
        role=LabelRole(row["role"]),
        attestation_id=str(row["attestation_id"]),
        product_id=str(row["product_id"]),
        value=str(row["value"]),
        unit=str(row["unit"]),
        grade=str(row["grade"]),
        standard=str(row["standard"]),
        valid_from=_time(row["valid_from"]),
        valid_until=_time(row["valid_until"]),
        issued_at=_time(row["issued_at"]),
        url=str(row["url"]),
        disclosure=dict(_json(row["disclosure"])),
        revoked_at=_opt_time(row["revoked_at"]),
        reason=row["reason"],
    )


__all__ = [
    "BACKUP_TYPE",
    "SCHEMA_REVISION",
    "Wallet",
    "make_wallet_engine",
    "upgrade_wallet",
    "wallet_url",
]
