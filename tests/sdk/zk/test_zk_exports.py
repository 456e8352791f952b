"""sdk.zk's public surface and error tree."""

from __future__ import annotations

import sdk.zk
from sdk.errors import SdkError, VerificationError
from sdk.zk import ProofError, ZkError, ZkInputError


def test_all_names_exist_and_are_unique() -> None:
    assert len(sdk.zk.__all__) == len(set(sdk.zk.__all__))
    for name in sdk.zk.__all__:
        assert hasattr(sdk.zk, name), name


def test_error_tree() -> None:
    assert issubclass(ZkError, SdkError)
    assert issubclass(ProofError, ZkError)
    assert issubclass(ProofError, VerificationError)  # auditors report its step
    assert issubclass(ZkInputError, ZkError)
    assert issubclass(ZkInputError, ValueError)
    err = ProofError("rangeproof.bit", "why")
    assert (err.step, err.reason, str(err)) == ("rangeproof.bit", "why", "rangeproof.bit: why")
