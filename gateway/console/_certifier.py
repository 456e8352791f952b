"""The certifier's work from the console, over the gateway's wallet.

The console gets the organisation as a :class:`sdk.roles.Certifier` from a factory the
gateway's process passes (``tanji gateway serve``: its session's ``certifier()``), called
once on first use. Every operation runs under the gateway's wallet lock
(:attr:`gateway.pact.Gateway.wallet_lock`): the gateway's worker uses the same wallet, and
two label transactions from one account must not race for a nonce. The checks are
:meth:`~sdk.roles.Certifier.check` and the list of steps is :data:`sdk.roles.CHECK_STEPS`,
as ``tanji certify`` prints them; issuing re-runs the checks first (a check is never taken
from the browser).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from anchors.errors import AnchorsError, ChainUnavailable
from gateway.console._certpages import CheckView, IssuedLabel, Pending, Upstream
from gateway.pact._service import Gateway
from gateway.pact.errors import CertifierUnavailable
from sdk.errors import NodeClientError, RegistryError, RegistryRefused, SdkError, VerificationError
from sdk.labels import LabelStatus
from sdk.registry import Role
from sdk.roles import check_step_statuses, label_id_bytes
from sdk.wallet import LabelRole

if TYPE_CHECKING:
    from sdk.roles import CertificationCheck, Certifier

CertifierFactory = Callable[[], "Certifier"]
"""Makes the organisation's :class:`~sdk.roles.Certifier` on the gateway's wallet; raises
:class:`~gateway.pact.errors.CertifierUnavailable` (or a chain or node error) when it
cannot."""

ACTIONS = ("suspend", "restore", "revoke")
_STATES = {
    LabelStatus.ACTIVE: "active",
    LabelStatus.SUSPENDED: "suspended",
    LabelStatus.REVOKED: "revoked",
    LabelStatus.EXPIRED: "expired",
    LabelStatus.NOT_YET_VALID: "not_yet_valid",
}


class Refused(Exception):
    """The certifier refused an action: ``status`` 404 (no such label of this
    organisation), 409 (the chain or the checks refused) or 422 (bad input)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def unreachable(exc: BaseException) -> bool:
    """Whether ``exc`` (or what caused it) is the node or the chain not answering: a
    :class:`~anchors.errors.ChainUnavailable`, a node transport error or a 5xx."""
    seen: BaseException | None = exc
    for _ in range(16):
        if seen is None:
            return False
        if isinstance(seen, ChainUnavailable | CertifierUnavailable):
            return True
        if isinstance(seen, NodeClientError) and (seen.status == 0 or seen.status >= 500):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _unavailable(exc: BaseException) -> CertifierUnavailable:
    if isinstance(exc, CertifierUnavailable):
        return exc
    return CertifierUnavailable(f"the node or the chain does not answer ({exc}); try again")


class CertifierDesk:
    """The certifier page's operations, serialized under the gateway's wallet lock.

    Every method raises :class:`~gateway.pact.errors.CertifierUnavailable` when the
    certifier cannot be made or the node or chain does not answer, and :class:`Refused`
    when the action is refused.
    """

    def __init__(self, gateway: Gateway, factory: CertifierFactory | None) -> None:
        self._gateway = gateway
        self._factory = factory
        self._certifier: Certifier | None = None

    def _get(self) -> Certifier:
        """The certifier (made on first use; a failure is retried next time)."""
        if self._certifier is None:
            if self._factory is None:
                raise CertifierUnavailable(
                    "this gateway was started without a certifier: run `tanji gateway serve` "
                    "in the home of an organisation holding the CERTIFIER role"
                )
            try:
                self._certifier = self._factory()
            except CertifierUnavailable:
                raise
            except (SdkError, AnchorsError) as exc:
                if unreachable(exc):
                    raise _unavailable(exc) from exc
                raise CertifierUnavailable(f"the certifier cannot be set up: {exc}") from exc
        return self._certifier

    # ------------------------------------------------------------------ reads

    def overview(self) -> tuple[list[Pending], list[IssuedLabel]]:
        """The pending certifications (granted to this organisation by a leader, no label
        of this wallet yet), newest grant first, and the labels issued with their state on
        chain, newest first."""
        with self._gateway.wallet_lock:
            certifier = self._get()
            try:
                return self._pending(certifier), self._issued(certifier)
            except (SdkError, AnchorsError) as exc:
                if unreachable(exc):
                    raise _unavailable(exc) from exc
                raise CertifierUnavailable(
                    f"the grants or the labels cannot be read: {exc}"
                ) from exc

    def _pending(self, certifier: Certifier) -> list[Pending]:
        labelled = {r.attestation_id for r in certifier.wallet.labels(role=LabelRole.ISSUED)}
        leaders: dict[str, bool] = {}
        out = []
        for g in certifier.node.all_grants():
            issuer = str(g["issuer"])
            if g["attestationId"] in labelled:
                continue
            if issuer not in leaders:
                leaders[issuer] = certifier.participants.has_role(issuer, Role.LEADER)
            if leaders[issuer]:
                added = datetime.fromisoformat(str(g["addedAt"]).replace("Z", "+00:00"))
                out.append(Pending(str(g["attestationId"]), issuer, added))
        return out

    def _issued(self, certifier: Certifier) -> list[IssuedLabel]:
        out = []
        for r in reversed(certifier.wallet.labels(role=LabelRole.ISSUED)):
            found = certifier.labels.label(label_id_bytes(r.label_id))
            state, reason = "unknown", r.reason
            if found is not None:
                state = _STATES.get(found.status, "unknown")
                suspension = found.suspension
                reason = found.revocation_reason or (suspension.reason if suspension else None)
            out.append(IssuedLabel(r, state, reason))
        return out

    # ------------------------------------------------------------------ checks

    def check(self, attestation_id: str) -> CheckView:
        """Run the certifier's checks of ``attestation_id`` and report every step."""
        with self._gateway.wallet_lock:
            certifier = self._get()
            try:
                checked = certifier.check(attestation_id)
            except VerificationError as exc:
                if unreachable(exc):
                    raise _unavailable(exc) from exc
                return CheckView(
                    attestation_id,
                    tuple(check_step_statuses(failed=exc.step)),
                    failed_step=str(exc.step),
                    reason=exc.reason,
                )
            except (SdkError, AnchorsError, ValueError, KeyError, TypeError) as exc:
                if unreachable(exc):
                    raise _unavailable(exc) from exc
                return CheckView(
                    attestation_id, tuple(check_step_statuses(failed="")), reason=str(exc)
                )
        return _view(checked)

    def issue(self, attestation_id: str, grade: str, standard: str) -> str:
        """Re-run the checks and issue the label (:meth:`~sdk.roles.Certifier.certify`);
        returns its id. :class:`Refused` 409 when this wallet already labelled the
        attestation or the checks fail, 422 for a grade or standard the LabelRegistry
        does not take."""
        with self._gateway.wallet_lock:
            certifier = self._get()
            for r in certifier.wallet.labels(role=LabelRole.ISSUED):
                if r.attestation_id == attestation_id:
                    raise Refused(409, f"this organisation already issued {r.label_id} for it")
            try:
                checked = certifier.check(attestation_id)
                return certifier.certify(checked, grade=grade, standard=standard).label_id
            except VerificationError as exc:
                if unreachable(exc):
                    raise _unavailable(exc) from exc
                raise Refused(409, f"the checks failed at step {exc.step}: {exc.reason}") from exc
            except SdkError as exc:
                raise _refused(exc) from exc

    def change(self, label_id: str, action: str, reason: str) -> str:
        """Suspend, restore or revoke a label this organisation issued (``action``, one
        of :data:`ACTIONS`), with ``reason``; returns the label id as stored.
        :class:`Refused` 404 for a label it did not issue, 409 when the LabelRegistry
        refuses (e.g. already suspended), 422 for a reason it does not take."""
        try:
            raw = label_id_bytes(label_id)
        except ValueError as exc:
            raise Refused(422, str(exc)) from exc
        hex_id = "0x" + raw.hex()
        with self._gateway.wallet_lock:
            certifier = self._get()
            record = certifier.wallet.label(hex_id)
            if record is None or record.role is not LabelRole.ISSUED:
                raise Refused(404, f"this organisation issued no label {hex_id}")
            act = {
                "suspend": certifier.suspend,
                "restore": certifier.restore,
                "revoke": certifier.revoke,
            }[action]
            try:
                act(raw, reason)
            except SdkError as exc:
                raise _refused(exc) from exc
        return hex_id


def _refused(exc: SdkError) -> Exception:
    """Unavailable (the node or chain does not answer); 422 for input the LabelRegistry
    client refuses before sending; 409 for any other refusal (the contract's, the
    node's)."""
    if unreachable(exc):
        return _unavailable(exc)
    if isinstance(exc, RegistryError) and not isinstance(exc, RegistryRefused):
        return Refused(422, str(exc))
    return Refused(409, str(exc))


def _view(checked: CertificationCheck) -> CheckView:
    unverified = tuple(
        f"{u.get('lineId')}: {u.get('supplierProductId')} {u.get('supplierPcf')} kg CO₂e / "
        f"{u.get('supplierDeclaredUnit')}"
        for u in checked.unverified
    )
    return CheckView(
        checked.attestation_id,
        tuple(check_step_statuses(checked)),
        leader=checked.leader,
        product_id=checked.product_id,
        claimed=str(checked.claimed),
        recomputed=str(checked.recomputed),
        unit=checked.unit,
        factor_set=checked.factor_set_id
        + (f" ({checked.factor_set_attestation})" if checked.factor_set_attestation else ""),
        upstream=tuple(
            Upstream(u.supplier, u.product_id, str(u.value), u.declared_unit, u.attestation_id)
            for u in checked.upstream
        ),
        unverified=unverified,
        quality=tuple(checked.data_quality.to_lines()),
    )
