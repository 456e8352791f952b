"""``NodeClient``: an httpx client for a Tanji node that authenticates for the caller.

Authentication has no shared secret: the client signs a short-lived assertion
``b"tanji.auth.v1\\0" + JCS({aud, exp, iat, keyId, nonce, org})`` with the organisation's
registered Ed25519 key, trades it at ``POST /v1/auth/token`` for a bearer token, and
renews the token before it expires (or once after a 401). Every error answer of the node
becomes :class:`~sdk.errors.NodeClientError` with the node's ``code`` and ``message``;
transport failures are wrapped the same way with code ``transport_error``.
"""

from __future__ import annotations

import base64
import secrets
import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from nacl.signing import SigningKey

from sdk._canonical import canonical_json
from sdk.errors import NodeClientError

AUTH_TAG = b"tanji.auth.v1\0"
ASSERTION_FIELDS = ("aud", "exp", "iat", "keyId", "nonce", "org")
DEFAULT_ASSERTION_SECONDS = 120


def assertion_signing_bytes(claims: Mapping[str, Any]) -> bytes:
    """The exact bytes an auth assertion's signature covers (domain tag + JCS)."""
    return AUTH_TAG + canonical_json(dict(claims))


def make_assertion(
    *,
    org: str,
    key_id: str,
    signing_key: SigningKey,
    audience: str,
    now: datetime,
    nonce: str,
    lifetime_seconds: int = DEFAULT_ASSERTION_SECONDS,
) -> dict[str, Any]:
    """A signed auth assertion ``{"assertion": {...}, "signature": b64}`` issued at ``now``.

    ``audience`` is the node's origin (its public URL without a trailing slash); ``nonce``
    must never be reused. Raises :class:`ValueError` for a naive ``now``.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("naive datetime refused; pass a timezone-aware time")
    iat = int(now.timestamp())
    claims = {
        "aud": audience.rstrip("/"),
        "exp": iat + lifetime_seconds,
        "iat": iat,
        "keyId": key_id,
        "nonce": nonce,
        "org": org,
    }
    signature = signing_key.sign(assertion_signing_bytes(claims)).signature
    return {"assertion": claims, "signature": base64.b64encode(signature).decode("ascii")}


def _utcnow() -> datetime:
    return datetime.now(UTC)


class NodeClient:
    """A client of one node, acting for one organisation (or anonymously).

    ``org``, ``key_id`` and ``signing_key`` are needed for the authenticated calls; public
    calls (statements, log, proofs, receipts, verification) work without them.
    ``transport`` lets tests and in-process callers pass e.g. ``httpx.ASGITransport``.
    ``clock`` and ``nonce`` supply time and randomness for assertions.
    """

    def __init__(
        self,
        base_url: str,
        *,
        org: str | None = None,
        key_id: str | None = None,
        signing_key: SigningKey | None = None,
        audience: str | None = None,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 30.0,
        clock: Callable[[], datetime] = _utcnow,
        nonce: Callable[[], str] = lambda: secrets.token_hex(16),
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.org = org
        self.key_id = key_id
        self._signing_key = signing_key
        self._audience = (audience or self.base_url).rstrip("/")
        self._clock = clock
        self._nonce = nonce
        self._http = httpx.Client(base_url=self.base_url, transport=transport, timeout=timeout)
        self._token: str | None = None
        self._token_expires: datetime | None = None
        self._lock = threading.Lock()

    def close(self) -> None:
        """Close the underlying connection pool."""
        self._http.close()

    def __enter__(self) -> NodeClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ plumbing

    def _request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        auth: bool = False,
    ) -> Any:
        for attempt in (1, 2):
            headers = {"Authorization": f"Bearer {self.token()}"} if auth else {}
            try:
                response = self._http.request(
                    method, path, json=json, params=params, headers=headers
                )
            except httpx.HTTPError as exc:
                raise NodeClientError(0, "transport_error", f"{method} {path}: {exc}") from exc
            if response.status_code == 401 and auth and attempt == 1:
                with self._lock:
                    self._token = None
                continue
            if response.status_code >= 400:
                code, message = "http_error", response.text
                try:
                    body = response.json()
                    code, message = str(body["code"]), str(body["message"])
                except (ValueError, KeyError, TypeError):
                    pass
                raise NodeClientError(response.status_code, code, message)
            if response.status_code == 204:
                return None
            return response.json()
        raise AssertionError("unreachable")  # pragma: no cover

    def _object(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        auth: bool = False,
    ) -> dict[str, Any]:
        """``_request`` for an answer that is one JSON object."""
        result: dict[str, Any] = self._request(method, path, json=json, params=params, auth=auth)
        return result

    def _items(
        self,
        key: str,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        auth: bool = False,
    ) -> list[dict[str, Any]]:
        """``_request`` for an answer that wraps a list in ``{key: [...]}``."""
        result = self._request(method, path, json=json, params=params, auth=auth)
        return list(result[key])

    def token(self) -> str:
        """A valid bearer token, fetching a new one when none is held or it nears expiry.

        Raises :class:`NodeClientError` when the node refuses the assertion (e.g. a
        revoked key) and :class:`ValueError` when the client has no identity.
        """
        with self._lock:
            now = self._clock()
            if (
                self._token is not None
                and self._token_expires is not None
                and now < self._token_expires - timedelta(seconds=30)
            ):
                return self._token
            if self.org is None or self.key_id is None or self._signing_key is None:
                raise ValueError("this NodeClient has no org, key_id and signing_key")
            body = make_assertion(
                org=self.org,
                key_id=self.key_id,
                signing_key=self._signing_key,
                audience=self._audience,
                now=now,
                nonce=self._nonce(),
            )
            try:
                response = self._http.post("/v1/auth/token", json=body)
            except httpx.HTTPError as exc:
                raise NodeClientError(0, "transport_error", f"auth: {exc}") from exc
            try:
                data = response.json() if response.content else {}
            except ValueError:
                data = None  # e.g. a proxy's HTML error page
            if not isinstance(data, dict):
                data = {}
            if response.status_code != 200:
                raise NodeClientError(
                    response.status_code,
                    str(data.get("code", "http_error")),
                    str(data.get("message", response.text)),
                )
            self._token = str(data["accessToken"])
            self._token_expires = now + timedelta(seconds=int(data["expiresIn"]))
            return self._token

    # ------------------------------------------------------------------ attestations

    def publish(
        self,
        signed_statement: Mapping[str, Any],
        envelope: Mapping[str, Any],
        grants: Sequence[Mapping[str, Any]] = (),
        value_range_proof: Mapping[str, Any] | None = None,
        rollup_proof: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Publish one attestation; returns ``{id, logId, index, status}``.

        ``value_range_proof``: the range proof of the statement's ``valueCommitment``
        (required with it; :attr:`sdk.Attestation.value_range_proof`); ``rollup_proof``:
        a leader's public committed roll-up proof. Re-publishing the
        same attestation returns the same id and index with status ``existing``.
        """
        body: dict[str, Any] = {
            "signedStatement": dict(signed_statement),
            "envelope": dict(envelope),
            "grants": [dict(g) for g in grants],
        }
        if value_range_proof is not None:
            body["valueRangeProof"] = dict(value_range_proof)
        if rollup_proof is not None:
            body["rollupProof"] = dict(rollup_proof)
        return self._object("POST", "/v1/attestations", json=body, auth=True)

    def publish_batch(self, items: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """Publish several ``{signedStatement, envelope, grants}`` items, all or nothing."""
        body = {"attestations": [dict(i) for i in items]}
        return self._items("results", "POST", "/v1/attestations/batch", json=body, auth=True)

    def statement(self, attestation_id: str) -> dict[str, Any]:
        """The public signed statement of an attestation (``{statement, signature}``)."""
        return self._object("GET", f"/v1/attestations/{attestation_id}")

    def value_proofs(self, attestation_id: str) -> dict[str, Any]:
        """``{attestationId, valueRangeProof, rollupProof}``: the range proof published
        with a statement committing to its value and a leader's public roll-up proof (or
        null); ``NodeClientError`` 404 when it commits to no value."""
        return self._object("GET", f"/v1/attestations/{attestation_id}/value-proof")

    def value_range_proof(self, attestation_id: str) -> dict[str, Any]:
        """The ``valueRangeProof`` of :meth:`value_proofs`."""
        proof: dict[str, Any] = self.value_proofs(attestation_id)["valueRangeProof"]
        return proof

    def envelope(self, attestation_id: str) -> dict[str, Any]:
        """``{envelope, grant}``: the ciphertext and the caller's grant (grantees only)."""
        return self._object("GET", f"/v1/attestations/{attestation_id}/envelope", auth=True)

    def add_grant(self, attestation_id: str, grant: Mapping[str, Any]) -> dict[str, Any]:
        """Add a grant to an attestation the caller issued."""
        return self._object(
            "POST",
            f"/v1/attestations/{attestation_id}/grants",
            json={"grant": dict(grant)},
            auth=True,
        )

    def grants(self, *, limit: int = 100, before: str | None = None) -> dict[str, Any]:
        """``{grants, next}``: the attestations granted to the caller, newest grant first,
        each ``{attestationId, issuer, addedAt}``; pass ``next`` as ``before`` for the
        following page (None on the last page)."""
        params: dict[str, Any] = {"limit": limit}
        if before is not None:
            params["before"] = before
        return self._object("GET", "/v1/grants", params=params, auth=True)

    def all_grants(self, *, page: int = 100) -> list[dict[str, Any]]:
        """Every attestation granted to the caller, newest grant first (:meth:`grants`
        page after page)."""
        out: list[dict[str, Any]] = []
        before: str | None = None
        while True:
            found = self.grants(limit=page, before=before)
            out.extend(found["grants"])
            before = found["next"]
            if before is None:
                return out

    def receipt(self, attestation_id: str) -> dict[str, Any]:
        """The attestation's receipt; raises ``NodeClientError`` 404 until it is anchored."""
        return self._object("GET", f"/v1/attestations/{attestation_id}/receipt")

    # ------------------------------------------------------------------ requests

    def request_footprint(
        self, supplier: str, product_ids: Sequence[str], message: str | None = None
    ) -> dict[str, Any]:
        """As a leader, ask ``supplier`` for the footprints of ``product_ids``."""
        body: dict[str, Any] = {"supplier": supplier, "productIds": list(product_ids)}
        if message is not None:
            body["message"] = message
        return self._object("POST", "/v1/requests", json=body, auth=True)

    def fulfil_request(self, request_id: str, attestation_id: str) -> dict[str, Any]:
        """As the supplier, answer a request with an attestation the leader may decrypt."""
        return self._object(
            "POST",
            f"/v1/requests/{request_id}/fulfil",
            json={"attestationId": attestation_id},
            auth=True,
        )

    def reject_request(self, request_id: str, reason: str) -> dict[str, Any]:
        """As the supplier, decline a request with a reason."""
        return self._object(
            "POST", f"/v1/requests/{request_id}/reject", json={"reason": reason}, auth=True
        )

    def get_request(self, request_id: str) -> dict[str, Any]:
        """One request (visible to its leader and supplier)."""
        return self._object("GET", f"/v1/requests/{request_id}", auth=True)

    def list_requests(
        self,
        *,
        role: str | None = None,
        status: str | None = None,
        updated_after: str | None = None,
        limit: int = 100,
    ) -> list[dict[str, Any]]:
        """The caller's requests (as leader, supplier or both), oldest update first."""
        params: dict[str, Any] = {"limit": limit}
        if role is not None:
            params["role"] = role
        if status is not None:
            params["status"] = status
        if updated_after is not None:
            params["updatedAfter"] = updated_after
        return self._items("requests", "GET", "/v1/requests", params=params, auth=True)

    def set_webhook(self, url: str) -> dict[str, Any]:
        """Deliver the caller's request events to ``url`` (replaces any earlier one)."""
        return self._object("PUT", "/v1/webhook", json={"url": url}, auth=True)

    def get_webhook(self) -> dict[str, Any]:
        """The caller's webhook URL and its delivery counts (pending, delivered, failed)."""
        return self._object("GET", "/v1/webhook", auth=True)

    def delete_webhook(self) -> None:
        """Stop webhook deliveries for the caller."""
        self._request("DELETE", "/v1/webhook", auth=True)

    # ------------------------------------------------------------------ public attestations

    def put_public_disclosure(
        self, attestation_id: str, disclosure: Mapping[str, Any]
    ) -> dict[str, Any]:
        """As the issuer of ``attestation_id``, make it public: store its FULL disclosure
        (every claim); the node checks it against the stored statement's commitment.
        Idempotent; returns ``{attestationId, status}``."""
        return self._object(
            "PUT",
            f"/v1/attestations/{attestation_id}/public",
            json={"disclosure": dict(disclosure)},
            auth=True,
        )

    def public_disclosure(self, attestation_id: str) -> dict[str, Any]:
        """The full disclosure of a public attestation (404 ``not_public`` otherwise)."""
        return self._object("GET", f"/v1/attestations/{attestation_id}/public")

    # ------------------------------------------------------------------ labels

    def put_label_disclosure(self, label_id: str, disclosure: Mapping[str, Any]) -> dict[str, Any]:
        """As the certifier that issued label ``label_id`` (``0x`` + hex), publish its public
        disclosure; the node checks the label on chain names this disclosure's digest."""
        return self._object(
            "PUT",
            f"/v1/labels/{label_id}/disclosure",
            json={"disclosure": dict(disclosure)},
            auth=True,
        )

    def label_disclosure(self, label_id: str) -> dict[str, Any]:
        """The public disclosure of label ``label_id`` (``0x`` + hex)."""
        return self._object("GET", f"/v1/labels/{label_id}/disclosure")

    def label(self, label_id: str) -> dict[str, Any]:
        """Label ``label_id`` as recorded on chain, with its public disclosure."""
        return self._object("GET", f"/v1/labels/{label_id}")

    # ------------------------------------------------------------------ log

    def node_info(self) -> dict[str, Any]:
        """The node's log id, origin, checkpoint key and chain contracts."""
        return self._object("GET", "/v1/node")

    def health(self) -> dict[str, Any]:
        """Log size, anchoring backlog and chain status."""
        return self._object("GET", "/v1/health")

    def latest_checkpoint(self) -> dict[str, Any]:
        """The newest anchored checkpoint with its anchor (transaction, block)."""
        return self._object("GET", "/v1/log/checkpoints/latest")

    def checkpoints(self, *, limit: int = 100, before: int | None = None) -> list[dict[str, Any]]:
        """Anchored checkpoints, newest first."""
        params: dict[str, Any] = {"limit": limit}
        if before is not None:
            params["before"] = before
        return self._items("checkpoints", "GET", "/v1/log/checkpoints", params=params)

    def inclusion_proof(self, index: int, size: int) -> dict[str, Any]:
        """Inclusion proof of leaf ``index`` in the tree of ``size`` leaves."""
        return self._object(
            "GET", "/v1/log/proofs/inclusion", params={"index": index, "size": size}
        )

    def consistency_proof(self, size1: int, size2: int) -> dict[str, Any]:
        """Consistency proof between tree sizes ``size1`` and ``size2``."""
        return self._object(
            "GET", "/v1/log/proofs/consistency", params={"from": size1, "to": size2}
        )

    def entries(self, start: int, end: int) -> list[dict[str, Any]]:
        """Log entries ``[start, end)`` with their attestation ids and signed statements."""
        return self._items("entries", "GET", "/v1/log/entries", params={"start": start, "end": end})

    def verify(
        self, receipt: Mapping[str, Any], disclosure: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """The node's step-by-step verification report of a receipt (and disclosure)."""
        body: dict[str, Any] = {"receipt": dict(receipt)}
        if disclosure is not None:
            body["disclosure"] = dict(disclosure)
        return self._object("POST", "/v1/verify", json=body)
