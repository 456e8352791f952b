"""The public surface of every package: ``__all__`` is exactly what it exports, no module
reaches into another package's private modules, and the verification core stays light.

After httpx's ``tests/test_exported_members.py``: a name a package exposes without
listing it in ``__all__`` (or lists without exposing) is a mistake either way.
"""

from __future__ import annotations
import __future__

import ast
import importlib
import subprocess
import sys
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = [
    "anchors",
    "anchors.chain",
    "sdk",
    "sdk.roles",
    "sdk.footprint",
    "sdk.hazmat",
    "sdk.zk",
    "sdk.wallet",
    "node",
    "gateway.meters",
    "demo_chain",
    "contracts",
]
TOP_LEVEL = ["anchors", "sdk", "node", "contracts", "gateway", "demo_chain", "bench", "tanji"]


@pytest.mark.parametrize("name", PACKAGES)
def test_all_is_exactly_the_exported_members(name: str) -> None:
    module = importlib.import_module(name)
    listed = module.__all__
    assert len(listed) == len(set(listed)), "duplicates in __all__"
    for member in listed:  # lazily loaded names load here
        getattr(module, member)
    exported = {
        member
        for member, value in vars(module).items()
        if not member.startswith("_")
        and not isinstance(value, types.ModuleType)  # subpackages, `import typing`
        and not isinstance(value, __future__._Feature)  # `from __future__ import annotations`
    }
    assert exported == set(listed)
    assert set(dir(module)) >= set(listed)


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append(node.module)
            out.extend(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            out.extend(alias.name for alias in node.names)
    return out


def _private_of_another_package(importer: str, imported: str) -> bool:
    parts = imported.split(".")
    if parts[0] not in TOP_LEVEL or parts[0] == importer:
        return False
    return any(p.startswith("_") and not p.startswith("__") for p in parts[1:])


def test_no_module_imports_another_packages_private_modules() -> None:
    offences = []
    for top in TOP_LEVEL:
        for path in sorted((ROOT / top).rglob("*.py")) if (ROOT / top).is_dir() else []:
            for imported in _imports(path):
                if _private_of_another_package(top, imported):
                    offences.append(f"{path.relative_to(ROOT)}: {imported}")
    assert offences == []


LIGHT_IMPORTS = (
    "import anchors",
    "import sdk",
    "from sdk import verify_attestation, verify_receipt, verify_disclosure, check_issuer",
    "from sdk.roles import audit_label, LabelEvidence",
    "from sdk.hazmat import seal_envelope",
)


@pytest.mark.parametrize("statement", LIGHT_IMPORTS)
def test_the_verification_core_imports_neither_web3_nor_sqlalchemy(statement: str) -> None:
    # A fresh interpreter: what this test process already imported does not count.
    probe = (
        f"{statement}\n"
        "import sys\n"
        "heavy = sorted(m for m in ('web3', 'sqlalchemy', 'eth_account', 'httpx') "
        "if m in sys.modules)\n"
        "print(','.join(heavy))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert done.stdout.strip() == "", f"{statement!r} loaded {done.stdout.strip()}"


def test_chain_facing_names_still_load_on_first_use() -> None:
    probe = (
        "import sys, sdk, anchors\n"
        "assert 'web3' not in sys.modules and 'sqlalchemy' not in sys.modules\n"
        "sdk.ParticipantRegistryClient, sdk.deploy_tanji, anchors.SqlLogStore\n"
        "assert 'web3' in sys.modules and 'sqlalchemy' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", probe], cwd=ROOT, check=True)
