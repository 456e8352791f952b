// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.29;

import {ChainTime} from "./ChainTime.sol";
import {IOperatorRegistry} from "./IOperatorRegistry.sol";

/// @title Anchors of Tanji's append-only Merkle logs (RFC 9162).
/// @notice Per log id (sha256 of the log id string) the sequence of anchored heads
/// (tree size, root hash, block time in UNIX seconds, see ChainTime). A new head is
/// accepted only from an operator of the log's organisation, only with a larger size, and
/// only with an RFC 9162 consistency proof from the previous head that this contract
/// verifies itself (SHA-256 precompile). So the chain refuses any head that rewrites or
/// drops an entry of an earlier one.
/// @dev Storage is kept lean, since it is most of an anchor's gas: per log one hot slot
/// (head count and the first 24 bytes of the owner's org id, enough to compare with the
/// registry's answer), per head one slot for the root and a third of a slot for
/// (size, time). The block number and transaction of each head are in its Anchored event.
contract AnchorRegistry {
    struct Log {
        uint64 count; // number of anchored heads
        bytes24 orgTag; // first 24 bytes of the owner's org id; zero while the log does not exist
    }

    /// Largest anchorable tree size (2^40 - 1 leaves), so (size, time) packs three to a slot.
    uint64 public constant MAX_SIZE = type(uint40).max;

    /// @notice Where the operator organisation of each account is looked up.
    IOperatorRegistry public immutable operators;

    mapping(bytes32 logId => Log) private _logs;
    mapping(bytes32 logId => bytes32 orgId) private _owners;
    mapping(bytes32 logId => mapping(uint256 index => bytes32 root)) private _roots;
    /// Slot j packs heads 3j, 3j+1 and 3j+2 at bits 0, 80 and 160, each as
    /// size (low 40 bits) | timestamp (high 40 bits). The timestamp is in seconds
    /// (ChainTime.nowSeconds, also on chains stamping milliseconds): 40 bits last until
    /// the year 36812.
    mapping(bytes32 logId => mapping(uint256 slot => uint256 packed)) private _meta;

    event LogCreated(bytes32 indexed logId, bytes32 indexed orgId, address operator);
    event Anchored(
        bytes32 indexed logId, uint256 indexed index, uint64 size, bytes32 root, uint64 timestamp
    );

    /// The registry address given to the constructor is zero.
    error ZeroOperatorRegistry();
    /// Zero is not a valid log id.
    error ZeroLogId();
    /// `createLog` for a log id that already exists.
    error LogExists(bytes32 logId);
    /// No log was created under this id.
    error UnknownLog(bytes32 logId);
    /// The account operates logs for no organisation.
    error NotOperator(address account);
    /// The account does not operate logs for the organisation owning this log.
    error NotLogOperator(bytes32 logId, address account);
    /// A head of size 0 (the empty tree) cannot be anchored.
    error ZeroSize();
    /// The size is above MAX_SIZE.
    error SizeTooLarge(uint64 size);
    /// The new size is not larger than the latest anchored size.
    error SizeNotIncreasing(uint64 latestSize, uint64 size);
    /// The first head of a log must come with an empty consistency proof.
    error UnexpectedProof();
    /// The consistency proof does not lead from the latest head to the new one.
    error InconsistentHead(uint64 latestSize, uint64 size);
    /// A head index at or beyond the number of heads.
    error HeadIndexOutOfRange(bytes32 logId, uint256 index, uint256 count);

    constructor(IOperatorRegistry operatorRegistry) {
        if (address(operatorRegistry) == address(0)) revert ZeroOperatorRegistry();
        operators = operatorRegistry;
    }

    /// @notice Create log `logId`, owned by the organisation the sender operates logs for.
    function createLog(bytes32 logId) external {
        if (logId == bytes32(0)) revert ZeroLogId();
        bytes32 org = operators.logOperatorOf(msg.sender);
        if (bytes24(org) == bytes24(0)) revert NotOperator(msg.sender);
        if (_owners[logId] != bytes32(0)) revert LogExists(logId);
        _owners[logId] = org;
        _logs[logId].orgTag = bytes24(org);
        emit LogCreated(logId, org, msg.sender);
    }

    /// @notice Anchor the head (size, root) of log `logId`. `consistencyProof` is the RFC 9162
    /// consistency proof from the latest anchored head to this one (empty for the first).
    function anchor(bytes32 logId, uint64 size, bytes32 root, bytes32[] calldata consistencyProof)
        external
    {
        Log memory log = _logs[logId];
        if (log.orgTag == bytes24(0)) revert UnknownLog(logId);
        if (bytes24(operators.logOperatorOf(msg.sender)) != log.orgTag) {
            revert NotLogOperator(logId, msg.sender);
        }
        if (size == 0) revert ZeroSize();
        if (size > MAX_SIZE) revert SizeTooLarge(size);

        uint256 count = log.count;
        mapping(uint256 => uint256) storage meta = _meta[logId];
        if (count == 0) {
            if (consistencyProof.length != 0) revert UnexpectedProof();
        } else {
            uint256 prev = count - 1;
            uint64 prevSize = uint64(uint40(meta[prev / 3] >> ((prev % 3) * 80)));
            if (size <= prevSize) revert SizeNotIncreasing(prevSize, size);
            if (!_consistent(prevSize, size, _roots[logId][prev], root, consistencyProof)) {
                revert InconsistentHead(prevSize, size);
            }
        }

        uint64 time = ChainTime.nowSeconds();
        uint256 packed = uint256(size) | (uint256(uint40(time)) << 40);
        _roots[logId][count] = root;
        uint256 position = count % 3;
        if (position == 0) {
            meta[count / 3] = packed;
        } else {
            meta[count / 3] |= packed << (position * 80);
        }
        _logs[logId].count = uint64(count + 1);
        emit Anchored(logId, count, size, root, time);
    }

    /// @return orgId the organisation owning log `logId` (zero when it does not exist).
    function logOwner(bytes32 logId) external view returns (bytes32 orgId) {
        return _owners[logId];
    }

    /// @return count the number of heads anchored for `logId`.
    function headCount(bytes32 logId) external view returns (uint256 count) {
        return _logs[logId].count;
    }

    /// @notice Head number `index` (0-based, in anchoring order) of log `logId`.
    function headAt(bytes32 logId, uint256 index)
        external
        view
        returns (uint64 size, bytes32 root, uint64 timestamp)
    {
        uint256 count = _logs[logId].count;
        if (index >= count) revert HeadIndexOutOfRange(logId, index, count);
        (size, timestamp) = _sizeAndTime(logId, index);
        root = _roots[logId][index];
    }

    /// @notice The latest head of `logId`; all zero (size 0) when nothing is anchored yet.
    function latest(bytes32 logId)
        external
        view
        returns (uint256 index, uint64 size, bytes32 root, uint64 timestamp)
    {
        uint256 count = _logs[logId].count;
        if (count == 0) return (0, 0, bytes32(0), 0);
        index = count - 1;
        (size, timestamp) = _sizeAndTime(logId, index);
        root = _roots[logId][index];
    }

    /// @notice The first (smallest) anchored head of `logId` whose size is >= `size`;
    /// all zero (size 0) when no such head exists. Binary search over the heads.
    function firstAtOrAbove(bytes32 logId, uint64 size)
        external
        view
        returns (uint256 index, uint64 headSize, bytes32 root, uint64 timestamp)
    {
        uint256 lo = 0;
        uint256 hi = _logs[logId].count;
        while (lo < hi) {
            uint256 mid = (lo + hi) >> 1;
            (uint64 midSize,) = _sizeAndTime(logId, mid);
            if (midSize >= size) hi = mid;
            else lo = mid + 1;
        }
        if (lo == _logs[logId].count) return (0, 0, bytes32(0), 0);
        (headSize, timestamp) = _sizeAndTime(logId, lo);
        return (lo, headSize, _roots[logId][lo], timestamp);
    }

    function _sizeAndTime(bytes32 logId, uint256 index)
        private
        view
        returns (uint64 size, uint64 timestamp)
    {
        uint256 packed = _meta[logId][index / 3] >> ((index % 3) * 80);
        return (uint64(uint40(packed)), uint64(uint40(packed >> 40)));
    }

    /// RFC 9162 §2.1.4.2: verify that `proof` shows the tree of `size1` leaves with root
    /// `root1` is a prefix of the tree of `size2` leaves with root `root2`
    /// (0 < size1 < size2, checked by the caller).
    function _consistent(
        uint256 size1,
        uint256 size2,
        bytes32 root1,
        bytes32 root2,
        bytes32[] calldata proof
    ) private view returns (bool) {
        uint256 n = proof.length;
        if (n == 0) return false;
        uint256 i;
        bytes32 fr;
        // A power-of-two first tree is a complete subtree: its root heads the path.
        if (size1 & (size1 - 1) == 0) {
            fr = root1;
        } else {
            fr = proof[0];
            i = 1;
        }
        bytes32 sr = fr;
        uint256 fn = size1 - 1;
        uint256 sn = size2 - 1;
        while (fn & 1 == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        for (; i < n; ++i) {
            if (sn == 0) return false;
            bytes32 c = proof[i];
            if (fn & 1 == 1 || fn == sn) {
                fr = _node(c, fr);
                sr = _node(c, sr);
                while (fn & 1 == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                sr = _node(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && fr == root1 && sr == root2;
    }

    /// SHA-256(0x01 || left || right) through the precompile at address 2.
    function _node(bytes32 left, bytes32 right) private view returns (bytes32 h) {
        assembly ("memory-safe") {
            let p := mload(0x40)
            mstore8(p, 0x01)
            mstore(add(p, 1), left)
            mstore(add(p, 33), right)
            if iszero(staticcall(gas(), 0x02, p, 65, 0x00, 0x20)) { revert(0, 0) }
            h := mload(0x00)
        }
    }
}
