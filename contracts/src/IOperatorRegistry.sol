// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.29;

/// @title Who may operate Tanji logs.
/// @notice The AnchorRegistry asks this interface whether an account operates logs, and for
/// which organisation. The ParticipantRegistry implements it for the consortium deployment;
/// StaticOperatorRegistry is a minimal owner-managed implementation for standalone use.
interface IOperatorRegistry {
    /// @return orgId sha256(utf8(organisation id)) of the organisation `account` operates
    /// logs for, or zero when the account may not operate logs.
    function logOperatorOf(address account) external view returns (bytes32 orgId);
}
