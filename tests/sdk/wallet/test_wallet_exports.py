"""sdk.wallet's public surface: every name in ``__all__`` resolves, and the SQL wallet is
loaded only when asked for (sdk.roles imports the records and the in-memory wallet)."""

from __future__ import annotations

import subprocess
import sys

import sdk.wallet


def test_every_exported_name_resolves() -> None:
    helpers = {"annotations", "errors", "Any", "TYPE_CHECKING"}
    public = {n for n in dir(sdk.wallet) if not n.startswith("_")} - helpers
    assert set(sdk.wallet.__all__) >= public
    for name in sdk.wallet.__all__:
        assert getattr(sdk.wallet, name) is not None


def test_the_sql_wallet_loads_on_first_use() -> None:
    probe = (
        "import sys, sdk.wallet\n"
        "before = 'sdk.wallet._store' in sys.modules\n"
        "sdk.wallet.Wallet\n"
        "print(before, 'sdk.wallet._store' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.split() == ["False", "True"]
