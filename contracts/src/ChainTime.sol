// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.29;

/// @title Chain time in UNIX seconds, whatever unit the chain stamps its blocks in.
/// @notice Ethereum clients (geth, Besu, anvil, Hardhat) stamp blocks in seconds; FISCO BCOS
/// stamps them in milliseconds and, before its `feature_evm_timestamp` switch (3.12+, off by
/// default, irreversible once on), hands the millisecond stamp to contracts as
/// `block.timestamp`. Every Tanji contract reads the time through `nowSeconds`, so every time
/// stored, emitted or compared on chain (anchoring times, key validity, label windows) is in
/// seconds on every chain, including one that switches units during its life.
/// @dev A stamp at or above 10^11 is read as milliseconds: a seconds clock reaches 10^11 in
/// the year 5138, a milliseconds clock passed it on 1973-03-03. The Python client applies
/// the same rule to block headers (`anchors.chain.block_time_seconds`).
library ChainTime {
    /// Stamps at or above this value are milliseconds.
    uint256 internal constant MILLISECONDS_FROM = 1e11;

    /// @return unixSeconds the current block's time in UNIX seconds (milliseconds truncated).
    function nowSeconds() internal view returns (uint64 unixSeconds) {
        uint256 stamp = block.timestamp;
        return uint64(stamp < MILLISECONDS_FROM ? stamp : stamp / 1000);
    }
}
