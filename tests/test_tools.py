"""The tools a team lives by, run with the settings in pyproject.toml: ruff's lint and layout on the whole tree,
import-linter's contracts (floors, no Streamlit in core, jobs and the database apart from the
lessons, no import circles), and mypy on the modules it covers."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT


def tool(name):
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: pip install -r requirements-dev.txt")
    return found


def test_ruff_finds_nothing():
    run = subprocess.run([tool("ruff"), "check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-1000:]


def test_the_code_is_laid_out_as_ruff_format_lays_it_out():
    run = subprocess.run(
        [tool("ruff"), "format", "--check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert run.returncode == 0, "run `ruff format .`\n" + run.stdout[-3000:] + run.stderr[-1000:]


def test_every_import_contract_is_kept():
    run = subprocess.run([tool("lint-imports"), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0 and "0 broken" in run.stdout, run.stdout[-3000:] + run.stderr[-1000:]


@pytest.mark.slow
def test_the_type_checker_finds_nothing():
    run = subprocess.run([tool("mypy"), "--no-incremental"], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-1000:]
