"""Start-up: defer ``eth_keyfile`` until something calls into it.

``eth_account`` (imported by web3) imports ``eth_keyfile``, which imports py_ecc's
BLS12-381 modules; those compute their curve constants in pure Python at import, about
0.3 s of every command that reads the chain (more on a loaded machine). Tanji never reads
or writes Ethereum keystore files (keys live in the wallet), so the ``tanji`` command puts
a stand-in for ``eth_keyfile`` in :data:`sys.modules` before web3 is imported. The
stand-in offers exactly what ``eth_account`` takes from it at import (two functions, which
load the real module when called, and the ``KDFType`` alias); any other name loads the
real module first. Only the ``tanji`` process does this; the library is untouched.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable
from typing import Any, Literal

_NAMES = ("eth_keyfile", "eth_keyfile.keyfile")


def _real(name: str) -> types.ModuleType:
    """Replace the stand-ins by the real modules (once) and return ``name``."""
    for module in _NAMES:
        if isinstance(sys.modules.get(module), _StandIn):
            del sys.modules[module]
    return importlib.import_module(name)


class _StandIn(types.ModuleType):
    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__"):
            raise AttributeError(attr)
        return getattr(_real(self.__name__), attr)


def _deferred(name: str) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(_real("eth_keyfile"), name)(*args, **kwargs)

    call.__name__ = name
    call.__qualname__ = name
    call.__doc__ = f"eth_keyfile.{name}, imported when first called"
    return call


def defer_eth_keyfile() -> None:
    """Install the stand-ins, unless ``eth_keyfile`` is already imported."""
    if "eth_keyfile" in sys.modules:
        return
    package = _StandIn("eth_keyfile")
    package.__path__ = []
    keyfile = _StandIn("eth_keyfile.keyfile")
    keyfile.KDFType = Literal["pbkdf2", "scrypt"]  # type: ignore[attr-defined]
    for name in (
        "create_keyfile_json",
        "decode_keyfile_json",
        "load_keyfile",
        "extract_key_from_keyfile",
    ):
        setattr(package, name, _deferred(name))
    package.keyfile = keyfile  # type: ignore[attr-defined]
    sys.modules["eth_keyfile"] = package
    sys.modules["eth_keyfile.keyfile"] = keyfile
