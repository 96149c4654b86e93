# Everything runs from .venv, which these targets create. System packages come from
# scripts/system-deps.sh (installed when missing and possible, or named in one clear line).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run screenshots translations test lint bench system-deps clean package

$(STAMP): pyproject.toml
	@bash scripts/system-deps.sh
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[server,demo,dev]'  # the door app, companion API, demo
	@touch $(STAMP)

system-deps:
	@bash scripts/system-deps.sh

run: $(STAMP)
	$(BIN)/python -m scanner window --demo

screenshots: $(STAMP)
	@command -v Xvfb >/dev/null || { echo 'error: Xvfb is missing (sudo apt-get install xvfb)' >&2; exit 1; }
	PYTHONPATH=. xvfb-run -a -s "-screen 0 1920x1080x24" $(BIN)/python scripts/screenshots.py docs/screenshots
	PYTHONPATH=. xvfb-run -a -s "-screen 0 1920x1080x24" $(BIN)/python scripts/kiosk_screenshots.py docs/screenshots

translations: $(STAMP)
	$(BIN)/python scripts/translations.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy --strict scanner server_stub

test: lint
	QT_QPA_PLATFORM=$${QT_QPA_PLATFORM:-offscreen} $(BIN)/python -m pytest -q -p no:cacheprovider

bench: $(STAMP)
	@for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

# The packaged build: its own venv with only what the door app (and its demo) runs.
PKG_VENV := .venv-package
$(PKG_VENV)/.installed: pyproject.toml
	@bash scripts/system-deps.sh icu-devtools binutils gcc  # + cutting Qt's ICU data
	@test -x $(PKG_VENV)/bin/python || $(PYTHON) -m venv $(PKG_VENV)
	$(PKG_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(PKG_VENV)/bin/python -m pip install --quiet -e '.[demo,package]'  # no server, no test tools
	@touch $@

package: $(PKG_VENV)/.installed
	$(PKG_VENV)/bin/python packaging/build.py

clean:
	rm -rf $(VENV) $(PKG_VENV) build dist .mypy_cache .ruff_cache .pytest_cache
