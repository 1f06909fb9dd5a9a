# Assay: the two commands are `make demo` and `make test`; both set up what they need.
SHELL := /bin/bash
SWIFT ?= swift
DATA ?= ./data
PORT ?= 8080
HOST ?= 127.0.0.1
BIN := .build/debug/assay
RELEASE_BIN := .build/release/assay
PYTHON ?= python3

APT_PACKAGES := libargon2-dev libssl-dev libqrencode-dev libxlsxwriter-dev openssl libsqlite3-dev sqlite3 pkg-config chromium chromium-driver fonts-noto-cjk
PIP_PACKAGES := pytest selenium websockets zxing-cpp pillow cryptography

.PHONY: demo test build release bench setup setup-system setup-python swift-test python-test clean help

help:
	@echo "make demo   - set up, build, seed demo data in $(DATA) and serve on http://$(HOST):$(PORT)/"
	@echo "make test   - set up, build and run every test (Swift, CLI, browser)"
	@echo "make build  - debug build of the assay binary"
	@echo "make bench  - release build and benchmarks; writes docs/BENCHMARKS.md"

# System packages (Debian) and Python test tools, installed only when missing.
setup: setup-system setup-python

setup-system:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

setup-python:
	@$(PYTHON) -c "import pytest, selenium, websockets, zxingcpp, PIL, cryptography" 2>/dev/null || $(PYTHON) -m pip install -q $(PIP_PACKAGES)

build: setup-system
	$(SWIFT) build --product assay

release: setup-system
	$(SWIFT) build -c release --product assay
	$(SWIFT) build -c release --product AssayBench

demo: setup-system build
	$(BIN) demo --data $(DATA) --host $(HOST) --port $(PORT)

swift-test: setup-system
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

python-test: setup build
	$(PYTHON) -m pytest tests -q

test: setup
	$(MAKE) swift-test
	$(MAKE) python-test

bench: setup-system release
	$(PYTHON) -c "import ortools" 2>/dev/null || $(PYTHON) -m pip install --quiet ortools || echo "ortools not installed: the CP-SAT comparison is skipped"
	$(PYTHON) bench/run.py --bin $(RELEASE_BIN) --out docs/BENCHMARKS.md

clean:
	rm -rf .build
