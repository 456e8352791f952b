"""One-call deployment of Tanji's contracts, wired together, and its saved form.

``deploy_tanji`` deploys, in order, the ParticipantRegistry (admin and registrar: the
given account), the AnchorRegistry (taking its log operators from the ParticipantRegistry),
the LabelRegistry (taking its certifiers from the ParticipantRegistry) and the
MeterRegistry (taking meter owners from the ParticipantRegistry). A deployment saved
before the MeterRegistry existed reopens without one (:attr:`Deployment.meters` then
says so). A
:class:`Deployment` saves to a JSON-able dict and reopens against any chain client (an RPC
chain in production) after checking the chain id and that each address holds the expected
contract.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from web3 import Web3

from anchors.chain import AnchorRegistryClient
from anchors.errors import ChainError
from sdk._labels import LabelRegistryClient
from sdk._meters import MeterRegistryClient
from sdk._registry import ParticipantRegistryClient
from sdk.errors import RegistryError

if TYPE_CHECKING:
    from eth_account.signers.local import LocalAccount
    from eth_typing import ChecksumAddress

    from anchors.chain import ChainClient

__all__ = ["DEPLOYMENT_FORMAT", "Deployment", "deploy_tanji"]

DEPLOYMENT_FORMAT = "tanji.deployment.v1"


@dataclass(frozen=True)
class Deployment:
    """Addresses of one Tanji deployment on one chain, with clients bound to ``chain``."""

    chain: ChainClient = field(repr=False, compare=False)
    chain_id: int
    participant_registry: ChecksumAddress
    anchor_registry: ChecksumAddress
    label_registry: ChecksumAddress
    registrar: ChecksumAddress
    meter_registry: ChecksumAddress | None = None

    @cached_property
    def participants(self) -> ParticipantRegistryClient:
        """Client of the ParticipantRegistry."""
        return ParticipantRegistryClient(self.chain, self.participant_registry)

    @cached_property
    def anchors(self) -> AnchorRegistryClient:
        """Client of the AnchorRegistry."""
        try:
            return AnchorRegistryClient(self.chain, self.anchor_registry)
        except ChainError as exc:
            raise RegistryError(
                f"cannot open AnchorRegistry at {self.anchor_registry}: {exc}"
            ) from exc

    @cached_property
    def labels(self) -> LabelRegistryClient:
        """Client of the LabelRegistry."""
        return LabelRegistryClient(self.chain, self.label_registry)

    @cached_property
    def meters(self) -> MeterRegistryClient:
        """Client of the MeterRegistry.

        Raises:
            RegistryError: the deployment has no MeterRegistry (saved before it existed).
        """
        if self.meter_registry is None:
            raise RegistryError(
                "this deployment has no MeterRegistry (deployed before meters were on chain); "
                "deploy a new network with 'tanji network up'"
            )
        return MeterRegistryClient(self.chain, self.meter_registry)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-able form: format tag, chain id, registrar and the contract addresses."""
        contracts = {
            "ParticipantRegistry": self.participant_registry,
            "AnchorRegistry": self.anchor_registry,
            "LabelRegistry": self.label_registry,
        }
        if self.meter_registry is not None:
            contracts["MeterRegistry"] = self.meter_registry
        return {
            "format": DEPLOYMENT_FORMAT,
            "chainId": self.chain_id,
            "registrar": self.registrar,
            "contracts": contracts,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], chain: ChainClient) -> Deployment:
        """Reopen a saved deployment against ``chain``.

        Guarantees: the chain id matches, each address holds code, and the registries are
        wired to each other as ``deploy_tanji`` wires them.

        Raises:
            RegistryError: malformed dict, another chain, missing code or wrong wiring.
        """
        if not isinstance(data, dict) or data.get("format") != DEPLOYMENT_FORMAT:
            raise RegistryError(f"not a {DEPLOYMENT_FORMAT} deployment")
        chain_id = data.get("chainId")
        if isinstance(chain_id, bool) or not isinstance(chain_id, int):
            raise RegistryError("deployment chainId must be an integer")
        if chain_id != chain.chain_id:
            raise RegistryError(
                f"deployment is for chain {chain_id}, the client is on chain {chain.chain_id}"
            )
        contracts = data.get("contracts")
        if not isinstance(contracts, dict):
            raise RegistryError("deployment has no contracts object")
        deployment = cls(
            chain=chain,
            chain_id=chain_id,
            participant_registry=_address(
                contracts.get("ParticipantRegistry"), "ParticipantRegistry"
            ),
            anchor_registry=_address(contracts.get("AnchorRegistry"), "AnchorRegistry"),
            label_registry=_address(contracts.get("LabelRegistry"), "LabelRegistry"),
            registrar=_address(data.get("registrar"), "registrar"),
            meter_registry=(
                None
                if contracts.get("MeterRegistry") is None
                else _address(contracts["MeterRegistry"], "MeterRegistry")
            ),
        )
        deployment.check()
        return deployment

    def check(self) -> None:
        """Check that each address holds the expected contract and that the AnchorRegistry
        and the LabelRegistry both take their participants from the ParticipantRegistry.

        Raises:
            RegistryError: missing code or wrong wiring, naming the contract.
        """
        try:
            operators = self.anchors.operator_registry()
        except ChainError as exc:
            raise RegistryError(f"AnchorRegistry at {self.anchor_registry}: {exc}") from exc
        if operators != self.participant_registry:
            raise RegistryError(
                f"AnchorRegistry at {self.anchor_registry} takes operators from {operators}, "
                f"not the ParticipantRegistry at {self.participant_registry}"
            )
        participants = self.labels.participant_registry()
        if participants != self.participant_registry:
            raise RegistryError(
                f"LabelRegistry at {self.label_registry} reads participants from "
                f"{participants}, not the ParticipantRegistry at {self.participant_registry}"
            )
        if self.meter_registry is not None:
            participants = self.meters.participant_registry()
            if participants != self.participant_registry:
                raise RegistryError(
                    f"MeterRegistry at {self.meter_registry} reads participants from "
                    f"{participants}, not the ParticipantRegistry at {self.participant_registry}"
                )
        if not self.participants.is_registrar(self.registrar):
            raise RegistryError(
                f"{self.registrar} is not a registrar of the ParticipantRegistry at "
                f"{self.participant_registry}"
            )


def deploy_tanji(chain: ChainClient, registrar: LocalAccount) -> Deployment:
    """Deploy ParticipantRegistry, AnchorRegistry, LabelRegistry and MeterRegistry, wired
    together.

    ``registrar`` pays for the deployment and becomes the registry's admin and registrar.

    Raises:
        RegistryError: a deployment transaction failed (the chain error is the cause).
    """
    try:
        participants = chain.deploy("ParticipantRegistry", registrar.address, sender=registrar)
        anchors = chain.deploy("AnchorRegistry", participants, sender=registrar)
        labels = chain.deploy("LabelRegistry", participants, sender=registrar)
        meters = chain.deploy("MeterRegistry", participants, sender=registrar)
    except ChainError as exc:
        raise RegistryError(f"deploying Tanji failed: {exc}") from exc
    return Deployment(
        chain=chain,
        chain_id=chain.chain_id,
        participant_registry=Web3.to_checksum_address(participants),
        anchor_registry=Web3.to_checksum_address(anchors),
        label_registry=Web3.to_checksum_address(labels),
        registrar=Web3.to_checksum_address(registrar.address),
        meter_registry=Web3.to_checksum_address(meters),
    )


def _address(value: object, name: str) -> ChecksumAddress:
    if not isinstance(value, str) or not Web3.is_address(value):
        raise RegistryError(f"deployment {name} is not an address: {value!r}")
    return Web3.to_checksum_address(value)
