"""Pinned reads over JSON-RPC (``RpcChain``) answer exactly what web3 answers.

A pinned ``eth_call`` is sent as it is and decoded with the function's ABI instead of going
through web3's request pipeline. Here every call a whole label audit makes (the demo's
honest notebook label on anvil: labels with their issuer address in a struct, key and role
histories, anchored heads, the six upstream lines of the committed roll-up) is also asked
through web3, and both answers must be equal in value and in shape; refusals still come
back decoded, through web3.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from web3.contract.contract import ContractFunction
from web3.types import RPCEndpoint

from anchors.chain import RpcChain
from demo_chain._scenario import Stage
from sdk.errors import RegistryRefused
from sdk.roles import audit_label, collect_label_evidence
from tests._demo import honest_stage
from tests.conftest import require_anvil

pytestmark = pytest.mark.anvil


def _shape(value: Any) -> Any:
    """The value with its container and scalar types spelled out."""
    if isinstance(value, list | tuple):
        return (type(value).__name__, [_shape(v) for v in value])
    return (type(value).__name__, value)


@pytest.fixture(scope="module")
def stage(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stage]:
    require_anvil()
    out = tmp_path_factory.mktemp("rpc-reads")
    with honest_stage(out, anvil=True) as stage:
        yield stage


def test_every_call_of_a_label_audit_answers_as_web3(
    stage: Stage, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = stage.world
    assert isinstance(world.chain, RpcChain)
    lean = RpcChain._read
    compared: list[str] = []

    def both(self: RpcChain, fn: ContractFunction, block: int, data: str) -> Any:
        got = lean(self, fn, block, data)
        assert _shape(got) == _shape(fn.call(block_identifier=block)), fn.fn_name
        compared.append(fn.fn_name)
        return got

    monkeypatch.setattr(RpcChain, "_read", both)
    # A new block: nothing is remembered for it, every call is asked.
    world.chain.w3.provider.make_request(RPCEndpoint("evm_mine"), [])
    deployment = world.deployment
    evidence = collect_label_evidence(
        stage.certificate.label.label_id,
        node=world.public_node(),
        participants=deployment.participants,
        labels=deployment.labels,
        anchors=deployment.anchors,
    )
    report = audit_label(evidence, world.clock())
    assert report.ok, report.failed
    # Struct outputs with an address inside, lists of structs, integers and bytes32.
    names = {"label", "statusAt", "suspensionsOf", "certificateOf", "orgOfAccount"}
    names |= {"organisation", "signingKeys", "firstAtOrAbove"}
    assert names <= set(compared), compared
    assert len(compared) >= 15


def test_a_refused_pinned_call_is_decoded_through_web3(stage: Stage) -> None:
    participants = stage.world.deployment.participants
    with (
        stage.world.chain.pinned_reads(),
        pytest.raises(RegistryRefused) as refused,
    ):
        participants.key_record("urn:tanji:org:nobody", b"\x01" * 32)
    assert refused.value.reason == "UnknownOrganisation"
