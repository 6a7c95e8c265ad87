"""The worker and the API run as their own processes: each must know the whole schema alone."""

import subprocess
import sys

import pytest

CHECK = (
    "import {module}; from sqlmodel import SQLModel; from sqlalchemy.orm import configure_mappers; "
    "configure_mappers(); "
    "[fk.column for t in SQLModel.metadata.tables.values() for fk in t.foreign_keys]"
)


@pytest.mark.parametrize("module", ["worker", "api.app"])
def test_a_process_resolves_every_foreign_key_on_its_own(module: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHECK.format(module=module)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
