"""Node benchmarks: ingest through real HTTP, and proof serving at one million entries.

The node runs as ``tanji node serve`` (uvicorn, one process) against anvil; this process
is the client, on the machine's other core. Figures, each next to a baseline measured in
the same run:

* ingest with signature verification on, through ``POST /v1/attestations/batch``
  (batches of 1,000) and through single ``POST /v1/attestations`` requests from 8
  concurrent clients, on SQLite and on PostgreSQL; baseline: bare Ed25519 verifies per
  second on one core (PyNaCl) over the same statements;
* inclusion proofs per second served over HTTP at 1,000,000 entries (log built with bulk
  appends; ``--workers 2``, reads scale across processes); baseline: the same proofs
  computed in process by ``MerkleLog`` on one core;
* on PostgreSQL (durable commits: ``synchronous_commit`` on), single-request publishes
  from 8 clients while two clients read inclusion proofs in a loop; baseline: the same
  publishers with no readers, measured alternately in the same run (reads must not
  starve writes).
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import random
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy

from anchors import MerkleLog, SqlLogStore
from anchors.chain import start_anvil
from bench._report import Row
from node import make_engine, start_node_process, upgrade_database
from sdk import (
    ClaimSet,
    EnvelopeContent,
    OrgId,
    OrgKeys,
    Statement,
    sign_statement,
    uscc_check_char,
)
from sdk.client import NodeClient
from sdk.deploy import deploy_tanji
from sdk.hazmat import make_grant, seal_envelope
from sdk.registry import Role

LOG_ID = "bench"
SUPPLIER = "91110108MA01BENCH" + uscc_check_char("91110108MA01BENCH")
LEADER = "91310000MA1LEADER" + uscc_check_char("91310000MA1LEADER")
OPERATOR = "urn:tanji:org:bench-operator"
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _rng(tag: str) -> Callable[[int], bytes]:
    state = [0]

    def rng(n: int) -> bytes:
        out = b""
        while len(out) < n:
            state[0] += 1
            out += hashlib.sha256(f"{tag}:{state[0]}".encode()).digest()
        return out[:n]

    return rng


def _attestations(keys: OrgKeys, leader: OrgKeys, n: int) -> list[dict[str, Any]]:
    """``n`` distinct signed attestations of ``keys`` (one claim set, envelope, grant each)."""
    issuer = OrgId.parse(SUPPLIER)
    rng = _rng("bench")
    now = datetime.now(UTC).replace(microsecond=0)
    out = []
    for i in range(n):
        product = f"urn:tanji:product:bench-{i}"
        footprint: dict[str, Any] = {
            "productIds": [product],
            "pcfExcludingBiogenicUptake": f"{10 + i % 90}.5",
            "declaredUnitOfMeasurement": "kilogram",
        }
        master = rng(32)
        inventory: dict[str, Any] = {"lines": []}
        claims = ClaimSet.build(footprint, master, inventory=inventory)
        data_key = rng(32)
        subject = claims.subject
        envelope = seal_envelope(
            EnvelopeContent(footprint=footprint, master_salt=master, inventory=inventory),
            issuer=issuer,
            subject_digest=subject,
            data_key=data_key,
            nonce=rng(24),
        )
        signed = sign_statement(
            Statement(
                issuer=issuer,
                key_id=keys.signing_key_id,
                subject_digest=subject,
                commitment=claims.commitment,
                claim_count=len(claims),
                created=now,
                supersedes=None,
                envelope_digest=envelope.digest,
            ),
            keys,
        )
        grant = make_grant(
            signed.attestation_id, data_key, OrgId.parse(LEADER), leader.public_key, rng=rng
        )
        out.append(
            {
                "signedStatement": signed.to_dict(),
                "envelope": envelope.to_dict(),
                "grants": [grant.to_dict()],
            }
        )
    return out


def _verify_rate(items: list[dict[str, Any]], keys: OrgKeys, seconds: float) -> float:
    """Bare Ed25519 verifies per second over the statements' signing inputs."""
    from sdk import SignedStatement

    signed = [SignedStatement.from_dict(i["signedStatement"]) for i in items[:500]]
    pairs = [(s.statement.signing_input, s.signature) for s in signed]
    vk = keys.verify_key
    done = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for message, signature in pairs:
            vk.verify(message, signature)
        done += len(pairs)
    return done / (time.perf_counter() - start)


class _World:
    def __init__(self, anvil_url: str, deployment_file: Path, env: dict[str, str]) -> None:
        self.anvil_url = anvil_url
        self.deployment_file = deployment_file
        self.env = env


@contextmanager
def _chain(workdir: Path) -> Iterator[tuple[_World, OrgKeys, OrgKeys]]:
    anvil = start_anvil()
    try:
        chain = anvil.chain()
        registrar = chain.new_account()
        deployment = deploy_tanji(chain, registrar)
        supplier = OrgKeys.from_seed(SUPPLIER, hashlib.sha256(b"bench supplier").digest())
        leader = OrgKeys.from_seed(LEADER, hashlib.sha256(b"bench leader").digest())
        operator = OrgKeys.from_seed(OPERATOR, hashlib.sha256(b"bench operator").digest())
        accounts = {}
        for org, keys, roles in (
            (SUPPLIER, supplier, [Role.SUPPLIER]),
            (LEADER, leader, [Role.LEADER]),
            (OPERATOR, operator, [Role.LOG_OPERATOR]),
        ):
            account = chain.new_account()
            accounts[org] = account
            deployment.participants.register_organisation(
                org,
                account.address,
                roles,
                bytes(keys.verify_key),
                bytes(keys.public_key),
                sender=registrar,
            )
        deployment.anchors.create_log(LOG_ID, accounts[OPERATOR])
        path = workdir / "deployment.json"
        path.write_text(json.dumps(deployment.to_dict()), encoding="utf-8")
        env = {
            "TANJI_CHAIN_URL": anvil.url,
            "TANJI_DEPLOYMENT_FILE": str(path),
            "TANJI_LOG_ID": LOG_ID,
            "TANJI_LOG_KEY_HEX": bytes(operator.signing_key).hex(),
            "TANJI_OPERATOR_KEY_HEX": bytes(accounts[OPERATOR].key).hex(),
            "TANJI_REGISTRY_CACHE_SECONDS": "300",
        }
        yield _World(anvil.url, path, env), supplier, leader
    finally:
        anvil.stop()


class _Http:
    """A keep-alive stdlib HTTP connection: a light client, so the node is what is measured."""

    def __init__(self, url: str) -> None:
        host, port = url.removeprefix("http://").split(":")
        self._conn = http.client.HTTPConnection(host, int(port), timeout=120)

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes]:
        self._conn.request(method, path, body=body, headers=headers or {})
        response = self._conn.getresponse()
        return response.status, response.read()

    def close(self) -> None:
        self._conn.close()


@contextmanager
def serve(env: dict[str, str], database_url: str, workers: int = 1, **extra: str) -> Iterator[str]:
    """Run ``tanji node serve`` in a subprocess; yield its base URL once healthy."""
    with start_node_process(
        {**env, "TANJI_DATABASE_URL": database_url, **extra}, workers=workers
    ) as node:
        yield node.url


def _ingest(
    url: str, supplier: OrgKeys, items: list[dict[str, Any]], n_batch: int, n_single: int
) -> tuple[float, float]:
    client = NodeClient(
        url, org=SUPPLIER, key_id=supplier.signing_key_id, signing_key=supplier.signing_key
    )
    headers = {"Authorization": f"Bearer {client.token()}", "Content-Type": "application/json"}
    batch_size = 1000
    batches = [
        json.dumps({"attestations": items[i : i + batch_size]}).encode()
        for i in range(0, n_batch, batch_size)
    ]
    singles = [json.dumps(item).encode() for item in items[n_batch : n_batch + n_single]]
    conn = _Http(url)
    start = time.perf_counter()
    for body in batches:
        status, text = conn.request("POST", "/v1/attestations/batch", body, headers)
        if status != 201:
            raise RuntimeError(f"batch publish failed: {status} {text[:300]!r}")
    batch_rate = n_batch / (time.perf_counter() - start)
    conn.close()

    threads = 8
    errors: list[str] = []

    def worker(chunk: list[bytes]) -> None:
        c = _Http(url)
        for body in chunk:
            status, text = c.request("POST", "/v1/attestations", body, headers)
            if status != 201:
                errors.append(f"{status} {text[:200]!r}")
                break
        c.close()

    chunks = [singles[i::threads] for i in range(threads)]
    pool = [threading.Thread(target=worker, args=(c,)) for c in chunks]
    start = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    single_rate = n_single / (time.perf_counter() - start)
    if errors:
        raise RuntimeError(f"single publish failed: {errors[0]}")
    health = httpx.get(url + "/v1/health").json()
    if health["logSize"] != n_batch + n_single:
        raise RuntimeError(f"log size {health['logSize']} != {n_batch + n_single}")
    client.close()
    return batch_rate, single_rate


def _publish_rate(
    url: str, headers: dict[str, str], bodies: list[bytes], readers: int, log_size: int
) -> tuple[float, float]:
    """(single publishes per second from 8 clients, proofs read per second) with
    ``readers`` clients reading inclusion proofs (of a log of ``log_size``) as fast as
    they can meanwhile."""
    threads = 8
    errors: list[str] = []
    done = threading.Event()
    reads = [0] * readers

    def publisher(chunk: list[bytes]) -> None:
        c = _Http(url)
        for body in chunk:
            status, text = c.request("POST", "/v1/attestations", body, headers)
            if status != 201:
                errors.append(f"{status} {text[:200]!r}")
                break
        c.close()

    def reader(k: int) -> None:
        r = random.Random(k)
        c = _Http(url)
        while not done.is_set():
            path = f"/v1/log/proofs/inclusion?index={r.randrange(log_size)}&size={log_size}"
            status, text = c.request("GET", path)
            if status != 200:
                errors.append(f"proof: {status} {text[:200]!r}")
                break
            reads[k] += 1
        c.close()

    read_pool = [threading.Thread(target=reader, args=(k,)) for k in range(readers)]
    for t in read_pool:
        t.start()
    pool = [threading.Thread(target=publisher, args=(bodies[i::threads],)) for i in range(threads)]
    start = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - start
    rate = len(bodies) / elapsed
    done.set()
    for t in read_pool:
        t.join()
    if errors:
        raise RuntimeError(f"publish under readers failed: {errors[0]}")
    if readers and sum(reads) == 0:
        raise RuntimeError("the proof readers read nothing: the comparison would be empty")
    return rate, sum(reads) / elapsed


def _contention(
    url: str, supplier: OrgKeys, items: list[dict[str, Any]], log_size: int, rounds: int
) -> tuple[float, float, float]:
    """(publishes/s with two proof readers, publishes/s alone, proofs/s read meanwhile),
    alternating ``rounds`` times over fresh attestations so neither side gets the warmer
    node."""
    client = NodeClient(
        url, org=SUPPLIER, key_id=supplier.signing_key_id, signing_key=supplier.signing_key
    )
    headers = {"Authorization": f"Bearer {client.token()}", "Content-Type": "application/json"}
    client.close()
    bodies = [json.dumps(item).encode() for item in items]
    per = len(bodies) // (2 * rounds)
    alone: list[float] = []
    read: list[float] = []
    proofs: list[float] = []
    for k in range(rounds):
        chunk = bodies[2 * k * per : (2 * k + 2) * per]
        alone.append(_publish_rate(url, headers, chunk[:per], 0, log_size)[0])
        rate, proof_rate = _publish_rate(url, headers, chunk[per:], 2, log_size)
        read.append(rate)
        proofs.append(proof_rate)
    return sum(read) / rounds, sum(alone) / rounds, sum(proofs) / rounds


@contextmanager
def _pg_schema(base_url: str) -> Iterator[str]:
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    engine = sqlalchemy.create_engine(base_url)
    with engine.begin() as conn:
        conn.execute(sqlalchemy.text(f'create schema "{schema}"'))
    sep = "&" if "?" in base_url else "?"
    try:
        yield f"{base_url}{sep}options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as conn:
            conn.execute(sqlalchemy.text(f'drop schema "{schema}" cascade'))
        engine.dispose()


def _postgres_url() -> str | None:
    url = os.environ.get("TANJI_TEST_POSTGRES_URL", DEFAULT_PG)
    try:
        engine = sqlalchemy.create_engine(url)
        with engine.connect() as conn:
            conn.execute(sqlalchemy.text("select 1"))
        engine.dispose()
    except Exception:
        return None
    return url


def _build_log(database_url: str, size: int) -> MerkleLog:
    engine = make_engine(database_url)
    upgrade_database(engine)
    log = MerkleLog(SqlLogStore(engine, LOG_ID))
    chunk = 1 << 16
    for start in range(0, size, chunk):
        hashes = [
            hashlib.sha256(b"\0" + i.to_bytes(8, "big")).digest()
            for i in range(start, min(size, start + chunk))
        ]
        log.append_leaf_hashes(hashes)
    return log


def _proof_rates(url: str, log: MerkleLog, size: int, seconds: float) -> tuple[float, float]:
    rnd = random.Random(7)
    start = time.perf_counter()
    done = 0
    while time.perf_counter() - start < seconds:
        log.inclusion_proof(rnd.randrange(size), size)
        done += 1
    local = done / (time.perf_counter() - start)

    counts = [0] * 4
    stop = time.perf_counter() + seconds

    def worker(k: int) -> None:
        r = random.Random(k)
        c = _Http(url)
        while time.perf_counter() < stop:
            path = f"/v1/log/proofs/inclusion?index={r.randrange(size)}&size={size}"
            status, text = c.request("GET", path)
            if status != 200:
                raise RuntimeError(text[:300])
            counts[k] += 1
        c.close()

    pool = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    begin = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    served = sum(counts) / (time.perf_counter() - begin)
    return served, local


def run(quick: bool) -> list[Row]:
    """Measure and return the node's rows (see the module docstring)."""
    n_batch, n_single = (2000, 400) if quick else (10000, 2000)
    n_contention = 800 if quick else 4000
    proof_size = 100_000 if quick else 1_000_000
    seconds = 1.0 if quick else 3.0
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        with _chain(work) as (world, supplier, leader):
            items = _attestations(supplier, leader, n_batch + n_single + n_contention)
            contention_items = items[n_batch + n_single :]
            items = items[: n_batch + n_single]
            verify = _verify_rate(items, supplier, seconds)
            backends: list[tuple[str, Callable[[], Any]]] = [
                ("SQLite", lambda: _nullcontext(f"sqlite:///{work / 'ingest.db'}"))
            ]
            pg = _postgres_url()
            if pg is not None:
                backends.append(("PostgreSQL", lambda: _pg_schema(pg)))
            for name, database in backends:
                with database() as db_url, serve(world.env, db_url) as url:
                    batch, single = _ingest(url, supplier, items, n_batch, n_single)
                    if name == "PostgreSQL":
                        with_readers, alone, proofs = _contention(
                            url, supplier, contention_items, n_batch + n_single, rounds=2
                        )
                        rows.append(
                            Row(
                                "node",
                                "publish, single requests ×8 clients, PostgreSQL, while 2 "
                                "clients read inclusion proofs",
                                f"{with_readers:,.0f}/s (proofs read: {proofs:,.0f}/s)",
                                f"{alone:,.0f}/s with no readers",
                                with_readers / alone,
                                "≥ 0.8× (reads do not starve writes)",
                                with_readers >= 0.8 * alone,
                            )
                        )
                baseline = f"{verify:,.0f} Ed25519 verifies/s"
                rows.append(
                    Row(
                        "node",
                        f"ingest, batch endpoint, {name} (sig check on)",
                        f"{batch:,.0f}/s",
                        baseline,
                        batch / verify,
                        "≥ 3,000/s",
                        batch >= 3000,
                    )
                )
                rows.append(
                    Row(
                        "node",
                        f"ingest, single requests ×8 clients, {name}",
                        f"{single:,.0f}/s",
                        baseline,
                        single / verify,
                        "≥ 500/s",
                        single >= 500,
                    )
                )
            proof_db = f"sqlite:///{work / 'proofs.db'}"
            log = _build_log(proof_db, proof_size)
            with serve(world.env, proof_db, workers=2, TANJI_ANCHORING_ENABLED="false") as url:
                served, local = _proof_rates(url, log, proof_size, seconds)
            rows.append(
                Row(
                    "node",
                    f"inclusion proofs over HTTP at {proof_size:,} entries "
                    "(2 worker processes, 4 clients)",
                    f"{served:,.0f}/s",
                    f"{local:,.0f}/s in process (MerkleLog, SQLite)",
                    served / local,
                    "≥ 1,000/s",
                    served >= 1000,
                )
            )
    return rows


@contextmanager
def _nullcontext(value: str) -> Iterator[str]:
    yield value


if __name__ == "__main__":
    from bench._report import render

    print(render(run(quick="--quick" in sys.argv)))
