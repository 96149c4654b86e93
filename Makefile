# Everything runs from .venv, which these targets create. System packages come from
# scripts/system-deps.sh (installed when missing and possible, or named in one clear line).
# Python packages come from the lock files in requirements/: exact versions, checked by hash
# (docs/installs.md). A changed lock builds its venv anew; `make upgrade` is the one way to newer
# versions.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run screenshots translations test lint bench bench-short extras-check system-deps clean \
	package lock upgrade browser-deps

# A venv built from one lock file ($(1): the venv, $(2): the lock), then the project itself in it,
# editable and without reaching the index.
define locked-venv
	@bash scripts/system-deps.sh $(3)
	rm -rf $(1)
	$(PYTHON) -m venv $(1)
	$(1)/bin/python -m pip install --quiet --require-hashes -r $(2)
	@touch $(1)/.locked
endef

$(VENV)/.locked: requirements/dev.txt
	$(call locked-venv,$(VENV),requirements/dev.txt)

$(STAMP): $(VENV)/.locked pyproject.toml  # the door app, companion API, demo and test tools
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)

system-deps:
	@bash scripts/system-deps.sh

run: $(STAMP)
	$(BIN)/python -m scanner window --demo

screenshots: $(STAMP)
	@command -v Xvfb >/dev/null || { echo 'error: Xvfb is missing (sudo apt-get install xvfb)' >&2; exit 1; }
	PYTHONPATH=. xvfb-run -a -s "-screen 0 1920x1080x24" $(BIN)/python scripts/screenshots.py docs/screenshots
	PYTHONPATH=. xvfb-run -a -s "-screen 0 1920x1080x24" $(BIN)/python scripts/kiosk_screenshots.py docs/screenshots
	PYTHONPATH=. $(BIN)/python scripts/organizer_screenshots.py docs/screenshots  # Debian's chromium

translations: $(STAMP)
	$(BIN)/python scripts/translations.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy --strict scanner server_stub

# The organizer page's browser tests drive Debian's chromium: installed here when missing and
# possible; otherwise those tests skip with one line saying so.
BROWSER_PACKAGES := chromium chromium-driver

browser-deps:
	@bash scripts/system-deps.sh $(BROWSER_PACKAGES) 2>/dev/null || \
		echo "note: chromium and chromium-driver could not be installed: the browser tests will skip"

test: lint browser-deps
	QT_QPA_PLATFORM=$${QT_QPA_PLATFORM:-offscreen} $(BIN)/python -m pytest -q -p no:cacheprovider

bench: $(STAMP)
	@for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

# Every benchmark once, on small sizes: proves each still runs (CI), its figures mean nothing.
bench-short: $(STAMP)
	@for b in bench/bench_*.py; do echo "== $$b"; BENCH_SHORT=1 $(BIN)/python $$b || exit 1; done

# `pip install .` and `pip install .[server]` in throwaway venvs each run what they ship.
extras-check:
	bash scripts/check-extras.sh

# The lock files from pyproject.toml's ranges, keeping the versions already locked.
lock: $(STAMP)
	UV=$(BIN)/uv bash scripts/lock.sh

# The deliberate upgrade: the newest versions in range, then the venv anew and the whole suite.
upgrade: $(STAMP)
	UV=$(BIN)/uv bash scripts/lock.sh --upgrade
	@git diff --stat -- requirements/ 2>/dev/null || true
	$(MAKE) test

# The packaged build: its own venv with only what the door app (and its demo) runs.
PKG_VENV := .venv-package
$(PKG_VENV)/.locked: requirements/package.txt  # no server, no test tools
	$(call locked-venv,$(PKG_VENV),requirements/package.txt,icu-devtools binutils gcc)

$(PKG_VENV)/.installed: $(PKG_VENV)/.locked pyproject.toml
	$(PKG_VENV)/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $@

package: $(PKG_VENV)/.installed
	$(PKG_VENV)/bin/python packaging/build.py

clean:
	rm -rf $(VENV) $(PKG_VENV) build dist .mypy_cache .ruff_cache .pytest_cache
