// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.29;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IOperatorRegistry} from "./IOperatorRegistry.sol";

/// @title Owner-managed list of log operators, for standalone deployments and tests.
/// @notice The owner binds an account to the organisation it operates logs for (or unbinds
/// it with a zero org id). Consortium deployments use the ParticipantRegistry instead.
contract StaticOperatorRegistry is IOperatorRegistry, Ownable {
    mapping(address account => bytes32 orgId) private _operators;

    event OperatorSet(address indexed account, bytes32 indexed orgId);

    error ZeroAccount();

    constructor() Ownable(msg.sender) {}

    /// @notice Let `account` operate logs for `orgId`; a zero `orgId` revokes it.
    function setOperator(address account, bytes32 orgId) external onlyOwner {
        if (account == address(0)) revert ZeroAccount();
        _operators[account] = orgId;
        emit OperatorSet(account, orgId);
    }

    /// @inheritdoc IOperatorRegistry
    function logOperatorOf(address account) external view returns (bytes32) {
        return _operators[account];
    }
}
