"""Roles on a durable wallet: what one process published, another grants, fulfils and
discloses; a crash between the wallet and the node loses nothing and duplicates nothing;
objects holding secrets do not print them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from demo_chain._data import ORG_BY_KEY, PRODUCT_BY_KEY
from demo_chain._scenario import Stage, build_inventory
from sdk import FAST_KDF, OrgKeys
from sdk.client import NodeClient
from sdk.errors import RoleError
from sdk.footprint import roll_up
from sdk.roles import Leader, Supplier
from sdk.wallet import PublishState, RequestDirection, RequestState, Wallet

PASS = "wallet pass"


class _Crash(Exception):
    """Stands for the process dying at that point (nothing after it runs)."""


class CrashingNode(NodeClient):
    """A real client of the real node that 'dies' before or after the publish request."""

    def __init__(self, base_url: str, *, after: bool, **kwargs: Any) -> None:
        super().__init__(base_url, **kwargs)
        self.after = after

    def publish(
        self,
        signed_statement: Mapping[str, Any],
        envelope: Mapping[str, Any],
        grants: Sequence[Mapping[str, Any]] = (),
        value_range_proof: Mapping[str, Any] | None = None,
        rollup_proof: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        if not self.after:
            raise _Crash
        super().publish(signed_statement, envelope, grants, value_range_proof, rollup_proof)
        raise _Crash


_OPEN: list[NodeClient] = []


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    while _OPEN:
        _OPEN.pop().close()


def _client(stage: Stage, key: str, cls: type[NodeClient] = NodeClient, **kw: Any) -> NodeClient:
    org = stage.world.orgs[key]
    client = cls(
        stage.world.node_url,
        org=org.org_id,
        key_id=org.keys.signing_key_id,
        signing_key=org.keys.signing_key,
        clock=stage.world.clock,
        **kw,
    )
    _OPEN.append(client)
    return client


def _supplier(stage: Stage, key: str, wallet: Wallet, node: NodeClient | None = None) -> Supplier:
    return Supplier(
        stage.world.orgs[key].keys,
        node=node or _client(stage, key),
        participants=stage.world.participants,
        wallet=wallet,
        clock=stage.world.clock,
    )


def _wallet(tmp_path: Path, keys: OrgKeys, name: str) -> Wallet:
    return Wallet.create(tmp_path / f"{name}.db", PASS, keys, now=datetime.now(UTC), kdf=FAST_KDF)


def test_a_later_process_fulfils_grants_and_discloses(stage: Stage, tmp_path: Path) -> None:
    spec = PRODUCT_BY_KEY["chassis"]
    keys = stage.world.orgs["chassis"].keys
    wallet = _wallet(tmp_path, keys, "chassis")
    inventory = build_inventory(spec, ORG_BY_KEY["chassis"], [], stage.world.clock())
    first = _supplier(stage, "chassis", wallet)
    published = first.publish(roll_up(inventory).footprint, inventory)
    first.node.close()
    wallet.close()

    oem = stage.cast.leader("oem")
    req = oem.request(ORG_BY_KEY["chassis"].org_id, [spec.product_id], "2026 BOM")

    # A new process: the wallet reopened from its file, a new node client.
    later_wallet = Wallet.open(tmp_path / "chassis.db", PASS)
    later = _supplier(stage, "chassis", later_wallet)
    assert published.attestation_id in later.published
    assert later.published[published.attestation_id].index == published.index
    later.fulfil(req, published.attestation_id)
    disclosure = later.disclose(published.attestation_id, ["/pcf/pcfExcludingBiogenicUptake"])
    assert disclosure.attestation_id == published.attestation_id
    incoming = later_wallet.requests(direction=RequestDirection.INCOMING)
    assert [(r.request_id, r.state) for r in incoming if r.request_id == req["id"]] == [
        (req["id"], RequestState.FULFILLED)
    ]
    record = later_wallet.publication(published.attestation_id)
    assert record is not None
    assert [g.recipient for g in record.grants] == [ORG_BY_KEY["oem"].org_id]
    later.node.close()
    later_wallet.close()

    (collected,) = oem.collect([req])
    assert collected.value == roll_up(inventory).pcf


def test_a_leader_rolls_up_in_a_later_process(stage: Stage, tmp_path: Path) -> None:
    keys = stage.world.orgs["panel"].keys
    wallet = _wallet(tmp_path, keys, "panel")
    leader = Leader(
        keys,
        node=_client(stage, "panel"),
        participants=stage.world.participants,
        wallet=wallet,
        clock=stage.world.clock,
    )
    glass = stage.cast.suppliers["glass"]
    product = PRODUCT_BY_KEY["glass_substrate"].product_id
    req = leader.request(ORG_BY_KEY["glass"].org_id, [product])
    glass.fulfil(req, stage.published["glass_substrate"].attestation_id)
    (first,) = leader.collect([req])
    leader.node.close()
    wallet.close()

    reopened = Wallet.open(tmp_path / "panel.db", PASS)
    later = Leader(
        keys,
        node=_client(stage, "panel"),
        participants=stage.world.participants,
        wallet=reopened,
        clock=stage.world.clock,
    )
    (again,) = later.collected()
    assert (again.attestation_id, again.value, again.declared_unit) == (
        first.attestation_id,
        first.value,
        first.declared_unit,
    )
    assert again.opened.content.footprint == first.opened.content.footprint
    spec = PRODUCT_BY_KEY["display_panel"]
    bom = [Leader.bom_line(again, line_id="bom-glass", quantity=spec.components[0].quantity)]
    inventory = build_inventory(spec, ORG_BY_KEY["panel"], bom, stage.world.clock())
    assert later.roll_up(inventory, [again]).result.pcf == stage.pcf["display_panel"]
    events = reopened.request_events(req["id"])
    assert [e.state for e in events] == [RequestState.OPEN, RequestState.FULFILLED]
    later.node.close()
    reopened.close()


@pytest.mark.parametrize("after", [False, True], ids=["crash-before-send", "crash-after-send"])
def test_a_crash_around_the_send_loses_nothing_and_duplicates_nothing(
    stage: Stage, tmp_path: Path, after: bool
) -> None:
    spec = PRODUCT_BY_KEY["adapter"]
    keys = stage.world.orgs["adapter"].keys
    wallet = _wallet(tmp_path, keys, f"adapter-{after}")
    inventory = build_inventory(spec, ORG_BY_KEY["adapter"], [], stage.world.clock())
    footprint = roll_up(inventory).footprint
    public = stage.world.public_node()
    before = public.health()["logSize"]
    crashing = _supplier(
        stage, "adapter", wallet, _client(stage, "adapter", CrashingNode, after=after)
    )
    with pytest.raises(_Crash):
        crashing.publish(footprint, inventory)
    (pending,) = wallet.publications(state=PublishState.PENDING)
    assert public.health()["logSize"] == before + (1 if after else 0)

    retry = _supplier(stage, "adapter", wallet)
    published = retry.publish(footprint, inventory)
    assert published.attestation_id == pending.attestation_id
    assert public.health()["logSize"] == before + 1
    assert wallet.publications(state=PublishState.PENDING) == []
    # Publishing the same input yet again is a no-op, not a second attestation.
    assert retry.publish(footprint, inventory).index == published.index
    assert public.health()["logSize"] == before + 1
    wallet.close()


def test_resume_sends_what_a_crash_left_pending(stage: Stage, tmp_path: Path) -> None:
    spec = PRODUCT_BY_KEY["ssd"]
    keys = stage.world.orgs["ssd"].keys
    wallet = _wallet(tmp_path, keys, "ssd")
    inventory = build_inventory(spec, ORG_BY_KEY["ssd"], [], stage.world.clock())
    crashing = _supplier(stage, "ssd", wallet, _client(stage, "ssd", CrashingNode, after=False))
    with pytest.raises(_Crash):
        crashing.publish(roll_up(inventory).footprint, inventory)
    (pending,) = wallet.publications()
    supplier = _supplier(stage, "ssd", wallet)
    with pytest.raises(RoleError, match="still pending"):
        supplier.grant(pending.attestation_id, ORG_BY_KEY["oem"].org_id)
    (resumed,) = supplier.resume_pending()
    assert resumed.attestation_id == pending.attestation_id
    assert stage.world.public_node().statement(resumed.attestation_id)
    supplier.grant(resumed.attestation_id, ORG_BY_KEY["oem"].org_id)
    assert supplier.resume_pending() == []
    wallet.close()


def test_objects_holding_secrets_do_not_print_them(stage: Stage) -> None:
    published = stage.published["glass_substrate"]
    attestation = published.attestation
    secrets = [
        attestation.data_key.hex(),
        attestation.content.master_salt.hex(),
        repr(attestation.data_key),
        repr(attestation.content.master_salt),
        "HF-GAS-02",  # an inventory line's instrument id
    ]
    supplied = stage.supplied["display_panel"]
    shown = " ".join(
        repr(o)
        for o in (
            published,
            attestation,
            attestation.content,
            attestation.claims.claims[0],
            supplied,
            supplied.opened,
            stage.rolled,
            stage.world.orgs["glass"].keys,
        )
    )
    for secret in secrets:
        assert secret not in shown
    assert "BJ-EM-LINE3" not in repr(stage.rolled)  # the leader's own meter, in its inventory
    assert "HF-GAS-02" not in repr(supplied)
    assert supplied.opened.data_key.hex() not in shown
