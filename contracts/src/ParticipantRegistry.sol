// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.29;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ChainTime} from "./ChainTime.sol";
import {IOperatorRegistry} from "./IOperatorRegistry.sol";
import {IParticipantRegistry} from "./IParticipantRegistry.sol";

/// @title Tanji participant registry: organisations, their accounts, roles and keys.
/// @notice The registrar (REGISTRAR_ROLE, granted to the admin at deployment) admits
///         organisations, grants and revokes their roles, adds and removes their EVM
///         accounts, and may revoke any key. An organisation's own accounts rotate its
///         keys (add a new one, optionally revoking one it replaces) and revoke its keys.
///
///         Decisions:
///         - Only the registrar adds or removes accounts. Letting an organisation add its
///           own accounts would let a stolen account plant accounts that survive its
///           removal; account admission is an identity decision.
///         - A key (bytes32) can be registered once in the whole registry, whatever its
///           type and organisation, so a key names exactly one organisation and purpose.
///         - Keys are never deleted: revocation sets revokedAt = the block's time in
///           UNIX seconds (ChainTime, also on chains stamping milliseconds). A key is
///           valid at time t when validFrom <= t and (revokedAt == 0 or t < revokedAt), so
///           attestations anchored before a revocation stay verifiable.
///         - Redundant changes (granting a held role, revoking a revoked key) are refused
///           with an error rather than ignored, so a caller learns its view was stale.
///         - Org roles are bit indexes (SUPPLIER 0, LEADER 1, CERTIFIER 2, AUDITOR 3,
///           LOG_OPERATOR 4); registration takes a bitmask of them. Events for org roles
///           are OrgRoleGranted / OrgRoleRevoked, distinct from AccessControl's own.
contract ParticipantRegistry is AccessControl, IOperatorRegistry, IParticipantRegistry {
    bytes32 public constant REGISTRAR_ROLE = keccak256("tanji.REGISTRAR_ROLE");

    uint8 public constant SUPPLIER = 0;
    uint8 public constant LEADER = 1;
    uint8 public constant CERTIFIER = 2;
    uint8 public constant AUDITOR = 3;
    uint8 public constant LOG_OPERATOR = 4;
    uint8 internal constant ROLE_COUNT = 5;
    uint8 internal constant ALL_ROLES = 0x1f;

    uint8 public constant SIGNING_KEY = 0;
    uint8 public constant ENCRYPTION_KEY = 1;

    /// Revocation reasons, after RFC 5280 CRLReason.
    uint8 public constant REASON_UNSPECIFIED = 0;
    uint8 public constant REASON_KEY_COMPROMISE = 1;
    uint8 public constant REASON_SUPERSEDED = 2;
    uint8 public constant REASON_CESSATION_OF_OPERATION = 3;
    uint8 public constant REASON_AFFILIATION_CHANGED = 4;
    uint8 internal constant MAX_REASON = 4;

    uint256 internal constant MAX_ORG_ID_LENGTH = 128;

    struct KeyRecord {
        bytes32 key;
        uint64 validFrom;
        uint64 revokedAt;
        uint8 revocationReason;
    }

    struct Organisation {
        string orgIdString;
        uint8 roles;
        uint64 registeredAt;
        address[] accounts;
        KeyRecord[] signingKeys;
        KeyRecord[] encryptionKeys;
    }

    /// Where a registered key lives; index is position + 1 so 0 means "not registered".
    struct KeyRef {
        bytes32 orgId;
        uint8 keyType;
        uint256 index;
    }

    /// What `organisation(orgId)` returns: everything except the key histories.
    struct OrganisationView {
        bytes32 orgId;
        string orgIdString;
        uint8 roles;
        uint64 registeredAt;
        address[] accounts;
        uint256 signingKeyCount;
        uint256 encryptionKeyCount;
    }

    mapping(bytes32 orgId => Organisation) private _orgs;
    mapping(address account => bytes32 orgId) private _accountOrg;
    mapping(address account => uint256 position) private _accountPosition; // index + 1
    mapping(bytes32 key => KeyRef) private _keys;
    uint256 public organisationCount;

    event OrganisationRegistered(
        bytes32 indexed orgId, string orgIdString, address indexed account, uint8 roles
    );
    event OrgRoleGranted(bytes32 indexed orgId, uint8 indexed role, address sender);
    event OrgRoleRevoked(bytes32 indexed orgId, uint8 indexed role, address sender);
    event AccountAdded(bytes32 indexed orgId, address indexed account, address sender);
    event AccountRemoved(bytes32 indexed orgId, address indexed account, address sender);
    event SigningKeyAdded(bytes32 indexed orgId, bytes32 indexed key, uint64 validFrom);
    event EncryptionKeyAdded(bytes32 indexed orgId, bytes32 indexed key, uint64 validFrom);
    event KeyRevoked(
        bytes32 indexed orgId,
        bytes32 indexed key,
        uint8 keyType,
        uint8 reason,
        uint64 revokedAt,
        address sender
    );

    error ZeroAddress();
    error NotRegistrar(address account);
    error NotOrganisationAccount(address account);
    error NotAuthorisedForOrganisation(address account, bytes32 orgId);
    error OrgIdMismatch(bytes32 orgId, bytes32 expected);
    error InvalidOrgIdString();
    error OrganisationExists(bytes32 orgId);
    error UnknownOrganisation(bytes32 orgId);
    error InvalidRoles(uint8 roles);
    error InvalidRole(uint8 role);
    error OrgRoleAlreadyGranted(bytes32 orgId, uint8 role);
    error OrgRoleNotGranted(bytes32 orgId, uint8 role);
    error AccountAlreadyRegistered(address account, bytes32 orgId);
    error AccountNotInOrganisation(address account, bytes32 orgId);
    error ZeroKey();
    error KeyAlreadyRegistered(bytes32 key);
    error UnknownKey(bytes32 orgId, bytes32 key);
    error WrongKeyType(bytes32 key, uint8 keyType);
    error KeyAlreadyRevoked(bytes32 key);
    error InvalidReason(uint8 reason);

    /// @param admin receives DEFAULT_ADMIN_ROLE and REGISTRAR_ROLE.
    constructor(address admin) {
        if (admin == address(0)) revert ZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(REGISTRAR_ROLE, admin);
    }

    modifier onlyRegistrar() {
        if (!hasRole(REGISTRAR_ROLE, msg.sender)) revert NotRegistrar(msg.sender);
        _;
    }

    // ---------------------------------------------------------------- registrar

    /// @notice Admit an organisation with its first account, roles and keys.
    function registerOrganisation(
        bytes32 orgId,
        string calldata orgIdString,
        address account,
        uint8 roles,
        bytes32 signingKey,
        bytes32 encryptionKey
    ) external onlyRegistrar {
        uint256 length = bytes(orgIdString).length;
        if (length == 0 || length > MAX_ORG_ID_LENGTH) revert InvalidOrgIdString();
        bytes32 expected = sha256(bytes(orgIdString));
        if (orgId != expected) revert OrgIdMismatch(orgId, expected);
        if (_orgs[orgId].registeredAt != 0) revert OrganisationExists(orgId);
        if (roles & ~ALL_ROLES != 0) revert InvalidRoles(roles);
        Organisation storage org = _orgs[orgId];
        org.orgIdString = orgIdString;
        org.roles = roles;
        org.registeredAt = ChainTime.nowSeconds();
        organisationCount += 1;
        emit OrganisationRegistered(orgId, orgIdString, account, roles);
        _addAccount(orgId, account);
        _addKey(orgId, SIGNING_KEY, signingKey);
        _addKey(orgId, ENCRYPTION_KEY, encryptionKey);
    }

    /// @notice Give an organisation one more role.
    function grantOrgRole(bytes32 orgId, uint8 role) external onlyRegistrar {
        Organisation storage org = _known(orgId);
        uint8 bit = _roleBit(role);
        if (org.roles & bit != 0) revert OrgRoleAlreadyGranted(orgId, role);
        org.roles |= bit;
        emit OrgRoleGranted(orgId, role, msg.sender);
    }

    /// @notice Take a role away from an organisation.
    function revokeOrgRole(bytes32 orgId, uint8 role) external onlyRegistrar {
        Organisation storage org = _known(orgId);
        uint8 bit = _roleBit(role);
        if (org.roles & bit == 0) revert OrgRoleNotGranted(orgId, role);
        org.roles &= ~bit;
        emit OrgRoleRevoked(orgId, role, msg.sender);
    }

    /// @notice Bind another EVM account to an organisation.
    function addAccount(bytes32 orgId, address account) external onlyRegistrar {
        _known(orgId);
        _addAccount(orgId, account);
    }

    /// @notice Unbind an account from its organisation; the account may be re-used later.
    function removeAccount(bytes32 orgId, address account) external onlyRegistrar {
        Organisation storage org = _known(orgId);
        if (_accountOrg[account] != orgId) revert AccountNotInOrganisation(account, orgId);
        uint256 index = _accountPosition[account] - 1;
        uint256 last = org.accounts.length - 1;
        if (index != last) {
            address moved = org.accounts[last];
            org.accounts[index] = moved;
            _accountPosition[moved] = index + 1;
        }
        org.accounts.pop();
        delete _accountOrg[account];
        delete _accountPosition[account];
        emit AccountRemoved(orgId, account, msg.sender);
    }

    // ------------------------------------------------------- organisation's own

    /// @notice Add a new signing key for the caller's organisation; when `replaces` is not
    ///         zero, revoke that (signing) key of the organisation in the same call.
    function rotateSigningKey(bytes32 newKey, bytes32 replaces) external {
        _rotate(SIGNING_KEY, newKey, replaces);
    }

    /// @notice Add a new encryption key for the caller's organisation; when `replaces` is
    ///         not zero, revoke that (encryption) key of the organisation in the same call.
    function rotateEncryptionKey(bytes32 newKey, bytes32 replaces) external {
        _rotate(ENCRYPTION_KEY, newKey, replaces);
    }

    /// @notice Revoke a key of `orgId`; allowed to the registrar and to the organisation's
    ///         own accounts.
    function revokeKey(bytes32 orgId, bytes32 key, uint8 reason) external {
        _known(orgId);
        if (!hasRole(REGISTRAR_ROLE, msg.sender) && _accountOrg[msg.sender] != orgId) {
            revert NotAuthorisedForOrganisation(msg.sender, orgId);
        }
        KeyRef storage ref = _keys[key];
        if (ref.index == 0 || ref.orgId != orgId) revert UnknownKey(orgId, key);
        _revoke(orgId, ref.keyType, key, reason);
    }

    // -------------------------------------------------------------------- views

    /// @return the registrar check used by other Tanji contracts.
    function isRegistrar(address account) external view returns (bool) {
        return hasRole(REGISTRAR_ROLE, account);
    }

    function isRegistered(bytes32 orgId) external view returns (bool) {
        return _orgs[orgId].registeredAt != 0;
    }

    /// @notice The organisation's record without key histories; reverts UnknownOrganisation.
    function organisation(bytes32 orgId) external view returns (OrganisationView memory) {
        Organisation storage org = _known(orgId);
        return OrganisationView({
            orgId: orgId,
            orgIdString: org.orgIdString,
            roles: org.roles,
            registeredAt: org.registeredAt,
            accounts: org.accounts,
            signingKeyCount: org.signingKeys.length,
            encryptionKeyCount: org.encryptionKeys.length
        });
    }

    function orgOfAccount(address account) external view returns (bytes32) {
        return _accountOrg[account];
    }

    function orgHasRole(bytes32 orgId, uint8 role) public view returns (bool) {
        return _orgs[orgId].roles & _roleBit(role) != 0;
    }

    function accountHasRole(address account, uint8 role) external view returns (bool) {
        bytes32 orgId = _accountOrg[account];
        return orgId != bytes32(0) && orgHasRole(orgId, role);
    }

    /// @notice IOperatorRegistry: the account's orgId if that org is a LOG_OPERATOR, else 0.
    function logOperatorOf(address account) external view returns (bytes32) {
        bytes32 orgId = _accountOrg[account];
        if (orgId == bytes32(0) || _orgs[orgId].roles & (uint8(1) << LOG_OPERATOR) == 0) {
            return bytes32(0);
        }
        return orgId;
    }

    /// @notice Every signing key the organisation ever registered, oldest first.
    function signingKeys(bytes32 orgId) external view returns (KeyRecord[] memory) {
        return _known(orgId).signingKeys;
    }

    /// @notice Every encryption key the organisation ever registered, oldest first.
    function encryptionKeys(bytes32 orgId) external view returns (KeyRecord[] memory) {
        return _known(orgId).encryptionKeys;
    }

    /// @notice The record of one key of `orgId`; reverts UnknownKey if it is not theirs.
    function keyRecord(bytes32 orgId, bytes32 key)
        external
        view
        returns (uint8 keyType, uint64 validFrom, uint64 revokedAt, uint8 revocationReason)
    {
        KeyRecord storage rec = _record(orgId, key);
        return (_keys[key].keyType, rec.validFrom, rec.revokedAt, rec.revocationReason);
    }

    /// @notice Whether `key` was a valid key of `orgId` at time `at` (seconds since epoch).
    function keyValidAt(bytes32 orgId, bytes32 key, uint64 at) external view returns (bool) {
        KeyRef storage ref = _keys[key];
        if (ref.index == 0 || ref.orgId != orgId) return false;
        KeyRecord storage rec = _history(orgId, ref.keyType)[ref.index - 1];
        return rec.validFrom <= at && (rec.revokedAt == 0 || at < rec.revokedAt);
    }

    /// @notice Which organisation and key type a key is registered for (orgId 0 if none).
    function keyOwner(bytes32 key) external view returns (bytes32 orgId, uint8 keyType) {
        KeyRef storage ref = _keys[key];
        return (ref.orgId, ref.keyType);
    }

    // ---------------------------------------------------------------- internals

    function _known(bytes32 orgId) internal view returns (Organisation storage org) {
        org = _orgs[orgId];
        if (org.registeredAt == 0) revert UnknownOrganisation(orgId);
    }

    function _roleBit(uint8 role) internal pure returns (uint8) {
        if (role >= ROLE_COUNT) revert InvalidRole(role);
        return uint8(1) << role;
    }

    function _history(bytes32 orgId, uint8 keyType) internal view returns (KeyRecord[] storage) {
        return keyType == SIGNING_KEY ? _orgs[orgId].signingKeys : _orgs[orgId].encryptionKeys;
    }

    function _record(bytes32 orgId, bytes32 key) internal view returns (KeyRecord storage) {
        _known(orgId);
        KeyRef storage ref = _keys[key];
        if (ref.index == 0 || ref.orgId != orgId) revert UnknownKey(orgId, key);
        return _history(orgId, ref.keyType)[ref.index - 1];
    }

    function _addAccount(bytes32 orgId, address account) internal {
        if (account == address(0)) revert ZeroAddress();
        bytes32 current = _accountOrg[account];
        if (current != bytes32(0)) revert AccountAlreadyRegistered(account, current);
        Organisation storage org = _orgs[orgId];
        org.accounts.push(account);
        _accountOrg[account] = orgId;
        _accountPosition[account] = org.accounts.length;
        emit AccountAdded(orgId, account, msg.sender);
    }

    function _addKey(bytes32 orgId, uint8 keyType, bytes32 key) internal {
        if (key == bytes32(0)) revert ZeroKey();
        if (_keys[key].index != 0) revert KeyAlreadyRegistered(key);
        KeyRecord[] storage history = _history(orgId, keyType);
        uint64 now_ = ChainTime.nowSeconds();
        history.push(KeyRecord({key: key, validFrom: now_, revokedAt: 0, revocationReason: 0}));
        _keys[key] = KeyRef({orgId: orgId, keyType: keyType, index: history.length});
        if (keyType == SIGNING_KEY) {
            emit SigningKeyAdded(orgId, key, now_);
        } else {
            emit EncryptionKeyAdded(orgId, key, now_);
        }
    }

    function _revoke(bytes32 orgId, uint8 keyType, bytes32 key, uint8 reason) internal {
        if (reason > MAX_REASON) revert InvalidReason(reason);
        KeyRecord storage rec = _history(orgId, keyType)[_keys[key].index - 1];
        if (rec.revokedAt != 0) revert KeyAlreadyRevoked(key);
        uint64 now_ = ChainTime.nowSeconds();
        rec.revokedAt = now_;
        rec.revocationReason = reason;
        emit KeyRevoked(orgId, key, keyType, reason, now_, msg.sender);
    }

    function _rotate(uint8 keyType, bytes32 newKey, bytes32 replaces) internal {
        bytes32 orgId = _accountOrg[msg.sender];
        if (orgId == bytes32(0)) revert NotOrganisationAccount(msg.sender);
        if (replaces != bytes32(0)) {
            KeyRef storage ref = _keys[replaces];
            if (ref.index == 0 || ref.orgId != orgId) revert UnknownKey(orgId, replaces);
            if (ref.keyType != keyType) revert WrongKeyType(replaces, ref.keyType);
        }
        _addKey(orgId, keyType, newKey);
        if (replaces != bytes32(0)) _revoke(orgId, keyType, replaces, REASON_SUPERSEDED);
    }
}
