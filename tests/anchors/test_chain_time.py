"""Chain time is UNIX seconds in every contract, also on a chain stamping milliseconds.

FISCO BCOS stamps blocks in milliseconds and (before ``feature_evm_timestamp``) hands
them to contracts as ``block.timestamp``. anvil is started with a millisecond genesis
stamp (the embedded chain refuses stamps past the year 3017); anchoring times, key
validity and label windows must still be seconds, and the Python client must read block
headers in the same unit (``block_time_seconds``).
"""

from __future__ import annotations

import hashlib
import time
from datetime import UTC, datetime

import pytest

from anchors import leaf_hash
from anchors.chain import MILLISECONDS_FROM, RpcChain, block_time_seconds, start_anvil
from sdk import OrgKeys
from sdk.deploy import deploy_tanji
from sdk.labels import LabelStatus
from sdk.registry import Role
from tests.conftest import require_anvil

ORG = "urn:tanji:org:ms-chain"


def test_block_time_seconds_follows_the_contracts_rule() -> None:
    assert MILLISECONDS_FROM == 10**11
    assert block_time_seconds(0) == 0
    assert block_time_seconds(1_764_000_000) == 1_764_000_000
    assert block_time_seconds(MILLISECONDS_FROM - 1) == MILLISECONDS_FROM - 1  # year 5138
    assert block_time_seconds(MILLISECONDS_FROM) == MILLISECONDS_FROM // 1000  # 1973
    assert block_time_seconds(1_764_000_000_999) == 1_764_000_000
    for bad in (-1, 1.5, True):
        with pytest.raises(ValueError, match="non-negative integer"):
            block_time_seconds(bad)  # type: ignore[arg-type]


@pytest.mark.anvil
def test_a_chain_stamping_milliseconds_keeps_every_contract_time_in_seconds() -> None:
    wall = int(time.time())
    genesis = ["--timestamp", str(wall * 1000)]
    with start_anvil(binary=require_anvil(), extra_args=genesis) as node:
        _check_seconds_everywhere(node.chain(), wall)


def _check_seconds_everywhere(chain: RpcChain, wall: int) -> None:
    registrar = chain.new_account()
    deployment = deploy_tanji(chain, registrar)
    assert int(chain.w3.eth.get_block("latest")["timestamp"]) >= 10**12

    keys = OrgKeys.from_seed(ORG, hashlib.sha256(b"ms-chain").digest())
    account = chain.new_account()
    deployment.participants.register_organisation(
        ORG,
        account.address,
        [Role.LOG_OPERATOR, Role.CERTIFIER],
        bytes(keys.verify_key),
        bytes(keys.public_key),
        sender=registrar,
    )
    registered = chain.block_timestamp()
    assert abs(registered - wall) < 60
    (key,) = deployment.participants.signing_key_history(ORG)
    assert key.valid_from == registered

    # The anchoring time is stored, emitted and read back in seconds.
    deployment.anchors.create_log("ms-log", account)
    root = leaf_hash(b"only entry")
    _next_block_after(chain, milliseconds=1_500)  # a stamp that is not a whole second
    ref = deployment.anchors.anchor("ms-log", 1, root, [], account)
    head = deployment.anchors.latest("ms-log")
    assert head is not None
    raw = int(chain.w3.eth.get_block(ref.block_number)["timestamp"])
    assert raw % 1000 != 0
    assert head.timestamp == ref.timestamp == raw // 1000 == chain.block_timestamp(ref.block_number)
    assert head.anchored_at == datetime.fromtimestamp(raw // 1000, UTC)
    assert key.valid_at(head.anchored_at)

    # A label valid "from now" for the default two years is active now, in seconds.
    label = deployment.labels.issue(
        label_id=hashlib.sha256(b"ms label").digest(),
        product_id_digest=hashlib.sha256(b"urn:tanji:product:ms").digest(),
        log_id="ms-log",
        leaf_index=0,
        leaf_hash=root,
        value="12.5",
        unit="kgCO2e/piece",
        grade="",
        standard="GB/T 24067-2024",
        disclosure_digest=hashlib.sha256(b"disclosure").digest(),
        sender=account,
    )
    issued = chain.block_timestamp()
    assert label.valid_from == label.issued_at == issued
    assert label.valid_until == deployment.labels.two_years_after(issued)
    assert label.status == LabelStatus.ACTIVE

    # Revocations are stamped in seconds too: valid before, revoked from then on. (Within
    # one second a millisecond chain's anchoring and revocation compare as simultaneous:
    # the key counts as revoked, the safe side; docs/chains.md.)
    _next_block_after(chain, milliseconds=2_000)
    deployment.participants.revoke_key(ORG, bytes(keys.verify_key), sender=registrar)
    (revoked,) = deployment.participants.signing_key_history(ORG)
    assert revoked.revoked_at == chain.block_timestamp() >= head.timestamp + 2
    assert revoked.valid_at(head.anchored_at)
    assert not revoked.valid_at(revoked.revoked_at)


def _next_block_after(chain: RpcChain, milliseconds: int) -> None:
    latest = int(chain.w3.eth.get_block("latest")["timestamp"])
    chain.rpc("evm_setNextBlockTimestamp", latest + milliseconds)
