# kelias developer entry points. Debian 12 is the reference system.
#
#   make deps          install missing Debian packages and Python test modules
#   make build         configure + build the release preset (build/release)
#   make test          deps, build, ctest (release), the Python suite, then the asan suite
#   make test-python   pip install . into build/venv with the test requirements, then pytest tests/python
#   make test-asan     configure + build + ctest the asan preset (build/asan)
#   make demo          deps, build, then examples/demo.sh
#   make bench         deps, build, kelias_bench, the pandas comparisons, kelias vs polars/DuckDB and the Python package vs pandas/polars
#   make bench-compare BASELINE=OLD/kelias   time `kelias score` against another build
#   make fuzz          build the libFuzzer harnesses (clang) and run each FUZZ_SECONDS (60)
#   make format        reformat the C++ sources with clang-format
#   make format-check  fail when a C++ source is not formatted
#   make clean         remove build/
#
# JOBS defaults to the number of cores: `make build JOBS=1` on a small machine.
# make fuzz: FUZZ_SECONDS per harness (60), FUZZ_JOBS libFuzzer jobs (1), FUZZ_TARGETS
# the harnesses to run (default all), e.g. `make fuzz FUZZ_SECONDS=600 FUZZ_TARGETS=dates`;
# FUZZ_KEEP_GOING=1 collects every finding of a run instead of stopping at the first.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
MAKEFLAGS += --no-print-directory

JOBS ?= $(shell nproc 2>/dev/null || echo 2)
PYTHON ?= python3
RELEASE_DIR := build/release
ASAN_DIR := build/asan
FUZZ_DIR := build/fuzz
FUZZ_SECONDS ?= 60
FUZZ_JOBS ?= 1
FUZZ_TARGETS ?=
FUZZ_KEEP_GOING ?= 0
# The Python package is tested installed, in its own virtual environment.
VENV_DIR := build/venv
VENV_PYTHON := $(VENV_DIR)/bin/python

APT_PACKAGES := build-essential cmake ninja-build libeigen3-dev libyaml-cpp-dev \
	doctest-dev libbenchmark-dev pybind11-dev libcli11-dev libfmt-dev libssl-dev \
	python3-dev python3-venv libsqlite3-dev
# simdjson: benchmarks/bench_json_input.cpp measures the JSON case reader against it.
APT_PACKAGES += libsimdjson-dev
FORMAT_PACKAGES := clang-format-14
FUZZ_PACKAGES := clang-14 libclang-rt-14-dev
# Headless Chromium renders the HTML reports in the test suite (report_chromium_render).
REPORT_PACKAGES := chromium
CLANG_FORMAT ?= clang-format-14
# Used instead of pip when python3 is Debian's own, externally managed interpreter (PEP 668).
APT_PYTHON_PACKAGES := python3-pytest python3-pandas python3-numpy python3-yaml
PY_MODULES := pytest, pandas, numpy, yaml

# The C++ sources clang-format owns (generated and third-party files are not here).
FORMATTED := $(shell git ls-files 'include/*.hpp' 'src/*.cpp' 'src/*.hpp' 'tests/*.cpp' 'tests/*.hpp' \
	'benchmarks/*.cpp' 'examples/*.cpp' 'bindings/*.cpp' 'bindings/*.hpp' 2>/dev/null)

SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

# $(call install_missing,PACKAGES): asks dpkg what is missing and installs only that.
define install_missing
missing=""; \
for p in $(1); do \
    dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q 'install ok installed' \
        || missing="$$missing $$p"; \
done; \
if [ -n "$$missing" ]; then \
    echo "deps: installing Debian packages:$$missing"; \
    $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq; \
    $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
fi
endef

.PHONY: help deps format-deps fuzz-deps build test test-python test-asan demo bench bench-compare fuzz format format-check clean

help:
	@sed -n 's/^#   make /make /p' $(MAKEFILE_LIST)

# Idempotent: installs only what is missing; silent apart from one line when everything
# is present.
deps:
	@$(call install_missing,$(APT_PACKAGES) $(REPORT_PACKAGES)); \
	if ! $(PYTHON) -c 'import $(PY_MODULES)' >/dev/null 2>&1; then \
	    if $(PYTHON) -c 'import os, sys, sysconfig; sys.exit(0 if os.path.exists(os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")) else 1)'; then \
	        echo "deps: installing Python modules with apt ($(PYTHON) is externally managed)"; \
	        $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq; \
	        $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(APT_PYTHON_PACKAGES); \
	    else \
	        echo "deps: installing Python modules from requirements-dev.txt"; \
	        PIP_ROOT_USER_ACTION=ignore $(PYTHON) -m pip install -q -r requirements-dev.txt; \
	    fi; \
	    $(PYTHON) -c 'import $(PY_MODULES)'; \
	fi; \
	echo "deps: all present"

format-deps:
	@$(call install_missing,$(FORMAT_PACKAGES))

fuzz-deps: deps
	@$(call install_missing,$(FUZZ_PACKAGES))

build: deps
	cmake --preset release
	cmake --build --preset release -j $(JOBS)

test: build
	ctest --preset release -j $(JOBS)
	$(MAKE) test-python
	$(MAKE) test-asan

# pip install . builds the module with the project's CMake in build/python/<wheel tag>
# (kept between runs, so a rebuild is incremental: hence the build requirements are
# installed in the venv and the build is not isolated). pytest runs from build/, where
# `import kelias` can only find the installed package.
test-python: deps
	[ -x $(VENV_PYTHON) ] || $(PYTHON) -m venv $(VENV_DIR)
	$(VENV_PYTHON) -m pip install -q --upgrade pip
	$(VENV_PYTHON) -m pip install -q -r requirements-python-test.txt "scikit-build-core>=0.10" "pybind11>=2.12"
	CMAKE_BUILD_PARALLEL_LEVEL=$(JOBS) $(VENV_PYTHON) -m pip install -q --no-build-isolation .
	cd build && ../$(VENV_PYTHON) -m pytest -q -p no:cacheprovider ../tests/python

test-asan: deps
	cmake --preset asan
	cmake --build --preset asan -j $(JOBS)
	ctest --preset asan -j $(JOBS)

demo: build
	KELIAS=$(RELEASE_DIR)/bin/kelias bash examples/demo.sh

bench: build
	@[ -x $(RELEASE_DIR)/bin/kelias_bench ] || { echo "bench: $(RELEASE_DIR)/bin/kelias_bench was not built (no benchmarks/bench_*.cpp or no Google Benchmark)" >&2; exit 1; }
	$(RELEASE_DIR)/bin/kelias_bench
	KELIAS=$(RELEASE_DIR)/bin/kelias $(PYTHON) benchmarks/compare_pandas.py --rows 1000000
	$(PYTHON) benchmarks/compare_rules_pandas.py --rows 1000000 --kelias $(RELEASE_DIR)/bin/kelias --bench $(RELEASE_DIR)/bin/kelias_bench
	[ -x $(VENV_PYTHON) ] || $(PYTHON) -m venv $(VENV_DIR)
	$(VENV_PYTHON) -m pip install -q -r requirements-bench.txt
	$(VENV_PYTHON) benchmarks/compare_engines.py --rows 1000000 --kelias $(RELEASE_DIR)/bin/kelias
	@if $(VENV_PYTHON) -c 'import kelias, polars' 2>/dev/null; then $(VENV_PYTHON) benchmarks/compare_python.py --rows 1000000; \
	else echo "bench: compare_python.py needs the package in build/venv (make test-python installs it)" >&2; exit 1; fi

# Same seeded input, alternating runs, median ratio and a byte comparison of the outputs.
bench-compare: build
	@[ -n "$(BASELINE)" ] || { echo "bench-compare: give BASELINE=path/to/another/kelias" >&2; exit 2; }
	$(PYTHON) benchmarks/compare_builds.py --baseline $(BASELINE) --candidate $(RELEASE_DIR)/bin/kelias --rows 1000000

# Builds the harnesses with clang (the fuzz preset) and runs each for FUZZ_SECONDS; fails
# on any finding, which is left in tests/fuzz/regressions/<harness>/ for CTest to replay.
fuzz: fuzz-deps
	cmake --preset fuzz
	cmake --build --preset fuzz -j $(JOBS)
	FUZZ_KEEP_GOING=$(FUZZ_KEEP_GOING) bash tests/fuzz/run_fuzzers.sh --seconds $(FUZZ_SECONDS) --jobs $(FUZZ_JOBS) --build-dir $(FUZZ_DIR) $(FUZZ_TARGETS)

format: format-deps
	$(CLANG_FORMAT) -i $(FORMATTED)

format-check: format-deps
	@$(CLANG_FORMAT) --dry-run --Werror $(FORMATTED) && echo "format-check: $(words $(FORMATTED)) files formatted"

clean:
	rm -rf build
