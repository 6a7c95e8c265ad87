"""The unit tests are plain tests of rules: no Temporal, no web framework, no database.

A session that collects only tests under tests/unit fails if collecting them imported temporalio
or FastAPI (a module-level import in a test, or in tests/conftest.py), so they stay fast and keep
testing the pure core alone.
"""

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

UNIT = Path(__file__).resolve().parent
FORBIDDEN = ("temporalio", "fastapi")


def only_unit_tests(config: pytest.Config) -> bool:
    """Every path the session was asked to collect lies in tests/unit."""
    root = config.invocation_params.dir
    paths = [(root / arg.split("::")[0]).resolve() for arg in config.args]
    return bool(paths) and all(path == UNIT or UNIT in path.parents for path in paths)


def pytest_collection_finish(session: pytest.Session) -> None:
    if not only_unit_tests(session.config):
        return
    imported = [name for name in FORBIDDEN if name in sys.modules]
    if imported:
        raise pytest.UsageError(
            f"collecting tests/unit imported {' and '.join(imported)}: unit tests run without "
            "them; import them inside the fixtures or tests that need them, outside tests/unit"
        )


@pytest.fixture(autouse=True)
def snapshots_match_the_database() -> Iterator[None]:
    """No unit test runs the transition activity: nothing to compare with a database (and the
    check in tests/conftest.py of that name would import it)."""
    yield
