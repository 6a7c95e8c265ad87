"""Database engine, sessions and schema migrations (Alembic is the only way the schema changes)."""

import math
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, event
from sqlmodel import create_engine

import models.tables  # noqa: F401  (every table known before any session flushes a foreign key)
from core.settings import get_settings

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"

# PostgreSQL's default random_page_cost (4) prices disk seeks of spinning disks. With it, a record
# with many activities has its newest timeline page read by walking the whole created_at index
# backwards (223 ms at 1M activities) instead of the record's own index (0.1 ms). On SSDs or a
# cached table a random read costs about a sequential one: 1.1 is the usual setting there.
POSTGRES_SESSION_OPTIONS = "-c random_page_cost=1.1"
# A SQLite connection costs the server nothing, so each process keeps as many as its threads use
# at once (the API's thread pool, the worker's activity threads): a connection closed on return
# has to be opened and set up again for the next request.
SQLITE_POOL_SIZE = 40


def make_engine(url: str, busy_timeout_seconds: float | None = None) -> Engine:
    """`busy_timeout_seconds`: how long a statement waits for a lock (and, on PostgreSQL, a
    connection) before it fails with OperationalError. The API bounds it, so a locked database
    is a prompt 503; by default SQLite waits 30 s and PostgreSQL as long as it takes."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": busy_timeout_seconds or 30},
            pool_size=SQLITE_POOL_SIZE,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    connect_args: dict[str, Any] = {"options": POSTGRES_SESSION_OPTIONS}
    if busy_timeout_seconds is not None:
        milliseconds = max(1, round(busy_timeout_seconds * 1000))
        connect_args["options"] += f" -c lock_timeout={milliseconds}"
        connect_args["connect_timeout"] = max(2, math.ceil(busy_timeout_seconds))  # libpq's least
    return create_engine(
        url, pool_pre_ping=True, pool_size=10, max_overflow=20, connect_args=connect_args
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets the API read while the worker writes; foreign keys are off in SQLite by default."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url)
    return config


def upgrade_schema(url: str | None = None) -> None:
    """Bring the database to the newest migration; safe to run at every start."""
    url = url or get_settings().database_url
    make_engine(url).dispose()  # creates the SQLite folder if needed
    command.upgrade(alembic_config(url), "head")


def database_writable(engine: Engine) -> str | None:
    """None when a write would go through now, else why not. SQLite takes its write lock and
    lets it go (a database another process holds write-locked is not ready, though it reads);
    PostgreSQL must not be a read-only replica."""
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                connection.exec_driver_sql("BEGIN IMMEDIATE")
                connection.rollback()
            elif connection.exec_driver_sql("SHOW transaction_read_only").scalar() == "on":
                return "read-only"
        return None
    except Exception as error:
        return f"{type(error).__name__}: {getattr(error, 'orig', None) or error}"
