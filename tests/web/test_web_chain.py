"""The browser verifier reads the registries over JSON-RPC (eth_call, its own ABI codec)
exactly as the Python clients read them, from a real anvil chain."""

from __future__ import annotations

import hashlib
import socket
from typing import Any

import pytest
from web3 import Web3

from sdk.labels import Label
from sdk.registry import KeyRecord, Role
from tests.web.conftest import CERTIFIER_ID, SUPPLIER_ID, ChainWorld, RunJs


def _label(label: Label | None) -> dict[str, Any] | None:
    """A Python Label in the JS reader's JSON form (bytes as hex)."""
    if label is None:
        return None
    return {
        "labelId": label.label_id.hex(),
        "productIdDigest": label.product_id_digest.hex(),
        "logIdDigest": label.log_id_digest.hex(),
        "leafIndex": label.leaf_index,
        "leafHash": label.leaf_hash.hex(),
        "value": label.value,
        "unit": label.unit,
        "grade": label.grade,
        "standard": label.standard,
        "validFrom": label.valid_from,
        "validUntil": label.valid_until,
        "disclosureDigest": label.disclosure_digest.hex(),
        "issuerOrgDigest": label.issuer_org_digest.hex(),
        "issuer": label.issuer,
        "issuedAt": label.issued_at,
        "revokedAt": label.revoked_at,
        "revocationReason": label.revocation_reason,
        "status": int(label.status),
    }


def _keys(history: list[KeyRecord]) -> list[dict[str, Any]]:
    return [
        {
            "publicKey": k.public_key.hex(),
            "validFrom": k.valid_from,
            "revokedAt": k.revoked_at,
            "revocationReason": None if k.revocation_reason is None else int(k.revocation_reason),
        }
        for k in history
    ]


def _head(head: Any) -> dict[str, Any] | None:
    if head is None:
        return None
    return {
        "logId": head.log_id,
        "index": head.index,
        "size": head.size,
        "root": head.root.hex(),
        "timestamp": head.timestamp,
    }


@pytest.mark.anvil
@pytest.mark.integration
def test_reads_agree_with_the_python_clients(chain_world: ChainWorld, run_js: RunJs) -> None:
    w = chain_world
    d = w.deployment
    labels, anchors, parts = d.label_registry, d.anchor_registry, d.participant_registry
    unknown = hashlib.sha256(b"no such label").digest()
    issued = d.labels.label(w.active_label)
    assert issued is not None
    later = issued.valid_until + 1
    calls: list[tuple[list[Any], Any]] = [
        (["rpc", None, "chainId"], w.chain_id),
        (["LabelRegistry", labels, "label", {"hex": w.active_label.hex()}], _label(issued)),
        (
            ["LabelRegistry", labels, "label", {"hex": w.revoked_label.hex()}],
            _label(d.labels.label(w.revoked_label)),
        ),
        (["LabelRegistry", labels, "label", {"hex": unknown.hex()}], None),
        (
            ["LabelRegistry", labels, "statusAt", {"hex": w.active_label.hex()}, later],
            int(d.labels.status_at(w.active_label, later)),
        ),
        (
            ["LabelRegistry", labels, "isValid", {"hex": w.active_label.hex()}, issued.valid_from],
            d.labels.is_valid(w.active_label, issued.valid_from),
        ),
        (["LabelRegistry", labels, "participants"], d.labels.participant_registry()),
        (["AnchorRegistry", anchors, "latest", "main"], _head(d.anchors.latest("main"))),
        (["AnchorRegistry", anchors, "latest", "other"], None),
        (
            ["AnchorRegistry", anchors, "firstAtOrAbove", "main", 5],
            _head(d.anchors.first_at_or_above("main", 5)),
        ),
        (["AnchorRegistry", anchors, "firstAtOrAbove", "main", 8], None),
        (["AnchorRegistry", anchors, "headAt", "main", 0], _head(d.anchors.head_at("main", 0))),
        (["AnchorRegistry", anchors, "headCount", "main"], 2),
        (
            ["AnchorRegistry", anchors, "logOwner", "main"],
            (d.anchors.log_owner("main") or b"").hex(),
        ),
        (["AnchorRegistry", anchors, "logOwner", "other"], None),
        (
            ["ParticipantRegistry", parts, "orgIdOfAccount", w.certifier_account.address],
            CERTIFIER_ID,
        ),
        (["ParticipantRegistry", parts, "orgHasRole", CERTIFIER_ID, int(Role.CERTIFIER)], True),
        (["ParticipantRegistry", parts, "orgHasRole", SUPPLIER_ID, int(Role.CERTIFIER)], False),
        (
            ["ParticipantRegistry", parts, "signingKeyHistory", SUPPLIER_ID],
            _keys(d.participants.signing_key_history(SUPPLIER_ID)),
        ),
        (["ParticipantRegistry", parts, "isRegistered", "urn:tanji:org:nobody"], False),
    ]
    org = d.participants.organisation(CERTIFIER_ID)
    assert org is not None
    calls.append(
        (
            ["ParticipantRegistry", parts, "organisation", CERTIFIER_ID],
            {
                "orgId": org.org_id,
                "orgIdDigest": org.org_id_digest.hex(),
                "roles": sorted(int(r) for r in org.roles),
                "registeredAt": org.registered_at,
                "accounts": list(org.accounts),
                "signingKeyCount": org.signing_key_count,
                "encryptionKeyCount": org.encryption_key_count,
            },
        )
    )
    got = run_js({"job": "chain", "rpc": w.rpc_url, "calls": [c for c, _ in calls]})
    for (call, expected), answer in zip(calls, got, strict=True):
        assert answer == {"value": expected}, call
    # The revoked label carries its reason (UTF-8 on chain); the rotated key its revocation.
    assert got[2]["value"]["revocationReason"] == "数据有误 / data error"
    assert got[2]["value"]["status"] == 4
    assert [k["revokedAt"] is None for k in got[18]["value"]] == [False, True]


@pytest.mark.anvil
@pytest.mark.integration
def test_reverts_are_named_and_outages_are_unavailable(
    chain_world: ChainWorld, run_js: RunJs
) -> None:
    d = chain_world.deployment
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}"
    calls = [
        ["AnchorRegistry", d.anchor_registry, "headAt", "main", 9],
        ["ParticipantRegistry", d.participant_registry, "signingKeyHistory", "urn:tanji:org:x"],
        # No contract at this address: an empty answer, not a decoded zero.
        ["LabelRegistry", chain_world.certifier_account.address, "participants"],
    ]
    got = run_js({"job": "chain", "rpc": chain_world.rpc_url, "calls": calls})
    assert (got[0]["error"], got[0]["reason"]) == ("ContractReverted", "HeadIndexOutOfRange")
    assert (got[1]["error"], got[1]["reason"]) == ("ContractReverted", "UnknownOrganisation")
    assert got[2]["error"] == "ChainError"
    assert "empty answer" in got[2]["message"]
    down = run_js({"job": "chain", "rpc": closed, "timeoutMs": 2000, "calls": calls[:1]})
    assert down[0]["error"] == "ChainUnavailable"


# --- the ABI codec alone, against eth_abi (web3's), on encoded answers and their corruptions


def _abi_type(param: dict[str, Any]) -> str:
    if param["type"].startswith("tuple"):
        inner = ",".join(_abi_type(c) for c in param["components"])
        return f"({inner}){param['type'][5:]}"
    return str(param["type"])


def _jsonable(value: Any) -> Any:
    """eth_abi's decoded value in the JS runner's JSON form."""
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.startswith("0x") and len(value) == 42:
        return Web3.to_checksum_address(value)
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    return value


def test_abi_decoding_agrees_with_eth_abi(run_js: RunJs) -> None:
    import random

    from eth_abi.abi import decode, encode

    from contracts import load_artifact

    rng = random.Random(1559)
    views = {
        ("LabelRegistry", "label"),
        ("ParticipantRegistry", "organisation"),
        ("ParticipantRegistry", "signingKeys"),
        ("AnchorRegistry", "latest"),
    }
    samples: dict[str, list[Any]] = {
        "LabelRegistry": [
            (
                rng.randbytes(32),
                rng.randbytes(32),
                rng.randbytes(32),
                rng.randrange(2**64),
                rng.randbytes(32),
                "312.5",
                "kgCO2e/台",
                "二级",
                "GB/T 24067-2024",
                rng.randrange(2**64),
                rng.randrange(2**64),
                rng.randbytes(32),
                rng.randbytes(32),
                "0x" + rng.randbytes(20).hex(),
                7,
                0,
                "",
            ),
            4,
        ],
        "ParticipantRegistry.organisation": [
            (rng.randbytes(32), "urn:tanji:org:x", 5, 9, ["0x" + "ab" * 20, "0x" + "cd" * 20], 2, 1)
        ],
        "ParticipantRegistry.signingKeys": [
            [(rng.randbytes(32), 1, 2, 1), (rng.randbytes(32), 3, 0, 0)]
        ],
        "AnchorRegistry": [1, 7, rng.randbytes(32), 1700000000],
    }
    items, expected = [], []
    for contract, fn in sorted(views):
        abi = next(i for i in load_artifact(contract).abi if i.get("name") == fn)
        types = [_abi_type(o) for o in abi["outputs"]]
        key = f"{contract}.{fn}"
        values = samples[key] if key in samples else samples[contract]
        data = encode(types, values)
        variants = [data] + [
            data[:at] + bytes([data[at] ^ (1 << rng.randrange(8))]) + data[at + 1 :]
            for at in rng.sample(range(len(data)), min(60, len(data)))
        ]
        for blob in variants:
            items.append({"contract": contract, "function": fn, "hex": blob.hex()})
            try:
                expected.append({"value": _jsonable(list(decode(types, blob)))})
            except Exception as exc:  # eth_abi's many decoding errors: any refusal counts
                expected.append({"error": type(exc).__name__})
    got = run_js({"job": "abi", "items": items})
    refused = 0
    for item, want, answer in zip(items, expected, got, strict=True):
        if "error" in want:
            refused += 1
            assert answer.get("error") == "AbiDecodeError", (item, want, answer)
        else:
            assert answer == want, item
    assert 0 < refused < len(items), (refused, len(items))
