"""A process keeps the SQLite connections its threads use at once: a busy API or worker does not
open (and set up) a connection per request."""

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlmodel import Session, text

from core.db import make_engine

THREADS = 16  # the worker's activity threads; the API's pool runs more


def test_concurrent_sessions_reuse_their_sqlite_connections(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'pool.db'}")
    opened: list[Any] = []
    event.listen(engine, "connect", lambda connection, _record: opened.append(connection))
    together = threading.Barrier(THREADS)

    def query(_: int) -> int:
        with Session(engine) as session:
            together.wait(timeout=10)  # every thread holds a connection at the same time
            return int(session.exec(text("SELECT 1")).one()[0])  # type: ignore[call-overload]

    with ThreadPoolExecutor(THREADS) as threads:
        for _ in range(3):
            assert list(threads.map(query, range(THREADS))) == [1] * THREADS
    engine.dispose()
    assert len(opened) == THREADS
