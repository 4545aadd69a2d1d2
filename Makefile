# Two commands do all set-up on a fresh machine (Python >= 3.11, Node.js and npm):
#   make demo   - local devnet with a simulated economy, indexed, analysed and reported
#   make test   - the test suite (what CI runs)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: demo test test-fast setup lint bench bench-speed bench-clusters bench-quality clean

demo: setup
	$(BIN)/auditor demo

# Chromium (Debian package) is for the report's browser test: required in CI, skipped elsewhere if it can't install.
test: setup
	@bash .ci/install-chromium || { [ -z "$$CI" ] && echo "note: Chromium could not be installed; the browser test will be skipped"; }
	$(BIN)/python -m pytest -n 2

# The inner loop: everything but the tests marked slow (kill -9, Ctrl-C, fault proxies, property tests), on 2 workers.
test-fast: setup
	$(BIN)/python -m pytest -n 2 -m "not slow"

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is needed (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# `npm install` honours package-lock.json (versions and integrity hashes). `npm ci` is stricter than this
# registry allows: it wants lock entries for anvil's other-platform packages, which the registry here lacks.
node_modules/.installed: package.json package-lock.json
	npm install --no-audit --no-fund --loglevel=error
	touch $@

lint: setup
	$(BIN)/ruff check auditor tests bench tools
	$(BIN)/mypy

# Throughput benchmark, run on purpose (not part of `make test`): make bench BENCH_ARGS="--logs 1000000 --skip-etl"
bench: setup
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# The README's speed table: 100k logs (with one ethereum-etl run), 1M, 10M, then funding discovery for 10,000
# buyers through a 50 ms proxy; about 30 minutes on 2 cores. Run it on a quiet machine.
bench-speed: setup
	$(BIN)/python bench/run.py --logs 100000 --etl 10000x8
	$(BIN)/python bench/run.py --logs 1000000 --skip-etl
	$(BIN)/python bench/run.py --logs 10000000 --skip-etl --repeat 1
	$(BIN)/python bench/funding.py

# Entity clustering at scale (1M addresses, 10M evidence links), run on purpose: about a minute.
bench-clusters: setup
	$(BIN)/python bench/clusters.py $(BENCH_ARGS)

# Clustering quality over economy families x seeds (real anvil, index, analyze): make bench-quality BENCH_ARGS="--jobs 2"
bench-quality: setup
	$(BIN)/python bench/cluster_quality.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules auditor-demo
