// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.29;

/// @title What other Tanji contracts ask the participant registry.
/// @notice LabelRegistry uses it to check that an issuer is a CERTIFIER and to let the
///         registrar revoke labels. Org roles are bit indexes: SUPPLIER = 0, LEADER = 1,
///         CERTIFIER = 2, AUDITOR = 3, LOG_OPERATOR = 4.
interface IParticipantRegistry {
    /// @return orgId sha256(utf8(org id)) of the account's organisation, or 0 if it has none.
    function orgOfAccount(address account) external view returns (bytes32 orgId);

    /// @return true when the account belongs to an organisation that holds `role`.
    function accountHasRole(address account, uint8 role) external view returns (bool);

    /// @return true when the account holds the registrar role.
    function isRegistrar(address account) external view returns (bool);
}
