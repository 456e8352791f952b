"""The chain profile: how to reach a chain and how to pay for and fund transactions on it.

One frozen value, :class:`ChainSettings`, built from keyword arguments, a mapping of
strings (a TOML table) or ``TANJI_CHAIN_*`` environment variables, so the node and the
command line configure a chain the same way. docs/chains.md gives the values for anvil,
Hardhat, Hyperledger Besu (QBFT) and FISCO BCOS.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from anchors.errors import InvalidChainSettings

FEE_MODES = ("auto", "eip1559", "legacy", "fixed", "zero")
"""How transactions are priced:

* ``auto``: EIP-1559 (type 2) when the latest block carries a base fee, else a legacy
  transaction at the node's ``eth_gasPrice``;
* ``eip1559``: always type 2, ``maxFeePerGas`` = 2 × base fee + tip; refused on a chain
  without a base fee;
* ``legacy``: type 0 at ``gas_price_wei``, or the node's ``eth_gasPrice`` when unset;
* ``fixed``: type 0 at ``gas_price_wei`` (required), never asking the node;
* ``zero``: type 0 at gas price 0, for free-gas networks (Besu with ``--min-gas-price=0``,
  FISCO BCOS without ``feature_balance_policy1``); accounts need no balance.
"""

FUNDING_MODES = ("dev", "funder", "none")
"""How :meth:`~anchors.chain.ChainClient.new_account` gives a new account its gas money:

* ``dev``: the dev node's ``anvil_setBalance`` / ``hardhat_setBalance``, else a transfer
  from the node's first unlocked account (anvil, Hardhat, geth --dev);
* ``funder``: a transfer from the account of ``funder_key_hex`` (any chain);
* ``none``: never funded (free-gas chains, or accounts funded out of band).
"""

ENV_PREFIX = "TANJI_CHAIN_"
_HEX_KEY = re.compile(r"(0x)?[0-9a-fA-F]{64}")


@dataclass(frozen=True)
class ChainSettings:
    """A chain profile, validated on construction (:class:`InvalidChainSettings`).

    ``url``: ``embedded`` (the in-process chain) or a JSON-RPC URL. ``confirmations``:
    blocks mined on top of a transaction's block before it counts (0: as soon as it is
    mined; the receipt is re-read, so one reorganised away is waited for again).
    ``fee_mode`` (:data:`FEE_MODES`), ``gas_price_wei`` (legacy/fixed price),
    ``priority_fee_wei`` (EIP-1559 tip; unset: the node's ``eth_maxPriorityFeePerGas``,
    else 1 gwei). ``poa``: accept the long ``extraData`` of proof-of-authority headers
    (Clique, IBFT 2.0, QBFT). ``funding`` (:data:`FUNDING_MODES`) and ``funder_key_hex``.
    ``timeout_seconds``: one HTTP request, and a transaction's wait for its receipt and
    confirmations; ``poll_seconds``: how often the receipt is polled.
    """

    url: str = "embedded"
    confirmations: int = 0
    fee_mode: str = "auto"
    gas_price_wei: int | None = None
    priority_fee_wei: int | None = None
    poa: bool = False
    funding: str = "dev"
    funder_key_hex: str = ""
    timeout_seconds: float = 30.0
    poll_seconds: float = 0.1

    def __post_init__(self) -> None:
        if not self.url or not (
            self.url == "embedded" or self.url.startswith(("http://", "https://"))
        ):
            raise InvalidChainSettings(
                f"url {self.url!r}: give 'embedded' or an http(s) JSON-RPC URL"
            )
        for name in ("confirmations", "gas_price_wei", "priority_fee_wei"):
            value = getattr(self, name)
            if value is None and name != "confirmations":
                continue
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise InvalidChainSettings(f"{name} must be a non-negative integer, got {value!r}")
        if self.fee_mode not in FEE_MODES:
            raise InvalidChainSettings(
                f"fee_mode {self.fee_mode!r}: choose one of {', '.join(FEE_MODES)}"
            )
        if self.fee_mode == "fixed" and not self.gas_price_wei:
            raise InvalidChainSettings("fee_mode 'fixed' needs a positive gas_price_wei")
        if self.fee_mode == "zero" and self.gas_price_wei:
            raise InvalidChainSettings("fee_mode 'zero' pays no gas: leave gas_price_wei unset")
        if self.funding not in FUNDING_MODES:
            raise InvalidChainSettings(
                f"funding {self.funding!r}: choose one of {', '.join(FUNDING_MODES)}"
            )
        if self.funder_key_hex and not _HEX_KEY.fullmatch(self.funder_key_hex):
            raise InvalidChainSettings("funder_key_hex must be a 32-byte private key in hex")
        if self.funding == "funder" and not self.funder_key_hex:
            raise InvalidChainSettings("funding 'funder' needs funder_key_hex")
        if not self.timeout_seconds > 0 or not self.poll_seconds > 0:
            raise InvalidChainSettings("timeout_seconds and poll_seconds must be positive")

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> ChainSettings:
        """Settings from field names to values or strings (as in a TOML table or the
        environment): integers and numbers parsed, ``true/false/1/0/yes/no`` for ``poa``,
        an empty string for an unset optional integer.

        Raises :class:`InvalidChainSettings` naming an unknown field or a bad value.
        """
        known = {f.name: str(f.type) for f in fields(cls)}
        kwargs: dict[str, Any] = {}
        for key, raw in values.items():
            if key not in known:
                raise InvalidChainSettings(f"unknown chain setting {key!r}")
            kwargs[key] = _coerce(key, known[key], raw)
        return cls(**kwargs)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ChainSettings:
        """Settings from ``TANJI_CHAIN_<FIELD>`` variables (e.g. ``TANJI_CHAIN_URL``,
        ``TANJI_CHAIN_FEE_MODE``); fields not set keep their defaults.

        Raises :class:`InvalidChainSettings` for a bad value.
        """
        env = os.environ if environ is None else environ
        values = {
            f.name: env[ENV_PREFIX + f.name.upper()]
            for f in fields(cls)
            if ENV_PREFIX + f.name.upper() in env
        }
        return cls.from_mapping(values)


def _coerce(name: str, kind: str, raw: Any) -> Any:
    if not isinstance(raw, str):
        return raw  # typed values are checked by the constructor
    text = raw.strip()
    try:
        if kind == "bool":
            lowered = text.lower()
            if lowered in {"1", "true", "yes", "on"}:
                return True
            if lowered in {"0", "false", "no", "off"}:
                return False
            raise ValueError(f"not a boolean: {raw!r}")
        if kind == "int":
            return int(text)
        if kind == "int | None":
            return None if text == "" else int(text)
        if kind == "float":
            return float(text)
    except ValueError as exc:
        raise InvalidChainSettings(f"chain setting {name}: {exc}") from exc
    return text
