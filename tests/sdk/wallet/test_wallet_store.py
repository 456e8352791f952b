"""The SQL wallet: sealed at rest, every byte authenticated, write-ahead states, keys,
backup and restore; SQLite here, PostgreSQL in the marked test."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory

from sdk import FAST_KDF, Grant, JsonValue, OrgKeys, create_attestation, open_attestation
from sdk._ids import uscc_check_char
from sdk.wallet import (
    SCHEMA_REVISION,
    BackupError,
    GrantRecord,
    GrantState,
    KeyKind,
    KeyState,
    LabelRecord,
    LabelRole,
    MemoryWallet,
    PassphraseUnavailable,
    PublishedRecord,
    PublishState,
    ReceivedRecord,
    RequestDirection,
    RequestRecord,
    RequestState,
    Wallet,
    WalletConflict,
    WalletError,
    WalletExists,
    WalletIntegrityError,
    WalletLocked,
    WalletNotFound,
    publication_input_digest,
    read_passphrase,
)

NOW = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
ORG = "91340100MA2XGL001" + uscc_check_char("91340100MA2XGL001")
BUYER = "91110108MA01NB009" + uscc_check_char("91110108MA01NB009")
PASS = "correct horse battery staple"


def _rng(seed: int) -> Callable[[int], bytes]:
    return random.Random(seed).randbytes


KEYS = OrgKeys.from_seed(ORG, bytes(32))
BUYER_KEYS = OrgKeys.from_seed(BUYER, bytes([1]) * 32)
FOOTPRINT: dict[str, JsonValue] = {
    "productIds": ["urn:tanji:product:test:glass"],
    "pcf": {"pcfExcludingBiogenicUptake": "12.400", "declaredUnitOfMeasurement": "piece"},
}
INVENTORY: JsonValue = {"secretActivity": "melting furnace 4.70 kgCO2e"}


def _record(seed: int = 1, product: str = "glass") -> PublishedRecord:
    product_id = f"urn:tanji:product:test:{product}"
    doc: dict[str, JsonValue] = {**FOOTPRINT, "productIds": [product_id]}
    att = create_attestation(
        KEYS,
        product_id=product_id,
        footprint=doc,
        inventory=INVENTORY,
        now=NOW,
        rng=_rng(seed),
    )
    grant = att.grant(BUYER, BUYER_KEYS.public_key, rng=_rng(seed + 100))
    digest = publication_input_digest(doc, INVENTORY, [BUYER], [], None)
    return PublishedRecord(
        attestation=att,
        input_digest=digest,
        product_id=product_id,
        state=PublishState.PENDING,
        created_at=NOW,
        grants=(GrantRecord.of(grant, NOW),),
    )


@pytest.fixture
def wallet_path(tmp_path: Path) -> Path:
    return tmp_path / "org" / "wallet.db"


@pytest.fixture
def wallet(wallet_path: Path) -> Iterator[Wallet]:
    w = Wallet.create(
        wallet_path,
        PASS,
        KEYS,
        now=NOW,
        account_key=bytes([7]) * 32,
        profile={"nodeUrl": "http://127.0.0.1:8080"},
        kdf=FAST_KDF,
    )
    yield w
    w.close()


def _fill(wallet: Wallet) -> PublishedRecord:
    """One row of every kind."""
    record = _record()
    wallet.begin_publication(record)
    wallet.finish_publication(record.attestation_id, log_id="main", index=3, at=NOW)
    wallet.put_received(
        ReceivedRecord(
            attestation_id="ab" * 32,
            issuer=BUYER,
            product_id="urn:tanji:product:test:cell",
            source="pact:https://supplier.example",
            attested=False,
            received_at=NOW,
            footprint={"pcf": {"pcfExcludingBiogenicUptake": "1.3"}},
        )
    )
    wallet.put_request(
        RequestRecord(
            request_id="r1",
            direction=RequestDirection.INCOMING,
            counterparty=BUYER,
            product_ids=("urn:tanji:product:test:glass",),
            state=RequestState.OPEN,
            created_at=NOW,
            updated_at=NOW,
        )
    )
    wallet.put_label(
        LabelRecord(
            label_id="0x" + "cd" * 32,
            role=LabelRole.HELD,
            attestation_id=record.attestation_id,
            product_id=record.product_id,
            value="12.400",
            unit="kgCO2e/piece",
            grade="",
            standard="GB/T 24067-2024",
            valid_from=NOW,
            valid_until=NOW + timedelta(days=730),
            issued_at=NOW,
            url="http://127.0.0.1:8080/labels/0x" + "cd" * 32,
            disclosure={"claims": []},
        )
    )
    return record


def test_schema_revision_is_the_alembic_head() -> None:
    cfg = Config()
    cfg.set_main_option(
        "script_location", str(Path(__file__).parents[3] / "sdk" / "wallet" / "migrations")
    )
    assert ScriptDirectory.from_config(cfg).get_current_head() == SCHEMA_REVISION


def test_create_open_and_keys(wallet: Wallet, wallet_path: Path) -> None:
    assert oct(wallet_path.stat().st_mode & 0o777) == "0o600"
    wallet.close()
    reopened = Wallet.open(wallet_path, PASS)
    assert reopened.org_keys().signing_key_id == KEYS.signing_key_id
    assert reopened.profile() == {"nodeUrl": "http://127.0.0.1:8080"}
    kinds = {k.kind: k.state for k in reopened.list_keys()}
    assert kinds == {
        KeyKind.SIGNING: KeyState.CURRENT,
        KeyKind.ENCRYPTION: KeyState.CURRENT,
        KeyKind.ACCOUNT: KeyState.CURRENT,
    }
    account = reopened.account()
    assert account is not None
    assert account.key == bytes([7]) * 32
    reopened.close()


def test_nothing_to_open_and_nothing_overwritten(tmp_path: Path, wallet_path: Path) -> None:
    with pytest.raises(WalletNotFound, match="tanji init"):
        Wallet.open(tmp_path / "absent.db", PASS)
    Wallet.create(wallet_path, PASS, KEYS, now=NOW, kdf=FAST_KDF).close()
    with pytest.raises(WalletExists):
        Wallet.create(wallet_path, PASS, KEYS, now=NOW, kdf=FAST_KDF)
    with pytest.raises(WalletError, match="cannot"):
        Wallet.open("postgresql+psycopg://nobody@127.0.0.1:1/none", PASS)


def test_wrong_passphrase_opens_nothing(wallet: Wallet, wallet_path: Path) -> None:
    wallet.close()
    with pytest.raises(WalletLocked, match="wrong passphrase"):
        Wallet.open(wallet_path, "not it")


def test_secrets_are_not_in_the_file(wallet: Wallet, wallet_path: Path) -> None:
    record = _fill(wallet)
    wallet.close()
    data = b"".join(p.read_bytes() for p in wallet_path.parent.iterdir())
    for secret in (
        bytes(KEYS.signing_key),
        bytes(KEYS.encryption_key),
        bytes([7]) * 32,
        record.attestation.data_key,
        record.attestation.content.master_salt,
    ):
        assert secret not in data
    assert b"melting furnace" not in data
    assert b"supplier.example" in data  # the source is not a secret


def _cells(path: Path) -> list[tuple[str, str, int, str]]:
    """(table, column, rowid, kind) of every stored value."""
    con = sqlite3.connect(path)
    out = []
    for (table,) in con.execute("select name from sqlite_master where type='table'"):
        if not table.startswith("wallet_") or table == "wallet_alembic_version":
            continue
        columns = [r[1] for r in con.execute(f"pragma table_info({table})")]
        for (rowid,) in con.execute(f"select rowid from {table}"):
            for column in columns:
                value = con.execute(
                    f"select {column} from {table} where rowid=?", (rowid,)
                ).fetchone()[0]
                if value is not None:
                    out.append((table, column, rowid, type(value).__name__))
    con.close()
    return out


def _tamper(path: Path, table: str, column: str, rowid: int) -> None:
    con = sqlite3.connect(path)
    (value,) = con.execute(f"select {column} from {table} where rowid=?", (rowid,)).fetchone()
    if isinstance(value, bytes):
        changed: object = value[:-1] + bytes([value[-1] ^ 1])
    elif isinstance(value, int) and not isinstance(value, bool):
        changed = value + 1
    else:
        text = str(value)
        changed = text[:-1] + ("A" if text[-1:] != "A" else "B")
    con.execute(f"update {table} set {column}=? where rowid=?", (changed, rowid))
    con.commit()
    con.close()


def test_every_stored_value_is_authenticated(wallet: Wallet, wallet_path: Path) -> None:
    _fill(wallet)
    wallet.close()
    pristine = wallet_path.read_bytes()
    cells = _cells(wallet_path)
    assert len(cells) > 60
    for table, column, rowid, _kind in cells:
        wallet_path.write_bytes(pristine)
        for extra in wallet_path.parent.glob("wallet.db-*"):
            extra.unlink()
        _tamper(wallet_path, table, column, rowid)
        with pytest.raises((WalletIntegrityError, WalletLocked)) as caught:
            Wallet.open(wallet_path, PASS)
        if isinstance(caught.value, WalletIntegrityError):
            assert caught.value.table == table, (table, column)


def test_a_deleted_or_copied_row_is_caught(wallet: Wallet, wallet_path: Path) -> None:
    _fill(wallet)
    wallet.close()
    pristine = wallet_path.read_bytes()
    con = sqlite3.connect(wallet_path)
    con.execute("delete from wallet_grants")
    con.commit()
    con.close()
    with pytest.raises(WalletIntegrityError, match="added or removed") as caught:
        Wallet.open(wallet_path, PASS)
    assert caught.value.table == "wallet_meta"
    wallet_path.write_bytes(pristine)
    con = sqlite3.connect(wallet_path)
    # A row copied under another key fails its own tag (the key is in it).
    con.execute(
        "insert into wallet_request_events select 'r2', seq, at, state, note, tag "
        "from wallet_request_events"
    )
    con.commit()
    con.close()
    with pytest.raises(WalletIntegrityError) as caught:
        Wallet.open(wallet_path, PASS)
    assert caught.value.table == "wallet_request_events"


def test_random_byte_flips_never_open_silently(wallet: Wallet, wallet_path: Path) -> None:
    """Flip one byte anywhere in the file: the wallet either refuses to open, or the
    byte was unused space and it opens with exactly the same content."""
    record = _fill(wallet)
    wallet.close()
    pristine = wallet_path.read_bytes()
    rng = random.Random(8)
    refused = 0
    for _ in range(40):
        data = bytearray(pristine)
        data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        wallet_path.write_bytes(bytes(data))
        for extra in wallet_path.parent.glob("wallet.db-*"):
            extra.unlink()
        try:
            opened = Wallet.open(wallet_path, PASS)
        except WalletError:
            refused += 1
            continue
        try:
            same = opened.publication(record.attestation_id)
            assert same is not None
            assert same.attestation.data_key == record.attestation.data_key
            assert len(opened.list_keys()) == 3
        finally:
            opened.close()
    assert refused > 0


def test_write_ahead_states_and_conflicts(wallet: Wallet) -> None:
    record = _record()
    wallet.begin_publication(record)
    pending = wallet.publication_for_input(record.input_digest)
    assert pending is not None
    assert pending.state is PublishState.PENDING
    assert pending.grants[0].state is GrantState.PENDING
    assert pending.attestation.data_key == record.attestation.data_key
    with pytest.raises(WalletConflict):
        wallet.begin_publication(record)
    wallet.finish_publication(record.attestation_id, log_id="main", index=9, at=NOW)
    done = wallet.publication(record.attestation_id)
    assert done is not None
    assert (done.state, done.log_id, done.index) == (PublishState.LOGGED, "main", 9)
    assert done.grants[0].state is GrantState.SENT
    assert done.footprint == record.footprint
    assert done.inventory == INVENTORY
    # What the wallet kept opens the grant it gave: the buyer can decrypt.
    opened = open_attestation(
        done.attestation.signed_statement,
        done.attestation.envelope,
        Grant.from_dict(done.grants[0].grant),
        BUYER_KEYS,
    )
    assert opened.content.inventory == INVENTORY
    assert [p.attestation_id for p in wallet.publications(state=PublishState.LOGGED)] == [
        record.attestation_id
    ]


def test_requests_keep_their_history(wallet: Wallet) -> None:
    base = RequestRecord(
        request_id="q1",
        direction=RequestDirection.OUTGOING,
        counterparty=BUYER,
        product_ids=("urn:tanji:product:test:glass",),
        state=RequestState.OPEN,
        created_at=NOW,
        updated_at=NOW,
        message="PCF please",
    )
    wallet.put_request(base, "asked")
    wallet.put_request(base)  # same state: no event
    later = NOW + timedelta(hours=1)
    wallet.put_request(
        RequestRecord(
            **{
                **base.__dict__,
                "state": RequestState.FULFILLED,
                "updated_at": later,
                "attestation_id": "ef" * 32,
            }
        ),
        "fulfilled",
    )
    assert [(e.seq, e.state, e.note) for e in wallet.request_events("q1")] == [
        (1, RequestState.OPEN, "asked"),
        (2, RequestState.FULFILLED, "fulfilled"),
    ]
    assert wallet.requests(state=RequestState.FULFILLED)[0].attestation_id == "ef" * 32
    assert wallet.requests(direction=RequestDirection.INCOMING) == []


def test_key_rotation_keeps_old_keys_for_decryption(wallet: Wallet) -> None:
    old = wallet.org_keys()
    new = OrgKeys.from_seed(ORG, bytes([9]) * 32)
    wallet.stage_keys(new, NOW)
    with pytest.raises(WalletConflict):
        wallet.stage_keys(new, NOW)
    assert wallet.org_keys().signing_key_id == old.signing_key_id
    pending = wallet.pending_keys()
    assert pending is not None
    assert pending.encryption_key_id == new.encryption_key_id
    wallet.promote_keys(NOW + timedelta(minutes=1))
    assert wallet.org_keys().signing_key_id == new.signing_key_id
    states = {k.key_id: k.state for k in wallet.list_keys()}
    assert states[old.signing_key_id] is KeyState.ROTATED
    assert states[new.encryption_key_id] is KeyState.CURRENT
    kept = wallet.decryption_key(old.encryption_key_id)
    assert kept is not None
    assert bytes(kept) == bytes(old.encryption_key)
    revoked = wallet.mark_key_revoked(old.signing_key_id, NOW, "KEY_COMPROMISE")
    assert revoked.state is KeyState.REVOKED
    wallet.close()


def test_backup_and_restore(wallet: Wallet, tmp_path: Path) -> None:
    record = _fill(wallet)
    backup = tmp_path / "org.tanji-backup"
    rows = wallet.export_backup(backup, "backup pass", now=NOW, kdf=FAST_KDF)
    assert rows == wallet.verify()
    assert oct(backup.stat().st_mode & 0o777) == "0o600"
    assert b"melting furnace" not in backup.read_bytes()
    with pytest.raises(BackupError, match="wrong backup passphrase"):
        Wallet.restore(backup, "nope", tmp_path / "r1.db", "new", now=NOW, kdf=FAST_KDF)
    assert not (tmp_path / "r1.db").exists()
    restored = Wallet.restore(
        backup, "backup pass", tmp_path / "r2.db", "new pass", now=NOW, kdf=FAST_KDF
    )
    assert restored.verify() == rows
    again = restored.publication(record.attestation_id)
    assert again is not None
    assert again.attestation.data_key == record.attestation.data_key
    assert restored.org_keys().signing_key_id == KEYS.signing_key_id
    restored.close()
    with pytest.raises(WalletLocked):
        Wallet.open(tmp_path / "r2.db", "backup pass")
    with pytest.raises(WalletExists):
        Wallet.restore(backup, "backup pass", tmp_path / "r2.db", "x", now=NOW, kdf=FAST_KDF)
    data = bytearray(backup.read_bytes())
    data[len(data) // 2] ^= 1
    backup.write_bytes(bytes(data))
    with pytest.raises(BackupError):
        Wallet.restore(backup, "backup pass", tmp_path / "r3.db", "x", now=NOW, kdf=FAST_KDF)


def test_change_passphrase(wallet: Wallet, wallet_path: Path) -> None:
    wallet.change_passphrase("second", kdf=FAST_KDF)
    wallet.close()
    with pytest.raises(WalletLocked):
        Wallet.open(wallet_path, PASS)
    Wallet.open(wallet_path, "second").close()


def test_passphrase_sources(tmp_path: Path) -> None:
    file = tmp_path / "pass"
    file.write_text("from file\nignored\n")
    assert read_passphrase(file=file, environ={"TANJI_PASSPHRASE": "env"}) == "from file"
    assert read_passphrase(environ={"TANJI_PASSPHRASE": "env"}) == "env"
    assert read_passphrase(environ={"TANJI_PASSPHRASE_FILE": str(file)}) == "from file"
    asked = iter(["typed", "typed"])
    assert (
        read_passphrase(environ={}, interactive=True, confirm=True, ask=lambda _: next(asked))
        == "typed"
    )
    with pytest.raises(PassphraseUnavailable, match="TANJI_PASSPHRASE"):
        read_passphrase(environ={}, interactive=False)
    answers = iter(["a", "b"])
    with pytest.raises(PassphraseUnavailable, match="differ"):
        read_passphrase(environ={}, interactive=True, confirm=True, ask=lambda _: next(answers))
    (tmp_path / "empty").write_text("")
    with pytest.raises(PassphraseUnavailable, match="empty"):
        read_passphrase(file=tmp_path / "empty")


def test_memory_wallet_has_the_same_states() -> None:
    memory = MemoryWallet(KEYS)
    record = _record()
    memory.begin_publication(record)
    with pytest.raises(WalletConflict):
        memory.begin_publication(record)
    memory.finish_publication(record.attestation_id, log_id="main", index=1, at=NOW)
    done = memory.publication(record.attestation_id)
    assert done is not None
    assert done.grants[0].state is GrantState.SENT
    assert memory.decryption_key(KEYS.encryption_key_id) is not None
    assert "MemoryWallet" in repr(memory)


@pytest.mark.postgres
def test_postgres_wallet(postgres_schema: str) -> None:
    created = Wallet.create(postgres_schema, PASS, KEYS, now=NOW, kdf=FAST_KDF)
    record = _fill(created)
    created.close()
    with pytest.raises(WalletLocked):
        Wallet.open(postgres_schema, "wrong")
    with Wallet.open(postgres_schema, PASS) as wallet:
        found = wallet.publication(record.attestation_id)
        assert found is not None
        assert found.attestation.data_key == record.attestation.data_key
        assert wallet.verify() == 8
    with pytest.raises(WalletExists):
        Wallet.create(postgres_schema, PASS, KEYS, now=NOW, kdf=FAST_KDF)
