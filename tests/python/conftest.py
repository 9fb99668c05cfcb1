"""Shared fixtures. The suite runs against the INSTALLED package (`make test-python`
installs it into build/venv); it refuses to run against the source tree."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

import kelias  # noqa: E402

_package = Path(kelias.__file__).resolve().parent
if REPO / "bindings" in _package.parents:
    raise RuntimeError(f"kelias was imported from the source tree ({_package}); run the tests on an installed package")


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def cli() -> str:
    """The `kelias` CLI installed with the package (the wheel's scripts)."""
    candidate = Path(sys.prefix) / "bin" / "kelias"
    found = str(candidate) if candidate.exists() else shutil.which("kelias")
    if not found:
        pytest.fail("the kelias CLI is not installed beside the package")
    return found


@pytest.fixture(scope="session")
def definitions() -> Path:
    return kelias.definitions_dir()


@pytest.fixture(scope="session")
def start_av():
    return kelias.load_instrument("start_av")


@pytest.fixture(scope="session")
def rules():
    return kelias.load_rules("lt_release_pathway")


@pytest.fixture(scope="session")
def ratings_csv(repo) -> Path:
    return repo / "examples" / "data" / "start_av_ratings.csv"


@pytest.fixture(scope="session")
def ratings_df(ratings_csv):
    import pandas as pd

    # "na" is a value (not applicable); only empty cells are missing.
    return pd.read_csv(ratings_csv, keep_default_na=False, na_values=[""])


def run_cli(cli: str, *args: str, cwd=None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "KELIAS_PATH"}
    return subprocess.run([cli, *map(str, args)], capture_output=True, text=True, cwd=cwd, env=env)
