// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.29;

import {ChainTime} from "./ChainTime.sol";
import {IParticipantRegistry} from "./IParticipantRegistry.sol";

/// @title Tanji carbon labels (碳标识), issued by certifiers registered in the
///        ParticipantRegistry.
/// @notice Any account of an organisation holding CERTIFIER issues a label that points to an
///         anchored attestation (log id, leaf index, leaf hash) and to the digest of the
///         public disclosure of its claims. Any account of the issuing organisation, or
///         the registrar, revokes it with a reason.
///
///         Decisions:
///         - The claimed value is a decimal string ("213.67", optional leading "-", at most
///           one ".", at most 40 characters), exactly what a verifier compares with the
///           disclosed claim; no scaling, no rounding.
///         - Times are UNIX seconds (ChainTime, also on chains stamping milliseconds).
///         - validFrom == 0 means "now" (the block's time). validUntil == 0 means two calendar
///           years after validFrom (the CNCA certificate term), same time of day; 29 February
///           maps to 28 February. The label is valid for validFrom <= t < validUntil.
///         - A label revoked at time R was valid before R: isValid(id, t) answers for t.
///         - The issuer's organisation may revoke its labels even after losing CERTIFIER
///           (withdrawing trust must always be possible); issuing needs the role.
///         - A label may bind a certificate (CNCA-CFP-00:2025): its number and the digest
///           of its canonical JSON, set at issue (`issueCertifiedLabel`) and never changed.
///         - Suspension (暂停) is temporary: the issuing organisation (or the registrar)
///           suspends with a reason and restores with a reason; each period is kept, so
///           statusAt answers for any past time. Revoked wins over everything; outside the
///           validity window NotYetValid / Expired win over Suspended (a suspended label
///           still expires). A revoked label cannot be suspended or restored; a suspended
///           one can be revoked. The `label` view's Label struct is unchanged (readers
///           decode it by position); certificate and suspensions have their own views.
contract LabelRegistry {
    uint8 public constant CERTIFIER = 2;
    uint64 internal constant SECONDS_PER_DAY = 86400;
    uint256 internal constant MAX_VALUE_LENGTH = 40;
    uint256 internal constant MAX_UNIT_LENGTH = 32;
    uint256 internal constant MAX_GRADE_LENGTH = 32;
    uint256 internal constant MAX_STANDARD_LENGTH = 64;
    uint256 internal constant MAX_REASON_LENGTH = 256;
    uint256 internal constant MAX_CERTIFICATE_NUMBER_LENGTH = 64;

    enum Status {
        Unknown,
        Active,
        NotYetValid,
        Expired,
        Revoked,
        Suspended
    }

    /// What the certifier supplies when issuing.
    struct LabelInput {
        bytes32 labelId;
        bytes32 productIdDigest;
        bytes32 logId;
        uint64 leafIndex;
        bytes32 leafHash;
        string value;
        string unit;
        string grade;
        string standard;
        uint64 validFrom;
        uint64 validUntil;
        bytes32 disclosureDigest;
    }

    /// What is stored and returned by `label`.
    struct Label {
        bytes32 labelId;
        bytes32 productIdDigest;
        bytes32 logId;
        uint64 leafIndex;
        bytes32 leafHash;
        string value;
        string unit;
        string grade;
        string standard;
        uint64 validFrom;
        uint64 validUntil;
        bytes32 disclosureDigest;
        bytes32 issuerOrg;
        address issuer;
        uint64 issuedAt;
        uint64 revokedAt;
        string revocationReason;
    }

    /// The certificate a label binds (empty number and zero digest for a label without).
    struct Certificate {
        string number;
        bytes32 digest;
    }

    /// One suspension: from suspendedAt until restoredAt (0 while it lasts).
    struct Suspension {
        uint64 suspendedAt;
        uint64 restoredAt;
        string reason;
        string restoreReason;
    }

    IParticipantRegistry public immutable participants;
    mapping(bytes32 labelId => Label) private _labels;
    mapping(bytes32 labelId => Certificate) private _certificates;
    mapping(bytes32 labelId => Suspension[]) private _suspensions;
    uint256 public labelCount;

    event LabelIssued(
        bytes32 indexed labelId,
        bytes32 indexed issuerOrg,
        bytes32 indexed productIdDigest,
        address issuer,
        bytes32 logId,
        uint64 leafIndex,
        bytes32 leafHash,
        string value,
        string unit,
        uint64 validFrom,
        uint64 validUntil
    );
    event LabelRevoked(
        bytes32 indexed labelId, bytes32 indexed issuerOrg, address sender, string reason
    );
    event LabelCertificate(bytes32 indexed labelId, string number, bytes32 digest);
    event LabelSuspended(
        bytes32 indexed labelId, bytes32 indexed issuerOrg, address sender, string reason
    );
    event LabelRestored(
        bytes32 indexed labelId, bytes32 indexed issuerOrg, address sender, string reason
    );

    error ZeroAddress();
    error NotCertifier(address account);
    error NotLabelIssuer(address account, bytes32 labelId);
    error EmptyField(string field);
    error FieldTooLong(string field, uint256 maxLength);
    error InvalidDecimal(string value);
    error InvalidValidity(uint64 validFrom, uint64 validUntil);
    error LabelExists(bytes32 labelId);
    error UnknownLabel(bytes32 labelId);
    error LabelAlreadyRevoked(bytes32 labelId);
    error LabelAlreadySuspended(bytes32 labelId);
    error LabelNotSuspended(bytes32 labelId);
    error LabelExpired(bytes32 labelId);

    constructor(IParticipantRegistry participants_) {
        if (address(participants_) == address(0)) revert ZeroAddress();
        participants = participants_;
    }

    /// @notice Issue a label; the caller's organisation must hold CERTIFIER.
    /// @return validFrom and validUntil as stored (defaults resolved).
    function issueLabel(LabelInput calldata input)
        external
        returns (uint64 validFrom, uint64 validUntil)
    {
        return _issue(input);
    }

    /// @notice Issue a label binding a certificate: its number and the SHA-256 digest of
    ///         its canonical JSON (tanji.certificate.v1), both required.
    function issueCertifiedLabel(
        LabelInput calldata input,
        string calldata certificateNumber,
        bytes32 certificateDigest
    ) external returns (uint64 validFrom, uint64 validUntil) {
        _checkText(
            "certificateNumber", certificateNumber, MAX_CERTIFICATE_NUMBER_LENGTH, true
        );
        if (certificateDigest == bytes32(0)) revert EmptyField("certificateDigest");
        (validFrom, validUntil) = _issue(input);
        _certificates[input.labelId] = Certificate(certificateNumber, certificateDigest);
        emit LabelCertificate(input.labelId, certificateNumber, certificateDigest);
    }

    function _issue(LabelInput calldata input)
        internal
        returns (uint64 validFrom, uint64 validUntil)
    {
        if (!participants.accountHasRole(msg.sender, CERTIFIER)) revert NotCertifier(msg.sender);
        if (input.labelId == bytes32(0)) revert EmptyField("labelId");
        if (_labels[input.labelId].issuedAt != 0) revert LabelExists(input.labelId);
        if (input.productIdDigest == bytes32(0)) revert EmptyField("productIdDigest");
        if (input.logId == bytes32(0)) revert EmptyField("logId");
        if (input.leafHash == bytes32(0)) revert EmptyField("leafHash");
        if (input.disclosureDigest == bytes32(0)) revert EmptyField("disclosureDigest");
        _checkDecimal(input.value);
        _checkText("unit", input.unit, MAX_UNIT_LENGTH, true);
        _checkText("grade", input.grade, MAX_GRADE_LENGTH, false);
        _checkText("standard", input.standard, MAX_STANDARD_LENGTH, true);

        validFrom = input.validFrom == 0 ? ChainTime.nowSeconds() : input.validFrom;
        validUntil = input.validUntil == 0 ? twoYearsAfter(validFrom) : input.validUntil;
        if (validUntil <= validFrom) revert InvalidValidity(validFrom, validUntil);

        bytes32 issuerOrg = participants.orgOfAccount(msg.sender);
        Label storage stored = _labels[input.labelId];
        stored.labelId = input.labelId;
        stored.productIdDigest = input.productIdDigest;
        stored.logId = input.logId;
        stored.leafIndex = input.leafIndex;
        stored.leafHash = input.leafHash;
        stored.value = input.value;
        stored.unit = input.unit;
        stored.grade = input.grade;
        stored.standard = input.standard;
        stored.validFrom = validFrom;
        stored.validUntil = validUntil;
        stored.disclosureDigest = input.disclosureDigest;
        stored.issuerOrg = issuerOrg;
        stored.issuer = msg.sender;
        stored.issuedAt = ChainTime.nowSeconds();
        labelCount += 1;
        emit LabelIssued(
            input.labelId,
            issuerOrg,
            input.productIdDigest,
            msg.sender,
            input.logId,
            input.leafIndex,
            input.leafHash,
            input.value,
            input.unit,
            validFrom,
            validUntil
        );
    }

    /// @notice Revoke a label; allowed to any account of the issuing organisation and to
    ///         the registrar.
    function revokeLabel(bytes32 labelId, string calldata reason) external {
        Label storage stored = _issuerOrRegistrar(labelId);
        _checkText("reason", reason, MAX_REASON_LENGTH, true);
        stored.revokedAt = ChainTime.nowSeconds();
        stored.revocationReason = reason;
        emit LabelRevoked(labelId, stored.issuerOrg, msg.sender, reason);
    }

    /// @notice Suspend a label from now until restored; same callers as revokeLabel. The
    ///         label must be unrevoked, not suspended and not expired.
    function suspendLabel(bytes32 labelId, string calldata reason) external {
        Label storage stored = _issuerOrRegistrar(labelId);
        Suspension[] storage periods = _suspensions[labelId];
        if (periods.length != 0 && periods[periods.length - 1].restoredAt == 0) {
            revert LabelAlreadySuspended(labelId);
        }
        _checkText("reason", reason, MAX_REASON_LENGTH, true);
        uint64 now_ = ChainTime.nowSeconds();
        if (now_ >= stored.validUntil) revert LabelExpired(labelId);
        periods.push(Suspension(now_, 0, reason, ""));
        emit LabelSuspended(labelId, stored.issuerOrg, msg.sender, reason);
    }

    /// @notice End the current suspension from now on; same callers as revokeLabel.
    function restoreLabel(bytes32 labelId, string calldata reason) external {
        Label storage stored = _issuerOrRegistrar(labelId);
        Suspension[] storage periods = _suspensions[labelId];
        if (periods.length == 0 || periods[periods.length - 1].restoredAt != 0) {
            revert LabelNotSuspended(labelId);
        }
        _checkText("reason", reason, MAX_REASON_LENGTH, true);
        Suspension storage current = periods[periods.length - 1];
        // Restored in the second it was suspended, the period [s, s) is empty.
        current.restoredAt = ChainTime.nowSeconds();
        current.restoreReason = reason;
        emit LabelRestored(labelId, stored.issuerOrg, msg.sender, reason);
    }

    /// @notice The certificate the label binds: empty number and zero digest when none.
    function certificateOf(bytes32 labelId)
        external
        view
        returns (string memory number, bytes32 digest)
    {
        if (_labels[labelId].issuedAt == 0) revert UnknownLabel(labelId);
        Certificate storage c = _certificates[labelId];
        return (c.number, c.digest);
    }

    /// @notice Every suspension of the label, oldest first.
    function suspensionsOf(bytes32 labelId) external view returns (Suspension[] memory) {
        if (_labels[labelId].issuedAt == 0) revert UnknownLabel(labelId);
        return _suspensions[labelId];
    }

    /// @notice The stored label and its status now; reverts UnknownLabel.
    function label(bytes32 labelId) external view returns (Label memory, Status) {
        Label storage stored = _labels[labelId];
        if (stored.issuedAt == 0) revert UnknownLabel(labelId);
        return (stored, statusAt(labelId, ChainTime.nowSeconds()));
    }

    /// @notice The label's status at time `at` (Unknown for an id never issued).
    function statusAt(bytes32 labelId, uint64 at) public view returns (Status) {
        Label storage stored = _labels[labelId];
        if (stored.issuedAt == 0) return Status.Unknown;
        if (stored.revokedAt != 0 && at >= stored.revokedAt) return Status.Revoked;
        if (at < stored.validFrom) return Status.NotYetValid;
        if (at >= stored.validUntil) return Status.Expired;
        Suspension[] storage periods = _suspensions[labelId];
        for (uint256 i = periods.length; i > 0; --i) {
            Suspension storage p = periods[i - 1];
            if (at >= p.suspendedAt) {
                return p.restoredAt == 0 || at < p.restoredAt ? Status.Suspended : Status.Active;
            }
        }
        return Status.Active;
    }

    /// @notice Whether the label existed, was not revoked or suspended and was within its
    ///         window at `at`.
    function isValid(bytes32 labelId, uint64 at) external view returns (bool) {
        return statusAt(labelId, at) == Status.Active;
    }

    /// @notice The same time of day two calendar years after `t` (29 Feb → 28 Feb).
    function twoYearsAfter(uint64 t) public pure returns (uint64) {
        uint64 day = t / SECONDS_PER_DAY;
        uint64 secondsOfDay = t % SECONDS_PER_DAY;
        (int256 y, uint256 m, uint256 d) = _civilFromDays(int256(uint256(day)));
        y += 2;
        if (m == 2 && d == 29) d = 28;
        int256 days2 = _daysFromCivil(y, m, d);
        return uint64(uint256(days2)) * SECONDS_PER_DAY + secondsOfDay;
    }

    // ---------------------------------------------------------------- internals

    /// The stored, unrevoked label, when the caller may change its status.
    function _issuerOrRegistrar(bytes32 labelId) internal view returns (Label storage stored) {
        stored = _labels[labelId];
        if (stored.issuedAt == 0) revert UnknownLabel(labelId);
        if (
            participants.orgOfAccount(msg.sender) != stored.issuerOrg
                && !participants.isRegistrar(msg.sender)
        ) revert NotLabelIssuer(msg.sender, labelId);
        if (stored.revokedAt != 0) revert LabelAlreadyRevoked(labelId);
    }

    function _checkText(string memory field, string calldata text, uint256 max, bool required)
        internal
        pure
    {
        uint256 length = bytes(text).length;
        if (required && length == 0) revert EmptyField(field);
        if (length > max) revert FieldTooLong(field, max);
    }

    function _checkDecimal(string calldata value) internal pure {
        bytes calldata b = bytes(value);
        if (b.length == 0) revert EmptyField("value");
        if (b.length > MAX_VALUE_LENGTH) revert FieldTooLong("value", MAX_VALUE_LENGTH);
        uint256 i = b[0] == "-" ? 1 : 0;
        uint256 intDigits = 0;
        uint256 fracDigits = 0;
        bool dot = false;
        for (; i < b.length; ++i) {
            bytes1 c = b[i];
            if (c == ".") {
                if (dot) revert InvalidDecimal(value);
                dot = true;
            } else if (c >= "0" && c <= "9") {
                if (dot) fracDigits += 1;
                else intDigits += 1;
            } else {
                revert InvalidDecimal(value);
            }
        }
        if (intDigits == 0 || (dot && fracDigits == 0)) revert InvalidDecimal(value);
    }

    /// Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian, UTC).
    function _civilFromDays(int256 z) internal pure returns (int256 y, uint256 m, uint256 d) {
        z += 719468;
        int256 era = (z >= 0 ? z : z - 146096) / 146097;
        uint256 doe = uint256(z - era * 146097);
        uint256 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        y = int256(yoe) + era * 400;
        uint256 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        uint256 mp = (5 * doy + 2) / 153;
        d = doy - (153 * mp + 2) / 5 + 1;
        m = mp < 10 ? mp + 3 : mp - 9;
        if (m <= 2) y += 1;
    }

    function _daysFromCivil(int256 y, uint256 m, uint256 d) internal pure returns (int256) {
        if (m <= 2) y -= 1;
        int256 era = (y >= 0 ? y : y - 399) / 400;
        uint256 yoe = uint256(y - era * 400);
        uint256 doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
        uint256 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + int256(doe) - 719468;
    }
}
