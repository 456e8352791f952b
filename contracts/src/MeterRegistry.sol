// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.29;

import {ChainTime} from "./ChainTime.sol";
import {IParticipantRegistry} from "./IParticipantRegistry.sol";

/// @title Tanji meter registry: metering devices of registered organisations, their
///        device keys and calibration certificates (docs/metering.md §4).
/// @notice Any account of a registered organisation registers a meter for that
///         organisation, renews its calibration and retires it; the registrar may retire
///         any meter. A certifier rebuilds the meter's registration from `meter` and checks
///         the signed readings an inventory line cites against it.
///
///         Decisions:
///         - A meter is named by (owner org digest, sha256(utf8(deviceId))): two
///           organisations may use the same device id, and nobody can register a device id
///           for another organisation.
///         - A device key (Ed25519, bytes32) can be registered once in the whole registry,
///           so a key names exactly one meter.
///         - Calibration certificates are append-only, in the order issued; a renewal may
///           not start before the newest certificate. Dates are certificate dates in China
///           Standard Time: validFrom is 00:00 CST of the first day, validUntil 00:00 CST
///           after the last day (UNIX seconds, end exclusive). Each certificate's digest is
///           sha256 over "tanji.calibration.v1\0" + its canonical JSON, so the full
///           certificate (a public document) is checked against the chain; addedAt records
///           when it was registered.
///         - registeredAt is when the meter went into service (0 = now, never in the
///           future); readings before it are refused by the checks. Retirement is from the
///           block's time on and final.
///         - The multiplier (instrument-transformer ratio, CT x PT) is a positive decimal
///           string, kept exactly as the checks use it.
contract MeterRegistry {
    uint256 internal constant MAX_DEVICE_ID_LENGTH = 64;
    uint256 internal constant MAX_SHORT_LENGTH = 64;
    uint256 internal constant MAX_TEXT_LENGTH = 256;

    /// What the owner supplies when registering.
    struct MeterInput {
        string deviceId;
        bytes32 publicKey;
        string quantity;
        string unit;
        string register;
        string multiplier;
        uint64 registeredAt;
    }

    /// One calibration certificate.
    struct Calibration {
        string institute;
        string number;
        string accuracyClass;
        uint64 validFrom;
        uint64 validUntil;
        bytes32 digest;
        uint64 addedAt;
    }

    /// What is stored and returned by `meter`.
    struct Meter {
        bytes32 ownerOrg;
        string deviceId;
        bytes32 publicKey;
        string quantity;
        string unit;
        string register;
        string multiplier;
        uint64 registeredAt;
        uint64 retiredAt;
        address registeredBy;
    }

    IParticipantRegistry public immutable participants;
    mapping(bytes32 meterId => Meter) private _meters;
    mapping(bytes32 meterId => Calibration[]) private _calibrations;
    mapping(bytes32 publicKey => bytes32 meterId) private _keyOwner;
    uint256 public meterCount;

    event MeterRegistered(
        bytes32 indexed ownerOrg,
        bytes32 indexed deviceIdDigest,
        bytes32 indexed publicKey,
        string deviceId,
        address sender
    );
    event CalibrationAdded(
        bytes32 indexed ownerOrg,
        bytes32 indexed deviceIdDigest,
        uint256 index,
        string number,
        bytes32 digest,
        uint64 validFrom,
        uint64 validUntil
    );
    event MeterRetired(
        bytes32 indexed ownerOrg, bytes32 indexed deviceIdDigest, uint64 at, address sender
    );

    error ZeroAddress();
    error NotRegistered(address account);
    error NotMeterOwner(address account, bytes32 ownerOrg, bytes32 deviceIdDigest);
    error EmptyField(string field);
    error FieldTooLong(string field, uint256 maxLength);
    error InvalidDecimal(string value);
    error InvalidValidity(uint64 validFrom, uint64 validUntil);
    error RegisteredInFuture(uint64 registeredAt);
    error MeterExists(bytes32 ownerOrg, bytes32 deviceIdDigest);
    error KeyInUse(bytes32 publicKey);
    error UnknownMeter(bytes32 ownerOrg, bytes32 deviceIdDigest);
    error MeterAlreadyRetired(bytes32 ownerOrg, bytes32 deviceIdDigest);
    error DuplicateCertificate(string number);
    error RenewalBeforeCurrent(uint64 validFrom, uint64 currentValidFrom);

    constructor(IParticipantRegistry participants_) {
        if (address(participants_) == address(0)) revert ZeroAddress();
        participants = participants_;
    }

    /// @notice The registry key of a meter: keccak256(ownerOrg, deviceIdDigest).
    function meterId(bytes32 ownerOrg, bytes32 deviceIdDigest) public pure returns (bytes32) {
        return keccak256(abi.encode(ownerOrg, deviceIdDigest));
    }

    /// @notice Register a meter for the caller's organisation with its first certificate.
    /// @return deviceIdDigest sha256(utf8(deviceId)).
    function registerMeter(MeterInput calldata input, Calibration calldata calibration)
        external
        returns (bytes32 deviceIdDigest)
    {
        bytes32 ownerOrg = participants.orgOfAccount(msg.sender);
        if (ownerOrg == bytes32(0)) revert NotRegistered(msg.sender);
        _checkText("deviceId", input.deviceId, MAX_DEVICE_ID_LENGTH);
        if (input.publicKey == bytes32(0)) revert EmptyField("publicKey");
        _checkText("quantity", input.quantity, MAX_SHORT_LENGTH);
        _checkText("unit", input.unit, MAX_SHORT_LENGTH);
        _checkText("register", input.register, MAX_SHORT_LENGTH);
        _checkPositiveDecimal(input.multiplier);
        uint64 now_ = ChainTime.nowSeconds();
        uint64 registeredAt = input.registeredAt == 0 ? now_ : input.registeredAt;
        if (registeredAt > now_) revert RegisteredInFuture(registeredAt);

        deviceIdDigest = sha256(bytes(input.deviceId));
        bytes32 id = meterId(ownerOrg, deviceIdDigest);
        if (_meters[id].registeredBy != address(0)) revert MeterExists(ownerOrg, deviceIdDigest);
        if (_keyOwner[input.publicKey] != bytes32(0)) revert KeyInUse(input.publicKey);
        _keyOwner[input.publicKey] = id;
        _meters[id] = Meter(
            ownerOrg,
            input.deviceId,
            input.publicKey,
            input.quantity,
            input.unit,
            input.register,
            input.multiplier,
            registeredAt,
            0,
            msg.sender
        );
        meterCount += 1;
        emit MeterRegistered(ownerOrg, deviceIdDigest, input.publicKey, input.deviceId, msg.sender);
        _addCalibration(ownerOrg, deviceIdDigest, id, calibration);
    }

    /// @notice Append a calibration certificate (renewal) to an unretired meter of the
    ///         caller's organisation.
    function renewCalibration(bytes32 deviceIdDigest, Calibration calldata calibration)
        external
    {
        bytes32 ownerOrg = participants.orgOfAccount(msg.sender);
        bytes32 id = meterId(ownerOrg, deviceIdDigest);
        if (_meters[id].registeredBy == address(0)) {
            revert NotMeterOwner(msg.sender, ownerOrg, deviceIdDigest);
        }
        if (_meters[id].retiredAt != 0) revert MeterAlreadyRetired(ownerOrg, deviceIdDigest);
        _addCalibration(ownerOrg, deviceIdDigest, id, calibration);
    }

    /// @notice Retire a meter from now on: by an account of its organisation or the
    ///         registrar.
    function retireMeter(bytes32 ownerOrg, bytes32 deviceIdDigest) external {
        bytes32 id = meterId(ownerOrg, deviceIdDigest);
        Meter storage stored = _meters[id];
        if (stored.registeredBy == address(0)) revert UnknownMeter(ownerOrg, deviceIdDigest);
        if (
            participants.orgOfAccount(msg.sender) != ownerOrg
                && !participants.isRegistrar(msg.sender)
        ) revert NotMeterOwner(msg.sender, ownerOrg, deviceIdDigest);
        if (stored.retiredAt != 0) revert MeterAlreadyRetired(ownerOrg, deviceIdDigest);
        uint64 now_ = ChainTime.nowSeconds();
        // Retired in the second it went into service still leaves an empty life.
        stored.retiredAt = now_ > stored.registeredAt ? now_ : stored.registeredAt + 1;
        emit MeterRetired(ownerOrg, deviceIdDigest, stored.retiredAt, msg.sender);
    }

    /// @notice The meter and its calibration history (oldest first); reverts UnknownMeter.
    function meter(bytes32 ownerOrg, bytes32 deviceIdDigest)
        external
        view
        returns (Meter memory, Calibration[] memory)
    {
        bytes32 id = meterId(ownerOrg, deviceIdDigest);
        if (_meters[id].registeredBy == address(0)) revert UnknownMeter(ownerOrg, deviceIdDigest);
        return (_meters[id], _calibrations[id]);
    }

    /// @notice Whether (ownerOrg, deviceIdDigest) names a registered meter.
    function isRegistered(bytes32 ownerOrg, bytes32 deviceIdDigest) external view returns (bool) {
        return _meters[meterId(ownerOrg, deviceIdDigest)].registeredBy != address(0);
    }

    /// @notice The meter id holding a device key, or 0.
    function meterOfKey(bytes32 publicKey) external view returns (bytes32) {
        return _keyOwner[publicKey];
    }

    // ---------------------------------------------------------------- internals

    function _addCalibration(
        bytes32 ownerOrg,
        bytes32 deviceIdDigest,
        bytes32 id,
        Calibration calldata c
    ) internal {
        _checkText("institute", c.institute, MAX_TEXT_LENGTH);
        _checkText("number", c.number, MAX_SHORT_LENGTH);
        if (bytes(c.accuracyClass).length > MAX_SHORT_LENGTH) {
            revert FieldTooLong("accuracyClass", MAX_SHORT_LENGTH);
        }
        if (c.validFrom == 0 || c.validUntil <= c.validFrom) {
            revert InvalidValidity(c.validFrom, c.validUntil);
        }
        if (c.digest == bytes32(0)) revert EmptyField("digest");
        Calibration[] storage history = _calibrations[id];
        bytes32 numberHash = keccak256(bytes(c.number));
        for (uint256 i = 0; i < history.length; ++i) {
            if (keccak256(bytes(history[i].number)) == numberHash) {
                revert DuplicateCertificate(c.number);
            }
        }
        if (history.length != 0 && c.validFrom < history[history.length - 1].validFrom) {
            revert RenewalBeforeCurrent(c.validFrom, history[history.length - 1].validFrom);
        }
        history.push(
            Calibration(
                c.institute,
                c.number,
                c.accuracyClass,
                c.validFrom,
                c.validUntil,
                c.digest,
                ChainTime.nowSeconds()
            )
        );
        emit CalibrationAdded(
            ownerOrg, deviceIdDigest, history.length - 1, c.number, c.digest, c.validFrom, c.validUntil
        );
    }

    function _checkText(string memory field, string calldata text, uint256 max) internal pure {
        uint256 length = bytes(text).length;
        if (length == 0) revert EmptyField(field);
        if (length > max) revert FieldTooLong(field, max);
    }

    /// A positive plain decimal ("1", "6000", "0.5"): digits, at most one ".", not zero.
    function _checkPositiveDecimal(string calldata value) internal pure {
        bytes calldata b = bytes(value);
        if (b.length == 0) revert EmptyField("multiplier");
        if (b.length > MAX_SHORT_LENGTH) revert FieldTooLong("multiplier", MAX_SHORT_LENGTH);
        uint256 intDigits = 0;
        uint256 fracDigits = 0;
        bool dot = false;
        bool nonZero = false;
        for (uint256 i = 0; i < b.length; ++i) {
            bytes1 c = b[i];
            if (c == ".") {
                if (dot) revert InvalidDecimal(value);
                dot = true;
            } else if (c >= "0" && c <= "9") {
                if (dot) fracDigits += 1;
                else intDigits += 1;
                if (c != "0") nonZero = true;
            } else {
                revert InvalidDecimal(value);
            }
        }
        if (intDigits == 0 || (dot && fracDigits == 0) || !nonZero) revert InvalidDecimal(value);
    }
}
