"""Publishing and reading attestations: validate everything, then one transaction.

Publish (DESIGN.md §6.1), per item, before anything is written:
(1) schema of the signed statement, envelope and grants; (2) the caller is the issuer;
(3) sizes (envelope, number of grants); (4) envelope digest equals the statement's
``envelopeDigest`` and every grant names this attestation; (5) the issuer holds SUPPLIER,
LEADER or CERTIFIER on chain; (6) the key is registered for the issuer and valid now;
(7) :func:`sdk.check_issuer` at the time of publishing: the signature verifies and the
statement's ``created`` is not in the future (beyond the clock skew); (8) a statement
committing to its value (``valueCommitment``) comes with its range proof
(``valueRangeProof``), the one its digest signs, and the proof verifies
(:func:`sdk.check_value_range_proof`; refused with the failed ``rangeproof.*`` step as
the error code); a leader's public roll-up proof (``rollupProof``) parses and comes with
a value commitment (its arithmetic is checked by whoever verifies the label, against the
anchored upstream statements). Then, in ONE
transaction under the sequencer lock, new attestations get their log leaves and rows;
known ones return their stored index.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, and_, insert, or_, select
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool

from node._db import writing
from node._log import LogAccess
from node._participants import PUBLISHING_ROLES, Participants
from node._protocol import ParsedGrant, parse_envelope, parse_grant
from node._settings import Settings
from node._tables import attestations, grants
from node._util import check_aware, rfc3339
from node.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    MalformedRequest,
    NotFound,
    PayloadTooLarge,
)
from sdk import (
    SignedStatement,
    Step,
    canonical_json,
    check_issuer,
    check_value_range_proof,
    loads_strict,
)
from sdk.errors import VerificationError
from sdk.registry import Role, RoleRecord
from sdk.zk import ProofError, RollupProof


@dataclass(frozen=True)
class _AdmittedKey:
    """The issuer key the node's registry check (6) accepted at the time of publishing."""

    public_key: bytes
    valid_from: int
    revoked_at: int | None


@dataclass(frozen=True)
class PublishResult:
    """Where an attestation sits in the log; ``created`` is False for a re-submission."""

    id: str
    log_id: str
    index: int
    created: bool


class _Job:
    """One publish call waiting for its group's transaction."""

    def __init__(self, checked: list[_Checked], now: datetime) -> None:
        self.checked = checked
        self.now = now
        self.done = False
        self.result: list[PublishResult] | None = None
        self.error: BaseException | None = None


class _GroupCommitter:
    """Group commit: publish calls that arrive together share one transaction.

    The first caller to find the committer idle becomes the leader: it takes every job
    queued so far, stores them in ONE transaction (one sequencer lock, one log append,
    one commit) and hands each job its slice of the results; callers that queued
    meanwhile form the next group. If the shared transaction fails, each job is retried
    alone, so one request's error never fails another's. Single requests under load then
    cost one commit per group instead of one per request; a lone request waits for
    nobody.
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        self._cv = threading.Condition()
        self._queue: list[_Job] = []
        self._busy = False

    def submit(self, checked: list[_Checked], now: datetime) -> list[PublishResult]:
        job = _Job(checked, now)
        with self._cv:
            self._queue.append(job)
            while not job.done and self._busy:
                self._cv.wait()
            if not job.done:
                self._busy = True
                group, self._queue = self._queue, []
        if not job.done:
            try:
                self._run(group)
            finally:
                with self._cv:
                    self._busy = False
                    self._cv.notify_all()
        if job.error is not None:
            raise job.error
        assert job.result is not None
        return job.result

    def _run(self, group: list[_Job]) -> None:
        run_group(self._store, group)


Store = Callable[[list["_Checked"], list[datetime]], list["PublishResult"]]


def run_group(store: Store, group: list[_Job]) -> None:
    """Store a group's jobs in one transaction, or job by job if that fails."""
    if len(group) > 1:
        items = [c for job in group for c in job.checked]
        nows = [job.now for job in group for _ in job.checked]
        try:
            results = store(items, nows)
        except Exception:  # noqa: S110 - retried job by job below, errors kept per job
            pass
        else:
            start = 0
            for job in group:
                job.result = results[start : start + len(job.checked)]
                start += len(job.checked)
                job.done = True
            return
    for job in group:
        try:
            job.result = store(job.checked, [job.now] * len(job.checked))
        except BaseException as exc:
            job.error = exc
        job.done = True


class _AsyncGroupCommitter:
    """Group commit for callers on the event loop.

    Requests await a future; one drain task at a time takes every queued job and stores
    them with ONE hop to a worker thread, then resolves the futures on the loop. No thread
    waits per request, so under load the loop keeps accepting requests while a group is
    written, and the next group is whatever arrived meanwhile.
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        self._queue: list[tuple[_Job, asyncio.Future[list[PublishResult]]]] = []
        self._task: asyncio.Task[None] | None = None

    async def submit(self, checked: list[_Checked], now: datetime) -> list[PublishResult]:
        future: asyncio.Future[list[PublishResult]] = asyncio.get_running_loop().create_future()
        self._queue.append((_Job(checked, now), future))
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        while self._queue:
            batch, self._queue = self._queue, []
            jobs = [job for job, _ in batch]
            await run_in_threadpool(run_group, self._store, jobs)
            for job, future in batch:
                if future.done():  # the caller went away; its write stands
                    continue
                if job.error is not None:
                    future.set_exception(job.error)
                else:
                    assert job.result is not None
                    future.set_result(job.result)


@dataclass(frozen=True)
class _Checked:
    signed: SignedStatement
    envelope: bytes
    grants: tuple[ParsedGrant, ...]
    value_range_proof: bytes | None = None
    rollup_proof: bytes | None = None


class Attestations:
    """The attestation resource: publish (single or batch), statement, envelope, grants."""

    def __init__(
        self, engine: Engine, settings: Settings, participants: Participants, log: LogAccess
    ) -> None:
        self._engine = engine
        self._settings = settings
        self._participants = participants
        self._log = log
        self._committer = _GroupCommitter(self._store)
        self._async_committer = _AsyncGroupCommitter(self._store)

    # ------------------------------------------------------------------ publish

    def publish(self, caller_org: str, items: Sequence[Any], now: datetime) -> list[PublishResult]:
        """Validate every item, then store and log the new ones in one transaction.

        Guarantees: all items are stored or none; an attestation already stored (same id)
        is not appended again and gets its stored index back; the log gets the new leaves
        in request order with no gap. Raises :class:`InvalidInput` (schema, digest,
        signature), :class:`Forbidden` (not the issuer, role or key not valid),
        :class:`PayloadTooLarge` (batch, envelope or grants past the limits), naming the
        item index for batches.
        """
        return self.commit(self.check(caller_org, items, now), now)

    def check(self, caller_org: str, items: Sequence[Any], now: datetime) -> list[_Checked]:
        """Steps (1)–(7) of the module docstring for every item; nothing is written.

        Raises like :meth:`publish`.
        """
        check_aware(now)
        if len(items) > self._settings.max_batch:
            raise PayloadTooLarge(
                f"batch of {len(items)} attestations, more than {self._settings.max_batch}"
            )
        if not items:
            raise InvalidInput("no attestations to publish")
        checked: list[_Checked] = []
        for position, item in enumerate(items):
            try:
                checked.append(self._check(caller_org, item, now))
            except (InvalidInput, Forbidden, PayloadTooLarge) as exc:
                if len(items) > 1:
                    exc.message = f"attestations[{position}]: {exc.message}"
                    exc.args = (exc.message,)
                raise
        return checked

    def commit(self, checked: list[_Checked], now: datetime) -> list[PublishResult]:
        """Store and log checked items in one transaction (shared with concurrent calls)."""
        check_aware(now)
        return self._committer.submit(checked, now)

    async def commit_async(self, checked: list[_Checked], now: datetime) -> list[PublishResult]:
        """:meth:`commit` for callers on the event loop (shares a group with concurrent ones)."""
        check_aware(now)
        return await self._async_committer.submit(checked, now)

    def _check(self, caller_org: str, item: Any, now: datetime) -> _Checked:
        if not isinstance(item, dict):
            raise InvalidInput("an attestation must be a JSON object")
        unknown = set(item) - {
            "signedStatement",
            "envelope",
            "grants",
            "valueRangeProof",
            "rollupProof",
        }
        if unknown:
            raise InvalidInput(f"unknown field(s) {sorted(unknown)}")
        # (1) schema
        try:
            signed = SignedStatement.from_dict(item.get("signedStatement"))
        except VerificationError as exc:
            raise InvalidInput(f"signedStatement: {exc.reason}", code="invalid_statement") from exc
        statement = signed.statement
        issuer = str(statement.issuer)
        # (2) the caller publishes only its own attestations
        if issuer != caller_org:
            raise Forbidden(
                f"statement issuer {issuer} is not the caller {caller_org}", code="not_issuer"
            )
        # (3) sizes, then the envelope's schema
        envelope_bytes = parse_envelope(item.get("envelope"), self._settings.max_envelope_bytes)
        raw_grants = item.get("grants", [])
        if not isinstance(raw_grants, list):
            raise InvalidInput("grants must be a list")
        if len(raw_grants) > self._settings.max_grants:
            raise PayloadTooLarge(
                f"{len(raw_grants)} grants, more than {self._settings.max_grants}"
            )
        # (4) digests
        if not hmac.compare_digest(
            hashlib.sha256(envelope_bytes).digest(), statement.envelope_digest
        ):
            raise InvalidInput(
                "envelope does not match the statement's envelopeDigest", code="digest_mismatch"
            )
        parsed = tuple(parse_grant(g, signed.attestation_id) for g in raw_grants)
        recipients = [g.recipient for g in parsed]
        if len(set(recipients)) != len(recipients):
            raise InvalidInput("two grants for the same recipient")
        for g in parsed:
            self._participants.require_encryption_key(g.recipient, g.key_id, now)
        # (5) role, (6) key registered and valid now (the node's error codes)
        record = self._participants.require_role(issuer, PUBLISHING_ROLES)
        key = self._participants.signing_key(issuer, statement.key_id, now, for_auth=False)
        # (7) the sdk's issuer check at the time of publishing: signature by that key, and
        # a statement not created in the future (the roles are the ones held now).
        held = [RoleRecord(Role[name], 0) for name in sorted(record.roles & PUBLISHING_ROLES)]
        admitted = _AdmittedKey(bytes(key), valid_from=0, revoked_at=None)
        try:
            check_issuer(
                signed,
                keys=[admitted],
                roles=held,
                at=now,
                max_clock_skew=self._participants.clock_skew,
            )
        except VerificationError as exc:
            code = "future_statement" if exc.step is Step.STATEMENT_TIME else "bad_signature"
            raise InvalidInput(exc.reason, code=code) from exc
        # (8) the value's range proof, last: it is the costly check (~12 ms).
        raw_proof = item.get("valueRangeProof")
        try:
            proof = check_value_range_proof(statement, raw_proof)
        except ProofError as exc:
            raise InvalidInput(f"valueRangeProof: {exc.reason}", code=exc.step) from exc
        rollup = None
        if item.get("rollupProof") is not None:
            if proof is None:
                raise InvalidInput(
                    "rollupProof: the statement carries no valueCommitment", code="rollup.schema"
                )
            try:
                rollup = canonical_json(RollupProof.from_json(item["rollupProof"]).to_json())
            except ProofError as exc:
                raise InvalidInput(f"rollupProof: {exc.reason}", code=exc.step) from exc
        return _Checked(
            signed=signed,
            envelope=envelope_bytes,
            grants=parsed,
            value_range_proof=None if proof is None else canonical_json(proof.to_json()),
            rollup_proof=rollup,
        )

    def _store(self, checked: list[_Checked], nows: list[datetime]) -> list[PublishResult]:
        log_id = self._settings.log_id
        ids = [c.signed.attestation_id for c in checked]
        with writing(self._engine) as conn, conn.begin():
            self._log.lock(conn)
            known = self._known_indexes(conn, ids)
            fresh: dict[str, _Checked] = {}
            for item in checked:
                aid = item.signed.attestation_id
                if aid not in known and aid not in fresh:
                    fresh[aid] = item
            self._check_supersedes(conn, list(fresh.values()))
            assigned: dict[str, int] = {}
            if fresh:
                first = self._log.append(conn, [c.signed.leaf_hash for c in fresh.values()])
                rows: list[dict[str, Any]] = []
                grant_rows: list[dict[str, Any]] = []
                received = dict(zip((c.signed.attestation_id for c in checked), nows, strict=True))
                for offset, (aid, item) in enumerate(fresh.items()):
                    statement = item.signed.statement
                    now = received[aid]
                    assigned[aid] = first + offset
                    rows.append(
                        {
                            "id": aid,
                            "log_id": log_id,
                            "leaf_index": first + offset,
                            "issuer": str(statement.issuer),
                            "key_id": statement.key_id,
                            "subject_digest": statement.subject_digest.hex(),
                            "supersedes": statement.supersedes,
                            "leaf": item.signed.leaf_bytes,
                            "envelope": item.envelope,
                            "received_at": now,
                            "value_range_proof": item.value_range_proof,
                            "rollup_proof": item.rollup_proof,
                        }
                    )
                    grant_rows.extend(
                        {
                            "attestation_id": aid,
                            "recipient": g.recipient,
                            "grant": g.data,
                            "added_at": now,
                        }
                        for g in item.grants
                    )
                conn.execute(insert(attestations), rows)
                if grant_rows:
                    conn.execute(insert(grants), grant_rows)
        results = []
        for aid in ids:
            if aid in known:
                results.append(PublishResult(aid, log_id, known[aid], created=False))
            else:
                results.append(PublishResult(aid, log_id, assigned[aid], created=True))
        # A repeat inside one batch is reported like a re-submission of the first.
        seen: set[str] = set()
        out = []
        for r in results:
            out.append(PublishResult(r.id, r.log_id, r.index, r.created and r.id not in seen))
            seen.add(r.id)
        return out

    def _known_indexes(self, conn: Connection, ids: list[str]) -> dict[str, int]:
        known: dict[str, int] = {}
        unique = sorted(set(ids))
        for start in range(0, len(unique), 500):
            chunk = unique[start : start + 500]
            rows = conn.execute(
                select(attestations.c.id, attestations.c.leaf_index).where(
                    attestations.c.id.in_(chunk)
                )
            )
            known.update({row.id: int(row.leaf_index) for row in rows})
        return known

    def _check_supersedes(self, conn: Connection, fresh: list[_Checked]) -> None:
        """A superseded attestation held here must have the same issuer."""
        targets = {
            c.signed.statement.supersedes: str(c.signed.statement.issuer)
            for c in fresh
            if c.signed.statement.supersedes is not None
        }
        if not targets:
            return
        in_batch = {c.signed.attestation_id: str(c.signed.statement.issuer) for c in fresh}
        rows = conn.execute(
            select(attestations.c.id, attestations.c.issuer).where(
                attestations.c.id.in_(list(targets))
            )
        )
        stored = {row.id: row.issuer for row in rows} | in_batch
        for target, issuer in targets.items():
            owner = stored.get(target)
            if owner is not None and owner != issuer:
                raise Forbidden(
                    f"attestation {target} belongs to {owner}; {issuer} cannot supersede it",
                    code="not_issuer",
                )

    # ------------------------------------------------------------------ reads

    def signed_statement(self, attestation_id: str) -> dict[str, Any]:
        """The public signed statement with its log position; :class:`NotFound` otherwise."""
        row = self._row(attestation_id)
        statement: dict[str, Any] = loads_strict(row.leaf, "leaf")
        return statement

    def value_range_proof(self, attestation_id: str) -> dict[str, Any]:
        """``{"attestationId", "valueRangeProof", "rollupProof"}``: the range proof
        published with a statement that commits to its value (public: anyone re-checks it
        with :func:`sdk.check_value_range_proof`) and a leader's public roll-up proof (or
        null). Raises :class:`NotFound` for an unknown id
        or a statement without a value commitment (code ``no_value_proof``)."""
        row = self._row(attestation_id)
        if row.value_range_proof is None:
            raise NotFound(
                f"attestation {attestation_id} commits to no value: it has no range proof",
                code="no_value_proof",
            )
        return {
            "attestationId": attestation_id,
            "valueRangeProof": loads_strict(row.value_range_proof, "range proof"),
            "rollupProof": None
            if row.rollup_proof is None
            else loads_strict(row.rollup_proof, "roll-up proof"),
        }

    def stored_leaf(self, attestation_id: str) -> tuple[int, bytes]:
        """(leaf index, leaf bytes) of a stored attestation; :class:`NotFound` otherwise."""
        row = self._row(attestation_id)
        return int(row.leaf_index), bytes(row.leaf)

    def position(self, attestation_id: str) -> tuple[str, int]:
        """(log id, leaf index) of a stored attestation; :class:`NotFound` otherwise."""
        row = self._row(attestation_id)
        return row.log_id, int(row.leaf_index)

    def envelope_for(self, caller_org: str, attestation_id: str) -> dict[str, Any]:
        """``{envelope, grant}`` for a grantee (the issuer gets every grant).

        Raises :class:`NotFound` for an unknown id and :class:`Forbidden` when the caller
        holds no grant for it.
        """
        row = self._row(attestation_id)
        with self._engine.connect() as conn:
            if row.issuer == caller_org:
                found = conn.execute(
                    select(grants.c.grant).where(grants.c.attestation_id == attestation_id)
                ).all()
                return {
                    "envelope": loads_strict(row.envelope, "envelope"),
                    "grants": [loads_strict(g.grant, "grant") for g in found],
                }
            grant = conn.execute(
                select(grants.c.grant).where(
                    grants.c.attestation_id == attestation_id, grants.c.recipient == caller_org
                )
            ).first()
        if grant is None:
            raise Forbidden(
                f"{caller_org} holds no grant for attestation {attestation_id}", code="no_grant"
            )
        return {
            "envelope": loads_strict(row.envelope, "envelope"),
            "grant": loads_strict(grant.grant, "grant"),
        }

    def granted_to(
        self, caller_org: str, *, limit: int, before: str | None = None
    ) -> dict[str, Any]:
        """``{grants, next}``: the attestations granted to ``caller_org``, newest grant
        first (ties by attestation id, descending), each ``{attestationId, issuer,
        addedAt}``; at most ``limit``. ``next`` is the attestation id to pass as
        ``before`` for the following page, or None on the last page.

        Raises :class:`MalformedRequest` (code ``unknown_cursor``) when ``before`` is not
        an attestation granted to the caller.
        """
        query = (
            select(grants.c.attestation_id, grants.c.added_at, attestations.c.issuer)
            .join(attestations, attestations.c.id == grants.c.attestation_id)
            .where(grants.c.recipient == caller_org)
        )
        with self._engine.connect() as conn:
            if before is not None:
                cursor = conn.execute(
                    select(grants.c.added_at).where(
                        grants.c.recipient == caller_org, grants.c.attestation_id == before
                    )
                ).first()
                if cursor is None:
                    raise MalformedRequest(
                        f"before={before}: no attestation with that id is granted to "
                        f"{caller_org}; pass the `next` of the previous page",
                        code="unknown_cursor",
                    )
                query = query.where(
                    or_(
                        grants.c.added_at < cursor.added_at,
                        and_(
                            grants.c.added_at == cursor.added_at,
                            grants.c.attestation_id < before,
                        ),
                    )
                )
            rows = conn.execute(
                query.order_by(grants.c.added_at.desc(), grants.c.attestation_id.desc()).limit(
                    limit + 1
                )
            ).all()
        page = rows[:limit]
        return {
            "grants": [
                {
                    "attestationId": r.attestation_id,
                    "issuer": r.issuer,
                    "addedAt": rfc3339(r.added_at),
                }
                for r in page
            ],
            "next": page[-1].attestation_id if len(rows) > limit else None,
        }

    def add_grant(
        self, caller_org: str, attestation_id: str, grant: Any, now: datetime
    ) -> dict[str, Any]:
        """Add a grant (issuer only). Re-adding the identical grant is a no-op.

        Raises :class:`NotFound`, :class:`Forbidden` (not the issuer),
        :class:`InvalidInput` (grant malformed or for another attestation) and
        :class:`Conflict` (a different grant for that recipient exists).
        """
        check_aware(now)
        row = self._row(attestation_id)
        if row.issuer != caller_org:
            raise Forbidden(
                f"only the issuer {row.issuer} adds grants to {attestation_id}",
                code="not_issuer",
            )
        parsed = parse_grant(grant, attestation_id)
        self._participants.require_encryption_key(parsed.recipient, parsed.key_id, now)
        with writing(self._engine) as conn, conn.begin():
            existing = conn.execute(
                select(grants.c.grant).where(
                    grants.c.attestation_id == attestation_id,
                    grants.c.recipient == parsed.recipient,
                )
            ).first()
            if existing is not None:
                if existing.grant != parsed.data:
                    raise Conflict(
                        f"{parsed.recipient} already holds a different grant", code="grant_exists"
                    )
                return {"attestationId": attestation_id, "recipient": parsed.recipient}
            try:
                conn.execute(
                    insert(grants).values(
                        attestation_id=attestation_id,
                        recipient=parsed.recipient,
                        grant=parsed.data,
                        added_at=now,
                    )
                )
            except IntegrityError as exc:
                raise Conflict(f"{parsed.recipient} already holds a grant") from exc
        return {"attestationId": attestation_id, "recipient": parsed.recipient}

    def _row(self, attestation_id: str) -> Any:
        if len(attestation_id) != 64 or not all(c in "0123456789abcdef" for c in attestation_id):
            raise MalformedRequest("attestation id must be 64 lowercase hex characters")
        with self._engine.connect() as conn:
            row = conn.execute(
                select(attestations).where(attestations.c.id == attestation_id)
            ).first()
        if row is None:
            raise NotFound(f"no attestation {attestation_id}")
        return row
