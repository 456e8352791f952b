"""The SQL wallet is loaded only when asked for (sdk.roles imports the records and the
in-memory wallet); ``__all__`` itself is checked with every package in
tests/test_public_surface.py."""

from __future__ import annotations

import subprocess
import sys


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
