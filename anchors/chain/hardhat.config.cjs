// Hardhat 2 network settings for `hardhat node` as Tanji's tests start it (anchors.chain.start_hardhat).
module.exports = { networks: { hardhat: { chainId: 31337 } } };
