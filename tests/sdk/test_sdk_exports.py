"""The public surface: everything in ``sdk.__all__`` exists, and subpackages are re-exported."""

from __future__ import annotations

import sdk
import sdk.deploy
import sdk.footprint
import sdk.labels
import sdk.meters
import sdk.registry


def test_all_names_exist_and_are_unique() -> None:
    assert len(sdk.__all__) == len(set(sdk.__all__))
    for name in sdk.__all__:
        assert hasattr(sdk, name), name


def test_subpackages_are_re_exported() -> None:
    for module in (sdk.footprint, sdk.labels, sdk.meters, sdk.deploy):
        for name in module.__all__:
            assert getattr(sdk, name) is getattr(module, name), name
    # the registry's chain-level KeyRecord (Unix seconds) stays in sdk.registry; sdk.KeyRecord
    # is the protocol's (aware datetimes). Verification accepts both.
    for name in set(sdk.registry.__all__) - {"KeyRecord", "KeyType"}:
        assert getattr(sdk, name) is getattr(sdk.registry, name), name
