# `make run` and `make test` do all set-up on a fresh Debian machine: system packages through
# apt-get when missing, then a .venv with the project installed from pyproject.toml.
VENV   ?= .venv
PY     := $(VENV)/bin/python
SAMPLE ?= samples/kh-2774-bacgiang/scan-noisy.pdf
APT_PACKAGES := tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng fonts-liberation2 fonts-dejavu-core
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup system venv run test test-fast lint eval clean samples bench

setup: system venv

# Installs only what is missing, so a machine that has everything pays nothing.
system:
	@missing=""; \
	for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q $$missing; \
	fi

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

run: setup
	$(PY) -m pipeline run $(SAMPLE) -o outputs

# Everything CI runs: the linter, then every test (OCR'd samples and real scans too; about 5 minutes).
test: setup lint
	$(PY) -m pytest -q

# The developer's loop: every test that needs neither Tesseract nor a whole OCR'd document (under a minute).
test-fast: setup
	$(PY) -m pytest -q -m "not ocr and not slow"

lint: venv
	$(PY) -m ruff check .

eval: setup
	$(PY) -m pipeline eval samples/

clean:
	rm -rf outputs/*/ .pytest_cache

# Re-render every sample's scans from its truth.json (clean and noisy; seeds fixed so files are stable).
samples: setup
	@for d in samples/*/; do \
	  [ -f $$d/truth.json ] || continue; \
	  $(PY) -m pipeline render $$d/truth.json -o $$d/scan-clean.pdf --level clean --seed 1 && \
	  $(PY) -m pipeline render $$d/truth.json -o $$d/scan-noisy.pdf --level noisy --seed 2; \
	done

# Noise benchmark (raw Tesseract vs OCRmyPDF vs this pipeline); OCRmyPDF goes in its own venv.
bench: setup
	@dpkg -s unpaper ghostscript >/dev/null 2>&1 || ($(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q unpaper ghostscript)
	test -x .venv-bench/bin/ocrmypdf || (python3 -m venv .venv-bench && .venv-bench/bin/pip install -q ocrmypdf)
	$(PY) benchmarks/run.py --ocrmypdf .venv-bench/bin/ocrmypdf
