# Tanji developer commands. Every target installs what it needs on first use.
VENV    ?= .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.tanji-installed
NPMSTAMP := node_modules/.tanji-installed
WEBSTAMP := web/node_modules/.tanji-installed
ANVIL_STATE ?= .chain/anvil-state.json
ANVIL_PORT  ?= 8545
ANVIL_ARGS  ?=
HARDHAT_PORT ?= 8545
EVM_VERSION ?=

.PHONY: demo demo-anvil demo-serve network network-down test lint bench vectors contracts web screenshots chain chain-hardhat install clean

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@touch $@

# `npm ci`: installs exactly what package-lock.json pins (the lock lists anvil's optional
# per-platform packages for every system, so the strict lock/manifest check passes) and
# never rewrites the lock.
$(NPMSTAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The browser verifier's own pinned toolchain (esbuild, @noble/*), separate from the
# contracts toolchain above: web/package-lock.json, installed with `npm ci` too.
$(WEBSTAMP): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: $(STAMP)

## make demo: the notebook-computer scenario on the embedded chain and SQLite
demo: $(STAMP)
	$(PY) -m demo_chain

## make demo-anvil: the same scenario against anvil and a node process started by the demo
demo-anvil: $(STAMP) $(NPMSTAMP)
	$(PY) -m demo_chain --anvil

## make demo-serve: the demo, then its node keeps running so the label's QR code opens (Ctrl-C stops)
demo-serve: $(STAMP)
	$(PY) -m demo_chain --serve

## make network: a local network (anvil, contracts, registrar, node) in tanji-network/ (docs/operator.md)
network: $(STAMP) $(NPMSTAMP)
	$(VENV)/bin/tanji network up --dir tanji-network

## make network-down: stop it (anvil keeps its state in tanji-network/chain)
network-down: $(STAMP)
	$(VENV)/bin/tanji network down --dir tanji-network

## make test: the whole test suite (PostgreSQL and anvil tests skip with a reason when absent)
## with branch coverage of the packages, subprocesses included; fails under the floor set in
## pyproject.toml [tool.coverage.report] fail_under
test: $(STAMP) $(NPMSTAMP)
	$(PY) -m pytest --cov --cov-report=term

## make lint: ruff check, ruff format check, mypy strict on the packages, tests and bench
## (pyproject.toml [tool.mypy] lists them: plain `mypy` checks the same)
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

## make bench: benchmarks, each reported as a ratio to a baseline measured in the same run
bench: $(STAMP) $(NPMSTAMP)
	$(PY) -m bench

## make vectors: rewrite the named protocol test vectors (tests regenerate and compare them)
vectors: $(STAMP)
	$(PY) tests/vectors/generate.py
	$(PY) tests/vectors/commitments/generate.py
	$(PY) tests/sdk/footprint/metering_fixtures.py

## make contracts: recompile the Solidity sources with the pinned solc-js into contracts/artifacts
## (for the minimum fork, Paris: docs/chains.md); `make contracts EVM_VERSION=cancun` builds
## another target into build/contracts-cancun and leaves the committed artifacts alone
contracts: $(NPMSTAMP)
	node contracts/build.mjs $(if $(EVM_VERSION),--evm-version $(EVM_VERSION) --out build/contracts-$(EVM_VERSION))

## make web: rebundle the in-browser verifier (web/src) into web/dist with the pinned esbuild
web: $(WEBSTAMP)
	node web/build.mjs

## make screenshots: run the browser tests and keep their screenshots in docs/screenshots
## (the console's in a second run: the page tests' session-wide Playwright keeps an event
## loop running that a later sync_playwright() refuses to start inside)
screenshots: $(STAMP) $(NPMSTAMP)
	TANJI_SCREENSHOTS=1 $(PY) -m pytest tests/web tests/sdk/test_sdk_label_art.py -q
	TANJI_SCREENSHOTS=1 $(PY) -m pytest -q \
	  tests/gateway/pact/test_pact_console.py::test_console_pages_in_chromium \
	  tests/gateway/pact/test_pact_console_certifier.py::test_certifier_page_in_chromium

## make chain: anvil on 127.0.0.1, its state persisted so a restarted chain keeps its anchors;
## ANVIL_ARGS adds flags, e.g. ANVIL_ARGS="--base-fee 0 --gas-price 0" (free gas, docs/chains.md)
chain: $(NPMSTAMP)
	@mkdir -p $(dir $(ANVIL_STATE))
	node_modules/.bin/anvil --host 127.0.0.1 --port $(ANVIL_PORT) --state $(ANVIL_STATE) $(ANVIL_ARGS)

## make chain-hardhat: a Hardhat 2 node on 127.0.0.1 (chain id 31337, state kept in memory only)
chain-hardhat: $(NPMSTAMP)
	HARDHAT_DISABLE_TELEMETRY_PROMPT=true node_modules/.bin/hardhat --config anchors/chain/hardhat.config.cjs node --hostname 127.0.0.1 --port $(HARDHAT_PORT)

clean:
	rm -rf $(VENV) node_modules web/node_modules .mypy_cache .ruff_cache .pytest_cache .coverage .coverage.* htmlcov
