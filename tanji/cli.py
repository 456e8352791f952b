"""The ``tanji`` command: one command line for every role (typer + rich).

Only this module and typer load at start; each command imports what it needs when it
runs (see :mod:`tanji._app` for exit codes and shared options).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from tanji._app import Options, fail
from tanji._lazy import defer_eth_keyfile

defer_eth_keyfile()

NETWORK = "Network (local network / log operator)"
EVERYONE_ORG = "Organisation (every organisation)"
REGISTRAR = "Registrar"
SUPPLIER = "Supplier"
LEADER = "Leader (chain leader)"
CERTIFIER = "Certifier"
EVERYONE = "Everyone (auditors, buyers, consumers)"
OPERATOR = "Node (log operator)"

app = typer.Typer(
    name="tanji",
    help="Tanji (碳迹): trusted product carbon footprints. One command for every role; "
    "each command's help says which role it is for. Exit codes: 0 done or valid, 1 checked "
    "and invalid or refused, 2 could not check (usage, network, environment).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
    context_settings={"help_option_names": ["-h", "--help"]},
)
network_app = typer.Typer(
    help="(operator) a local Tanji network in one directory", no_args_is_help=True
)
org_app = typer.Typer(help="(registrar) admit organisations", no_args_is_help=True)
keys_app = typer.Typer(help="(every organisation) the wallet's keys", no_args_is_help=True)
wallet_app = typer.Typer(
    help="(every organisation) the wallet: backup, restore, passphrase", no_args_is_help=True
)
requests_app = typer.Typer(
    help="(supplier, leader) footprint requests in both directions", no_args_is_help=True
)
gateway_app = typer.Typer(
    help="(every organisation) the PACT v3.0/v2.3 server over the wallet", no_args_is_help=True
)
clients_app = typer.Typer(
    help="(every organisation) customers' PACT systems (OAuth clients)", no_args_is_help=True
)
partners_app = typer.Typer(
    help="(every organisation) credentials for partners' PACT servers", no_args_is_help=True
)
users_app = typer.Typer(
    help="(every organisation) staff accounts of the web console (/console)",
    no_args_is_help=True,
)
pact_app = typer.Typer(help="(leader) PACT client: pull, request", no_args_is_help=True)
label_app = typer.Typer(help="(certifier, everyone) carbon labels", no_args_is_help=True)
meter_app = typer.Typer(
    help="(supplier) meters on chain: register, calibrate, retire, show, read",
    no_args_is_help=True,
)
log_app = typer.Typer(help="(everyone) the node's log", no_args_is_help=True)

app.add_typer(network_app, name="network", rich_help_panel=NETWORK)
app.add_typer(org_app, name="org", rich_help_panel=REGISTRAR)
app.add_typer(keys_app, name="keys", rich_help_panel=EVERYONE_ORG)
app.add_typer(wallet_app, name="wallet", rich_help_panel=EVERYONE_ORG)
app.add_typer(requests_app, name="requests", rich_help_panel=SUPPLIER)
app.add_typer(label_app, name="label", rich_help_panel=CERTIFIER)
app.add_typer(meter_app, name="meter", rich_help_panel=SUPPLIER)
app.add_typer(gateway_app, name="gateway", rich_help_panel=EVERYONE_ORG)
gateway_app.add_typer(clients_app, name="clients")
gateway_app.add_typer(partners_app, name="partners")
gateway_app.add_typer(users_app, name="users")
app.add_typer(pact_app, name="pact", rich_help_panel=LEADER)
app.add_typer(log_app, name="log", rich_help_panel=EVERYONE)

_OPTS = Options.from_env()

Json = Annotated[bool, typer.Option("--json", help="print the result as JSON")]
NetworkDir = Annotated[
    Path,
    typer.Option("--dir", help="the network's directory", envvar="TANJI_NETWORK_DIR"),
]


def _run(command: str, action: Callable[[], int | None]) -> None:
    try:
        code = action()
    except typer.Exit:
        raise
    except (Exception, KeyboardInterrupt) as exc:
        raise typer.Exit(fail(exc, command)) from None
    raise typer.Exit(code or 0)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            typer.echo(f"tanji {version('tanji')}")
        except PackageNotFoundError:
            typer.echo("tanji (not installed)")
        raise typer.Exit(0)


@app.callback()
def _main(
    home: Annotated[
        Path | None,
        typer.Option(help="the organisation's directory (default $TANJI_HOME or ~/.tanji)"),
    ] = None,
    wallet: Annotated[
        str | None,
        typer.Option(help="the wallet: a path or a database URL (default HOME/wallet.db)"),
    ] = None,
    passphrase_file: Annotated[
        Path | None,
        typer.Option(help="file whose first line is the wallet passphrase"),
    ] = None,
    network: Annotated[
        str | None,
        typer.Option(
            help="network profile: a directory or network.json (default HOME/network.json)"
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="print the version and exit"
        ),
    ] = False,
) -> None:
    """Tanji (碳迹) command line."""
    fresh = Options.from_env()
    _OPTS.home = home if home is not None else fresh.home
    _OPTS.wallet = wallet if wallet is not None else fresh.wallet
    _OPTS.passphrase_file = passphrase_file
    _OPTS.network = network if network is not None else fresh.network


# ---------------------------------------------------------------------- network


@network_app.command("up")
def network_up(
    directory: NetworkDir = Path("tanji-network"),
    embedded: Annotated[
        bool, typer.Option("--embedded", help="an in-process py-evm chain instead of anvil")
    ] = False,
    log_id: Annotated[str, typer.Option(help="the node's log id")] = "main",
    anchor_every: Annotated[
        float, typer.Option(help="anchor the log at least every this many seconds")
    ] = 2.0,
    fast_kdf: Annotated[
        bool,
        typer.Option(
            "--insecure-fast-kdf", help="cheapest argon2id for the wallets: for tests only"
        ),
    ] = False,
    as_json: Json = False,
) -> None:
    """(operator) Start a local network: chain (anvil, or --embedded), contracts, a
    registrar wallet, a node whose log and checkpoint key are registered on chain.
    Idempotent: restarts whatever of an existing network is stopped."""
    from tanji import _network

    _run(
        "network up",
        lambda: _network.up(directory, embedded, log_id, anchor_every, as_json, fast_kdf),
    )


@network_app.command("status")
def network_status(directory: NetworkDir = Path("tanji-network"), as_json: Json = False) -> None:
    """(operator) Is the chain up, the node healthy, the log anchored? Exit 1 if a part
    is down."""
    from tanji import _network

    _run("network status", lambda: _network.status(directory, as_json))


@network_app.command("down")
def network_down(
    directory: NetworkDir = Path("tanji-network"),
    node_only: Annotated[bool, typer.Option("--node-only", help="stop only the node")] = False,
) -> None:
    """(operator) Stop the node and the chain (anvil writes its state to the directory)."""
    from tanji import _network

    _run("network down", lambda: _network.down(directory, node_only))


# ---------------------------------------------------------------------- organisation


@app.command("init", rich_help_panel=EVERYONE_ORG)
def init(
    org_id: Annotated[str, typer.Argument(help="unified social credit code or URN")],
    name: Annotated[str, typer.Option(help="the organisation's name")] = "",
    roles: Annotated[
        str, typer.Option(help="roles to ask the registrar for, e.g. supplier,leader")
    ] = "supplier",
    network: Annotated[
        str | None, typer.Option("--join", help="network directory or network.json to join")
    ] = None,
    fast_kdf: Annotated[
        bool,
        typer.Option("--insecure-fast-kdf", help="cheapest argon2id parameters: for tests only"),
    ] = False,
    as_json: Json = False,
) -> None:
    """(every organisation) Create the organisation's wallet with fresh keys and an EVM
    account, and write the registration request for the registrar."""
    from tanji import _org

    _run("init", lambda: _org.init(_OPTS, org_id, name, roles, network, fast_kdf, as_json))


@org_app.command("register")
def org_register(
    requests: Annotated[list[Path], typer.Argument(help="registration.json files")],
    roles: Annotated[
        str | None, typer.Option(help="roles to grant (default: the ones asked for)")
    ] = None,
    fund: Annotated[
        str | None,
        typer.Option(help="ETH to send each new account (default: the local network's)"),
    ] = None,
    as_json: Json = False,
) -> None:
    """(registrar) Admit organisations with their roles, keys and accounts."""
    from tanji import _org

    _run("org register", lambda: _org.register(_OPTS, requests, roles, fund, as_json))


@org_app.command("show")
def org_show(
    org_id: Annotated[str | None, typer.Argument(help="default: this wallet's")] = None,
    as_json: Json = False,
) -> None:
    """(everyone) An organisation as the chain knows it: roles, keys, accounts."""
    from tanji import _org

    _run("org show", lambda: _org.show(_OPTS, org_id, as_json))


@keys_app.command("list")
def keys_list(as_json: Json = False) -> None:
    """(every organisation) The wallet's keys: current, pending, rotated, revoked."""
    from tanji import _org

    _run("keys list", lambda: _org.keys_list(_OPTS, as_json))


@keys_app.command("rotate")
def keys_rotate(as_json: Json = False) -> None:
    """(every organisation) New signing and encryption keys, registered on chain; the old
    ones stay in the wallet so what was sealed to them still opens."""
    from tanji import _org

    _run("keys rotate", lambda: _org.keys_rotate(_OPTS, as_json))


@keys_app.command("revoke")
def keys_revoke(
    key_id: Annotated[str, typer.Argument(help="the key id (keys list)")],
    reason: Annotated[
        str, typer.Option(help="unspecified, key_compromise, superseded, cessation_of_operation")
    ] = "key_compromise",
    as_json: Json = False,
) -> None:
    """(every organisation) Revoke one of the organisation's keys on chain from now on."""
    from tanji import _org

    _run("keys revoke", lambda: _org.keys_revoke(_OPTS, key_id, reason, as_json))


@wallet_app.command("backup")
def wallet_backup(
    path: Annotated[Path, typer.Argument(help="the backup file to write")],
    as_json: Json = False,
) -> None:
    """(every organisation) Write an encrypted backup of the whole wallet (asks for a
    backup passphrase: $TANJI_BACKUP_PASSPHRASE or a prompt)."""
    from tanji import _org

    _run("wallet backup", lambda: _org.backup(_OPTS, path, as_json))


@wallet_app.command("restore")
def wallet_restore(
    path: Annotated[Path, typer.Argument(help="the backup file")],
    fast_kdf: Annotated[bool, typer.Option("--insecure-fast-kdf", help="for tests only")] = False,
    as_json: Json = False,
) -> None:
    """(every organisation) Restore a backup into a new wallet (--home / --wallet)."""
    from tanji import _org

    _run("wallet restore", lambda: _org.restore(_OPTS, path, fast_kdf, as_json))


@wallet_app.command("verify")
def wallet_verify(as_json: Json = False) -> None:
    """(every organisation) Open the wallet and authenticate every row."""
    from tanji import _org

    _run("wallet verify", lambda: _org.verify_wallet(_OPTS, as_json))


# ---------------------------------------------------------------------- supplier


@app.command("publish", rich_help_panel=SUPPLIER)
def publish(
    files: Annotated[
        list[Path], typer.Argument(help="PACT v3.0/v2.3 footprint or Tanji inventory JSON")
    ],
    grant: Annotated[
        list[str] | None, typer.Option("--grant", help="organisation that may decrypt")
    ] = None,
    supersedes: Annotated[str | None, typer.Option(help="attestation this replaces")] = None,
    as_json: Json = False,
) -> None:
    """(supplier) Publish footprints: encrypted, signed, logged. Secrets go to the wallet
    first; a retry after a crash publishes nothing twice."""
    from tanji import _supply

    _run("publish", lambda: _supply.publish(_OPTS, files, grant or [], supersedes, as_json))


@app.command("grant", rich_help_panel=SUPPLIER)
def grant_cmd(
    attestation: Annotated[str, typer.Argument(help="an attestation this wallet published")],
    org: Annotated[list[str], typer.Argument(help="organisations to let decrypt it")],
    as_json: Json = False,
) -> None:
    """(supplier) Let organisations decrypt one of your attestations."""
    from tanji import _supply

    _run("grant", lambda: _supply.grant(_OPTS, attestation, org, as_json))


@app.command("disclose", rich_help_panel=SUPPLIER)
def disclose_cmd(
    attestation: Annotated[str, typer.Argument(help="an attestation this wallet published")],
    pointers: Annotated[
        list[str],
        typer.Argument(
            help="JSON Pointers of the claims to reveal, e.g. /pcf/pcfExcludingBiogenicUptake"
        ),
    ],
    out: Annotated[Path | None, typer.Option(help="write the disclosure to this file")] = None,
) -> None:
    """(supplier) Reveal chosen claims of one of your attestations, with their proofs:
    a disclosure anyone can check with 'tanji verify'."""
    from tanji import _supply

    _run("disclose", lambda: _supply.disclose(_OPTS, attestation, pointers, out))


@app.command("published", rich_help_panel=SUPPLIER)
def published_cmd(as_json: Json = False) -> None:
    """(supplier) What this wallet published, with state and grants."""
    from tanji import _supply

    _run("published", lambda: _supply.published(_OPTS, as_json))


@requests_app.command("list")
def requests_list(
    direction: Annotated[
        str, typer.Option(help="incoming (you supply), outgoing (you lead), or all")
    ] = "all",
    state: Annotated[str | None, typer.Option(help="open, fulfilled or rejected")] = None,
    as_json: Json = False,
) -> None:
    """(supplier, leader) Footprint requests, refreshed from the node."""
    from tanji import _supply

    _run("requests list", lambda: _supply.requests_list(_OPTS, direction, state, as_json))


@requests_app.command("fulfil")
def requests_fulfil(
    request_ids: Annotated[list[str] | None, typer.Argument(help="request ids")] = None,
    attestation: Annotated[
        str | None,
        typer.Option(help="answer with this attestation (default: the newest for the product)"),
    ] = None,
    fulfil_all: Annotated[
        bool, typer.Option("--all", help="every open request you have an attestation for")
    ] = False,
    as_json: Json = False,
) -> None:
    """(supplier) Answer requests: grant the customer your attestation of the product.
    A request received over PACT (`tanji gateway serve`) is answered with the matching
    footprints (or --attestation), sent back by the gateway."""
    from tanji import _gateway, _supply

    def action() -> int:
        ids = request_ids or []
        pact, others = _gateway.split_pact(_OPTS, ids) if ids else ([], [])
        if pact:
            code = _gateway.answer_all(_OPTS, pact, attestation, None, None, as_json)
            if not others:
                return code
        return _supply.fulfil(_OPTS, others, attestation, fulfil_all, as_json)

    _run("requests fulfil", action)


@requests_app.command("reject")
def requests_reject(
    request_id: Annotated[str, typer.Argument()],
    reason: Annotated[str, typer.Option(help="what the customer will read")],
    as_json: Json = False,
) -> None:
    """(supplier) Decline a request with a reason (over PACT too)."""
    from tanji import _gateway, _supply

    def action() -> int:
        if _gateway.split_pact(_OPTS, [request_id])[0]:
            return _gateway.answer_all(_OPTS, [request_id], None, reason, None, as_json)
        return _supply.reject(_OPTS, request_id, reason, as_json)

    _run("requests reject", action)


# ---------------------------------------------------------------------- leader


@app.command("request", rich_help_panel=LEADER)
def request_cmd(
    supplier: Annotated[str | None, typer.Argument(help="the supplier's organisation id")] = None,
    products: Annotated[list[str] | None, typer.Argument(help="product ids (URNs)")] = None,
    bom: Annotated[
        Path | None,
        typer.Option(help="ask every supplier of this BOM for its components instead"),
    ] = None,
    message: Annotated[str | None, typer.Option(help="a note for the supplier")] = None,
    as_json: Json = False,
) -> None:
    """(leader) Ask a supplier for the footprints of products (or, with --bom, every
    supplier named in a bill of materials for its parts)."""
    from tanji import _supply

    _run(
        "request",
        lambda: _supply.request(_OPTS, supplier, products or [], bom, message, as_json),
    )


@app.command("collect", rich_help_panel=LEADER)
def collect(as_json: Json = False) -> None:
    """(leader) Fetch, decrypt and verify every footprint granted for your requests."""
    from tanji import _supply

    _run("collect", lambda: _supply.collect(_OPTS, as_json))


@app.command("rollup", rich_help_panel=LEADER)
def rollup(
    bom: Annotated[Path, typer.Argument(help="bill of materials JSON (docs/roles.md)")],
    publish_it: Annotated[
        bool, typer.Option("--publish", help="publish the rolled-up footprint")
    ] = False,
    grant: Annotated[
        list[str] | None, typer.Option("--grant", help="with --publish: who may decrypt it")
    ] = None,
    as_json: Json = False,
) -> None:
    """(leader) Roll collected supplier footprints up through a BOM and print the
    breakdown; --publish publishes it with the suppliers' disclosures as lineage."""
    from tanji import _supply

    _run("rollup", lambda: _supply.rollup(_OPTS, bom, publish_it, grant or [], as_json))


# ---------------------------------------------------------------------- certifier


@app.command("certify", rich_help_panel=CERTIFIER)
def certify(
    attestation: Annotated[str, typer.Argument(help="the leader's attestation id")],
    issue: Annotated[bool, typer.Option("--issue", help="issue the label on chain")] = False,
    grade: Annotated[str, typer.Option(help="grade to print on the label")] = "",
    standard: Annotated[str, typer.Option(help="the standard")] = "GB/T 24067-2024",
    qr: Annotated[Path | None, typer.Option(help="write the label's QR code (.png/.svg)")] = None,
    certificate: Annotated[
        Path | None,
        typer.Option(help="with --issue: the CNCA-CFP-00:2025 certificate JSON the label binds"),
    ] = None,
    wait: Annotated[
        float, typer.Option(help="seconds to wait for the attestation to be anchored")
    ] = 60.0,
    factor_publisher: Annotated[
        list[str] | None, typer.Option(help="organisations whose public factor sets you accept")
    ] = None,
    ets: Annotated[
        str | None, typer.Option(help="attestation id of the facility's ETS year granted to you")
    ] = None,
    ets_product: Annotated[
        str | None, typer.Option(help="with --ets: the product line of the ETS report")
    ] = None,
    ets_band: Annotated[str, typer.Option(help="with --ets: plausibility band")] = "0.20",
    ets_exclude: Annotated[
        list[str] | None, typer.Option(help="with --ets: line ids outside the market's scope")
    ] = None,
    override: Annotated[
        list[str] | None,
        typer.Option(help="with --ets: CHECK=REASON, issue despite that flag (recorded)"),
    ] = None,
    as_json: Json = False,
) -> None:
    """(certifier) Run the certifier's checks on an attestation (the roll-up, every
    metered line against its meter on chain and signed readings, with --ets the ETS
    cross-checks) and print them; --issue issues the label on chain and publishes its
    disclosure."""
    from tanji import _certify

    _run(
        "certify",
        lambda: _certify.certify(
            _OPTS,
            attestation,
            issue,
            grade,
            standard,
            qr,
            wait,
            factor_publisher or [],
            as_json,
            _certify.EtsOptions(ets, ets_product, ets_band, ets_exclude or [], override or []),
            certificate,
        ),
    )


@label_app.command("revoke")
def label_revoke(
    label_id: Annotated[str, typer.Argument(help="0x + 64 hex")],
    reason: Annotated[str, typer.Option(help="why (public, on chain)")],
    as_json: Json = False,
) -> None:
    """(certifier) Revoke a label you issued."""
    from tanji import _certify

    _run("label revoke", lambda: _certify.revoke(_OPTS, label_id, reason, as_json))


@label_app.command("suspend")
def label_suspend(
    label_id: Annotated[str, typer.Argument(help="0x + 64 hex")],
    reason: Annotated[str, typer.Option(help="why (public, on chain)")],
    as_json: Json = False,
) -> None:
    """(certifier) Suspend a label you issued until you restore it (暂停)."""
    from tanji import _certify

    _run("label suspend", lambda: _certify.suspend(_OPTS, label_id, reason, as_json))


@label_app.command("restore")
def label_restore(
    label_id: Annotated[str, typer.Argument(help="0x + 64 hex")],
    reason: Annotated[str, typer.Option(help="why (public, on chain)")],
    as_json: Json = False,
) -> None:
    """(certifier) Restore a label you suspended (恢复)."""
    from tanji import _certify

    _run("label restore", lambda: _certify.restore(_OPTS, label_id, reason, as_json))


@label_app.command("qr")
def label_qr(
    label_id: Annotated[str, typer.Argument(help="0x + 64 hex")],
    out: Annotated[Path | None, typer.Option(help="write a .png or .svg instead")] = None,
    label: Annotated[
        Path | None,
        typer.Option(help="also write the printable carbon label (.svg or .png)"),
    ] = None,
    as_json: Json = False,
) -> None:
    """(certifier) The label's QR code (the node's verification page), and with --label the
    printable carbon label: footprint mark, value and unit, QR code, number, certifier."""
    from tanji import _certify

    _run("label qr", lambda: _certify.qr(_OPTS, label_id, out, as_json, label))


@label_app.command("list")
def label_list(as_json: Json = False) -> None:
    """(certifier) Labels in this wallet."""
    from tanji import _certify

    _run("label list", lambda: _certify.labels(_OPTS, as_json))


@label_app.command("verify")
def label_verify(
    label_id: Annotated[
        str | None, typer.Argument(help="0x + 64 hex (optional with --evidence)")
    ] = None,
    node: Annotated[str | None, typer.Option(help="base URL of any node serving its log")] = None,
    rpc: Annotated[str | None, typer.Option(help="JSON-RPC URL of the chain")] = None,
    deployment: Annotated[Path | None, typer.Option(help="deployment JSON")] = None,
    save_evidence: Annotated[
        Path | None,
        typer.Option(help="also write the evidence bundle the audit used (docs/evidence.md)"),
    ] = None,
    evidence: Annotated[
        Path | None,
        typer.Option(help="audit a saved evidence bundle offline (no node, no chain)"),
    ] = None,
    as_json: Json = False,
) -> None:
    """(everyone) Audit a label against the chain step by step: exit 0 valid, 1 invalid,
    2 could not check."""
    from tanji import _check

    _run(
        "label verify",
        lambda: _check.label_verify(
            _OPTS, label_id, node, rpc, deployment, as_json, save_evidence, evidence
        ),
    )


# ---------------------------------------------------------------------- meters

DeviceId = Annotated[str, typer.Argument(help="the meter's device id, e.g. CQ-EM-11")]
DeviceKey = Annotated[
    Path, typer.Option("--key", help="device key file ('python -m gateway.meters keygen')")
]


@meter_app.command("register")
def meter_register(
    device_id: DeviceId,
    key: DeviceKey,
    calibration: Annotated[
        Path, typer.Option(help="calibration certificate JSON (docs/metering.md)")
    ],
    quantity: Annotated[
        str, typer.Option(help="electricity, natural-gas, steam, heat, fuel or water")
    ] = "electricity",
    unit: Annotated[str, typer.Option(help="the register's unit")] = "kWh",
    register: Annotated[
        str, typer.Option(help="the register read, e.g. dlt645:00010000")
    ] = "dlt645:00010000",
    multiplier: Annotated[str, typer.Option(help="instrument-transformer ratio CT × PT")] = "1",
    in_service: Annotated[
        str | None, typer.Option(help="in service since (RFC 3339; default now)")
    ] = None,
    as_json: Json = False,
) -> None:
    """(supplier) Register a meter of your organisation on chain with its device key and
    first calibration certificate."""
    from tanji import _meters

    _run(
        "meter register",
        lambda: _meters.register(
            _OPTS,
            device_id,
            key,
            calibration,
            quantity,
            unit,
            register,
            multiplier,
            in_service,
            as_json,
        ),
    )


@meter_app.command("calibrate")
def meter_calibrate(
    device_id: DeviceId,
    calibration: Annotated[Path, typer.Argument(help="the new calibration certificate JSON")],
    as_json: Json = False,
) -> None:
    """(supplier) Add a renewed calibration certificate to your meter."""
    from tanji import _meters

    _run("meter calibrate", lambda: _meters.calibrate(_OPTS, device_id, calibration, as_json))


@meter_app.command("retire")
def meter_retire(device_id: DeviceId, as_json: Json = False) -> None:
    """(supplier) Retire your meter from now on: later readings are refused."""
    from tanji import _meters

    _run("meter retire", lambda: _meters.retire(_OPTS, device_id, as_json))


@meter_app.command("show")
def meter_show(
    device_id: DeviceId,
    owner: Annotated[
        str | None, typer.Option(help="the owner (default: your organisation)")
    ] = None,
    as_json: Json = False,
) -> None:
    """(everyone) A meter's registration as the chain records it."""
    from tanji import _meters

    _run("meter show", lambda: _meters.show(_OPTS, device_id, owner, as_json))


@meter_app.command("read")
def meter_read(
    device_id: DeviceId,
    key: DeviceKey,
    port: Annotated[int, typer.Option(help="the serial gateway's TCP port")],
    host: Annotated[str, typer.Option(help="the serial gateway's host")] = "127.0.0.1",
    address: Annotated[str, typer.Option(help="the meter's DL/T 645 address")] = "AAAAAAAAAAAA",
    out: Annotated[Path | None, typer.Option(help="write the signed reading JSON here")] = None,
    as_json: Json = False,
) -> None:
    """(supplier) Read your meter through DL/T 645, sign the reading with its device key
    and check it against the registration on chain: exit 0 good, 1 refused."""
    from tanji import _meters

    _run(
        "meter read",
        lambda: _meters.read(_OPTS, device_id, key, host, port, address, out, as_json),
    )


# ---------------------------------------------------------------------- everyone


@app.command("verify", rich_help_panel=EVERYONE)
def verify(
    path: Annotated[Path, typer.Argument(help="a receipt, a disclosure, or {receipt, disclosure}")],
    as_json: Json = False,
) -> None:
    """(everyone) Verify a receipt or a disclosure file against the chain."""
    from tanji import _check

    _run("verify", lambda: _check.verify_file(_OPTS, path, as_json))


@app.command("receipt", rich_help_panel=EVERYONE)
def receipt_cmd(
    attestation: Annotated[str, typer.Argument(help="attestation id")],
    out: Annotated[Path | None, typer.Option(help="write the receipt to this file")] = None,
) -> None:
    """(everyone) An attestation's receipt from the node (once anchored), to verify and
    keep offline."""
    from tanji import _check

    _run("receipt", lambda: _check.receipt(_OPTS, attestation, out))


@log_app.command("status")
def log_status(as_json: Json = False) -> None:
    """(everyone) The node's log: size, anchoring, and its checkpoint checked against the
    chain (signature and consistency with the anchored head)."""
    from tanji import _check

    _run("log status", lambda: _check.log_status(_OPTS, as_json))


# ---------------------------------------------------------------------- node

_PASS_THROUGH: dict[str, Any] = {"allow_extra_args": True, "ignore_unknown_options": True}


@app.command(
    "node",
    rich_help_panel=OPERATOR,
    context_settings=_PASS_THROUGH,
    add_help_option=False,
)
def node_cmd(ctx: typer.Context) -> None:
    """(log operator) Run and manage a node: serve | migrate | config (see 'tanji node
    --help'); settings from TANJI_* variables or --config FILE."""
    from node.cli import main as node_main

    raise typer.Exit(node_main(["node", *ctx.args]))


# ---------------------------------------------------------------------- PACT gateway

BaseUrl = Annotated[
    str | None,
    typer.Option(help="the gateway's public base URL (https://…)", envvar="TANJI_GATEWAY_BASE_URL"),
]
SecretFile = Annotated[
    Path | None,
    typer.Option(help="file whose first line is the client secret ($TANJI_PACT_CLIENT_SECRET)"),
]
CaFile = Annotated[
    Path | None, typer.Option(help="extra CA certificate(s) to trust (self-signed servers)")
]


@gateway_app.command("cert")
def gateway_cert(
    host: Annotated[str, typer.Argument(help="the host name (or IP) clients connect to")],
    out_dir: Annotated[Path | None, typer.Option(help="default HOME/gateway")] = None,
    as_json: Json = False,
) -> None:
    """(every organisation) Make a self-signed certificate and key for HOST (tests, local
    use; production uses a CA-issued pair with --cert/--key)."""
    from tanji import _gateway

    _run("gateway cert", lambda: _gateway.cert(_OPTS, host, out_dir, as_json))


@gateway_app.command("serve")
def gateway_serve(
    base_url: BaseUrl = None,
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8443,
    cert: Annotated[
        Path | None, typer.Option(help="PEM certificate (HOME/gateway/cert.pem)")
    ] = None,
    key: Annotated[Path | None, typer.Option(help="PEM key (HOME/gateway/key.pem)")] = None,
    policy: Annotated[
        str, typer.Option(help="answer RequestCreated: granted, published or manual")
    ] = "granted",
    ca_file: CaFile = None,
    insecure_http: Annotated[
        bool,
        typer.Option(
            "--insecure-http-loopback", help="plain http on a loopback address: tests only"
        ),
    ] = False,
) -> None:
    """(every organisation) Serve PACT v3.0 (/3) and v2.3 (/2) over HTTPS from the wallet:
    footprints granted to each client's organisation, events, OAuth tokens."""
    from tanji import _gateway

    _run(
        "gateway serve",
        lambda: _gateway.serve(
            _OPTS, base_url, host, port, cert, key, policy, ca_file, insecure_http
        ),
    )


@clients_app.command("add")
def gateway_clients_add(
    org: Annotated[str, typer.Argument(help="the customer organisation's id")],
    name: Annotated[str, typer.Option(help="a label for people")] = "",
    client_id: Annotated[str | None, typer.Option(help="default: generated")] = None,
    as_json: Json = False,
) -> None:
    """(every organisation) Let a customer's PACT system in: prints its client id and
    secret (shown once; stored as an argon2id hash)."""
    from tanji import _gateway

    _run("gateway clients add", lambda: _gateway.clients_add(_OPTS, org, name, client_id, as_json))


@clients_app.command("list")
def gateway_clients_list(as_json: Json = False) -> None:
    """(every organisation) The OAuth clients and their organisations."""
    from tanji import _gateway

    _run("gateway clients list", lambda: _gateway.clients_list(_OPTS, as_json))


@clients_app.command("remove")
def gateway_clients_remove(
    client_id: Annotated[str, typer.Argument()], as_json: Json = False
) -> None:
    """(every organisation) Remove a client; its tokens stop working at once."""
    from tanji import _gateway

    _run("gateway clients remove", lambda: _gateway.clients_remove(_OPTS, client_id, as_json))


@partners_app.command("add")
def gateway_partners_add(
    org: Annotated[str, typer.Argument(help="the partner organisation's id")],
    url: Annotated[str, typer.Argument(help="its PACT base URL (https://…)")],
    client_id: Annotated[str, typer.Option(help="the client id it gave you")],
    secret_file: SecretFile = None,
    as_json: Json = False,
) -> None:
    """(every organisation) Store credentials a partner gave you for its PACT server
    (used to answer its requests, announce new versions, request and pull)."""
    from tanji import _gateway

    _run(
        "gateway partners add",
        lambda: _gateway.partners_add(_OPTS, org, url, client_id, secret_file, as_json),
    )


@partners_app.command("list")
def gateway_partners_list(as_json: Json = False) -> None:
    """(every organisation) Partner servers (secrets not shown)."""
    from tanji import _gateway

    _run("gateway partners list", lambda: _gateway.partners_list(_OPTS, as_json))


@partners_app.command("remove")
def gateway_partners_remove(
    org: Annotated[str, typer.Argument(help="the partner organisation's id")],
    as_json: Json = False,
) -> None:
    """(every organisation) Forget the credentials for a partner's PACT server."""
    from tanji import _gateway

    _run("gateway partners remove", lambda: _gateway.partners_remove(_OPTS, org, as_json))


@users_app.command("add")
def gateway_users_add(
    name: Annotated[str, typer.Argument(help="the person's user name")],
    role: Annotated[
        str, typer.Option(help="supplier, leader, certifier or admin (all three)")
    ] = "supplier",
    password_file: Annotated[
        Path | None,
        typer.Option(
            help="file whose first line is the password (else $TANJI_CONSOLE_PASSWORD or asked)"
        ),
    ] = None,
    as_json: Json = False,
) -> None:
    """(every organisation) Create a console account (argon2id password hash)."""
    from tanji import _gateway

    _run(
        "gateway users add",
        lambda: _gateway.users_add(_OPTS, name, role, password_file, as_json),
    )


@users_app.command("list")
def gateway_users_list(as_json: Json = False) -> None:
    """(every organisation) The console accounts and their roles."""
    from tanji import _gateway

    _run("gateway users list", lambda: _gateway.users_list(_OPTS, as_json))


@users_app.command("remove")
def gateway_users_remove(name: Annotated[str, typer.Argument()], as_json: Json = False) -> None:
    """(every organisation) Remove a console account; its sessions end at once."""
    from tanji import _gateway

    _run("gateway users remove", lambda: _gateway.users_remove(_OPTS, name, as_json))


@gateway_app.command("events")
def gateway_events(as_json: Json = False) -> None:
    """(every organisation) Events the gateway sent, is retrying, or gave up on (72 h)."""
    from tanji import _gateway

    _run("gateway events", lambda: _gateway.outbox(_OPTS, as_json))


@pact_app.command("pull")
def pact_pull(
    url: Annotated[str, typer.Argument(help="the PACT server's base URL (https://…)")],
    client_id: Annotated[str, typer.Option(help="your client id on that server")],
    secret_file: SecretFile = None,
    org: Annotated[
        str | None, typer.Option(help="the supplier's organisation id (default: from companyIds)")
    ] = None,
    version: Annotated[int, typer.Option(help="PACT API version: 3 or 2")] = 3,
    ca_file: CaFile = None,
    as_json: Json = False,
) -> None:
    """(leader) Import every footprint a PACT server (v3.0 or v2.3) lists for you into the
    wallet, marked NOT attested (roll-ups and certifiers treat them as unverified)."""
    from tanji import _gateway

    if version not in (2, 3):
        raise typer.BadParameter("--version must be 3 or 2")
    _run(
        "pact pull",
        lambda: _gateway.pact_pull_entry(
            _OPTS, url, client_id, secret_file, org, version, ca_file, as_json
        ),
    )


@pact_app.command("request")
def pact_request(
    org: Annotated[str, typer.Argument(help="the supplier's organisation id")],
    products: Annotated[list[str], typer.Argument(help="product ids (URNs)")],
    comment: Annotated[str | None, typer.Option(help="a note for the supplier")] = None,
    base_url: BaseUrl = None,
    ca_file: CaFile = None,
    version: Annotated[int, typer.Option(help="PACT API version: 3 or 2")] = 3,
    as_json: Json = False,
) -> None:
    """(leader) Send a PACT RequestCreated to a supplier's server (credentials from
    `gateway partners add`); its answer arrives at your gateway and lands in the wallet."""
    from tanji import _gateway

    _run(
        "pact request",
        lambda: _gateway.request(
            _OPTS, org, products, comment, base_url, ca_file, as_json, version
        ),
    )


def main() -> None:
    """Entry point of the ``tanji`` console script."""
    app()
