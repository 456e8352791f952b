"""What ``tanji`` answers for each kind of failure: exit 1 when the input or the other
party refused (fix the input), 2 when something could not be reached or opened (retry,
configure), 130 on Ctrl-C; one line naming the cause, a traceback only on request or for
an internal error."""

from __future__ import annotations

import pytest

from anchors.errors import ChainUnavailable, TransactionReverted
from sdk.errors import (
    FootprintError,
    InvalidOrgId,
    NodeClientError,
    RegistryError,
    RegistryRefused,
    SdkError,
    VerificationError,
)
from sdk.wallet.errors import (
    BackupError,
    PassphraseUnavailable,
    WalletConflict,
    WalletError,
    WalletIntegrityError,
    WalletLocked,
    WalletNotFound,
)
from tanji._app import EXIT_INVALID, EXIT_UNAVAILABLE, CliError, classify, fail


def _raised(exc: BaseException) -> BaseException:
    """``exc`` with the traceback of having been raised."""
    try:
        raise exc
    except BaseException as caught:
        return caught


def _registry_error_from_the_chain() -> RegistryError:
    try:
        try:
            raise ChainUnavailable("connection refused")
        except ChainUnavailable as cause:
            raise RegistryError("cannot read the participant registry") from cause
    except RegistryError as exc:
        return exc


CASES: dict[str, tuple[BaseException, int, str]] = {
    "cli error keeps its code": (CliError("bad flag", EXIT_INVALID), EXIT_INVALID, "bad flag"),
    "ctrl-c": (KeyboardInterrupt(), 130, "interrupted"),
    "node down": (
        NodeClientError(0, "unreachable", "connection refused"),
        EXIT_UNAVAILABLE,
        "the node could not be reached or failed",
    ),
    "node failed": (
        NodeClientError(503, "unavailable", "database down"),
        EXIT_UNAVAILABLE,
        "the node could not be reached or failed",
    ),
    "node refused": (
        NodeClientError(409, "conflict", "already published"),
        EXIT_INVALID,
        "the node refused",
    ),
    "transaction reverted": (
        TransactionReverted("anchor reverted", "stale size"),
        EXIT_INVALID,
        "the chain refused",
    ),
    "registry refused": (
        RegistryRefused("not registered", "UnknownOrganisation"),
        EXIT_INVALID,
        "the chain refused",
    ),
    "chain down": (ChainUnavailable("no RPC"), EXIT_UNAVAILABLE, "the chain could not be reached"),
    "registry behind an unreachable chain": (
        _registry_error_from_the_chain(),
        EXIT_UNAVAILABLE,
        "the chain could not be reached",
    ),
    "registry error": (RegistryError("malformed record"), EXIT_INVALID, "malformed record"),
    "no passphrase": (PassphraseUnavailable("set TANJI_PASSPHRASE"), EXIT_UNAVAILABLE, "set"),
    "no wallet": (WalletNotFound("run 'tanji init'"), EXIT_UNAVAILABLE, "run 'tanji init'"),
    "wrong passphrase": (WalletLocked("wrong passphrase"), EXIT_INVALID, "the wallet did not open"),
    "tampered wallet": (
        WalletIntegrityError("wallet_published", "ab", "tag differs"),
        EXIT_INVALID,
        "changed outside Tanji",
    ),
    "wallet busy": (WalletError("database is locked"), EXIT_UNAVAILABLE, "database is locked"),
    "wallet conflict": (WalletConflict("already stored"), EXIT_INVALID, "already stored"),
    "bad backup": (BackupError("not a backup"), EXIT_INVALID, "not a backup"),
    "verification": (
        VerificationError("receipt.anchor", "nothing anchored"),
        EXIT_INVALID,
        "check failed at step receipt.anchor: nothing anchored",
    ),
    "organisation id": (InvalidOrgId("x"), EXIT_UNAVAILABLE, "not an organisation id: x"),
    "bad footprint": (FootprintError("/pcf", "is required"), EXIT_INVALID, "/pcf: is required"),
    "other sdk error": (SdkError("refused"), EXIT_INVALID, "refused"),
    "missing file": (
        FileNotFoundError(2, "No such file or directory", "inv.json"),
        EXIT_UNAVAILABLE,
        "no such file: inv.json",
    ),
    "unreadable": (PermissionError("permission denied"), EXIT_UNAVAILABLE, "permission denied"),
    "bad value": (ValueError("naive datetime"), EXIT_UNAVAILABLE, "naive datetime"),
    "bug": (ZeroDivisionError("division by zero"), EXIT_UNAVAILABLE, "internal error"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_failure_has_its_exit_code_and_cause(case: str) -> None:
    exc, code, fragment = CASES[case]
    got_code, message = classify(exc)
    assert got_code == code, message
    assert fragment in message


def test_fail_prints_one_line_and_a_traceback_only_when_asked(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TANJI_DEBUG", raising=False)
    assert fail(WalletLocked("wrong passphrase [x]"), "publish") == EXIT_INVALID
    err = capsys.readouterr().err
    assert "tanji publish:" in err
    assert "wrong passphrase [x]" in err  # rich markup escaped, not eaten
    assert "Traceback" not in err

    assert fail(_raised(ZeroDivisionError("division by zero")), "rollup") == EXIT_UNAVAILABLE
    assert "Traceback" in capsys.readouterr().err

    monkeypatch.setenv("TANJI_DEBUG", "1")
    assert fail(_raised(WalletLocked("wrong passphrase")), "publish") == EXIT_INVALID
    assert "Traceback" in capsys.readouterr().err
