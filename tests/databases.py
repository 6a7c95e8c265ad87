"""Each test's own database: a copy of a migrated SQLite file (the default), or with
`DEALFLOW_TEST_DATABASE=postgresql` a PostgreSQL database cloned from a migrated template.

PostgreSQL runs on a throwaway cluster started for the session, or on the server of
`DEALFLOW_TEST_POSTGRES_URL` (a user who may create databases; nothing else there is touched).
"""

import os
import shutil
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Protocol

import pytest
from sqlalchemy import make_url

from core.db import upgrade_schema
from core.postgres import Databases, PostgresMissing, ThrowawayCluster, find_bindir

KIND = os.environ.get("DEALFLOW_TEST_DATABASE", "sqlite")
if KIND not in ("sqlite", "postgresql"):
    raise pytest.UsageError(f"DEALFLOW_TEST_DATABASE={KIND!r}: use sqlite or postgresql")
ON_POSTGRESQL = KIND == "postgresql"


class DatabaseSource(Protocol):
    def migrated(self, folder: Path) -> str:
        """The URL of a database at the newest migration, for one test."""

    def empty(self, folder: Path) -> str:
        """The URL of a database with no tables at all."""

    def release(self, url: str) -> None: ...

    def close(self) -> None: ...


class SQLiteCopies:
    """Migrating once and copying the file is much faster than migrating for each test."""

    def __init__(self, folder: Path) -> None:
        self.template = folder / "template.db"
        upgrade_schema(f"sqlite:///{self.template}")

    def migrated(self, folder: Path) -> str:
        database = folder / "dealflow.db"
        shutil.copy(self.template, database)
        return f"sqlite:///{database}"

    def empty(self, folder: Path) -> str:
        return f"sqlite:///{folder / 'fresh' / 'dealflow.db'}"

    def release(self, url: str) -> None:
        """The file goes with the test's temporary folder."""

    def close(self) -> None:
        pass


class PostgresClones:
    """`CREATE DATABASE ... TEMPLATE` copies the migrated template in a fraction of a migration,
    and a background thread makes the next test's copy (and drops the last one) while a test
    runs, so a test rarely waits for either."""

    def __init__(self) -> None:
        server_url = os.environ.get("DEALFLOW_TEST_POSTGRES_URL")
        self.cluster: ThrowawayCluster | None = None
        if not server_url:
            self.cluster = ThrowawayCluster().start()
            server_url = self.cluster.url
        self.databases = Databases(server_url)
        self.template = self.databases.create("dealflow_template")
        upgrade_schema(self.template)
        self.background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="test-databases")
        self.spare = self.background.submit(self._clone)
        self.drops: list[Future[None]] = []

    @property
    def server_url(self) -> str:
        return self.databases.server_url

    def migrated(self, folder: Path) -> str:
        url = self.spare.result()
        self.spare = self.background.submit(self._clone)
        return url

    def empty(self, folder: Path) -> str:
        return self.databases.create("dealflow_test")

    def release(self, url: str) -> None:
        self.drops.append(self.background.submit(self.databases.drop, url))

    def close(self) -> None:
        try:
            self.databases.drop(self.spare.result())
            for drop in self.drops:
                drop.result()  # a failed drop fails the session here, not silently
            self.background.shutdown()
            self.databases.drop(self.template)
            self.databases.close()
        finally:
            if self.cluster:
                self.cluster.stop()

    def _clone(self) -> str:
        return self.databases.create("dealflow_test", template=make_url(self.template).database)


def check_available() -> None:
    """Stop the whole run at once, with the reason, when PostgreSQL was asked for but is missing
    (rather than one error per test)."""
    if ON_POSTGRESQL and not os.environ.get("DEALFLOW_TEST_POSTGRES_URL"):
        try:
            find_bindir()
        except PostgresMissing as missing:
            pytest.exit(
                f"DEALFLOW_TEST_DATABASE=postgresql: {missing}", pytest.ExitCode.USAGE_ERROR
            )


def open_databases(folder: Path) -> DatabaseSource:
    return PostgresClones() if ON_POSTGRESQL else SQLiteCopies(folder)
