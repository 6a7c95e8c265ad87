"""A busy record's timeline is read through the record's own index, whatever the planner guesses.

Its activities are the oldest of many: a plan that walks every activity newest first until it has
found a page's worth of the record's (what PostgreSQL's default costs chose) reads them all.
"""

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event
from sqlmodel import Session, SQLModel

from models.activity import Regarding
from models.lead import Lead
from services.timeline import timeline

ACTIVITIES = 10_000
OF_THE_BUSY_LEAD = 1_000
RECORD_INDEX = "ix_activity_regarding_created"


@pytest.fixture
def busy_lead(engine: Engine) -> uuid.UUID:
    """A lead with the oldest tenth of 10,000 activities; the rest regard leads of their own."""
    now = datetime.now(UTC)
    with Session(engine) as session:
        lead = Lead(last_name="Busy", topic="Desks", deal_id="deal-busy")
        session.add(lead)
        session.commit()
        busy = lead.id
    rows = [
        {
            "id": uuid.uuid4(),
            "subject": f"Call {i}",
            "kind": "phone_call",
            "priority": "normal",
            "status": "open",
            "regarding_type": "lead",
            "regarding_id": busy if i < OF_THE_BUSY_LEAD else uuid.uuid4(),
            "is_active": True,
            "created_at": now - timedelta(seconds=ACTIVITIES - i),
            "modified_at": now,
        }
        for i in range(ACTIVITIES)
    ]
    with engine.begin() as connection:
        connection.execute(SQLModel.metadata.tables["activity"].insert(), rows)
        connection.exec_driver_sql("ANALYZE")  # the statistics a live database would have
    return busy


@pytest.fixture
def statements(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    """Every statement run on `engine` meanwhile, with its parameters."""
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, sql: str, params: Any, *_: Any) -> None:
        seen.append((sql, params))

    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


def plan(engine: Engine, sql: str, params: Any) -> str:
    explain = "EXPLAIN" if engine.dialect.name == "postgresql" else "EXPLAIN QUERY PLAN"
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(f"{explain} {sql}", params).all()
    return "\n".join(" ".join(str(cell) for cell in row) for row in rows)


def test_the_newest_page_of_a_busy_leads_timeline_reads_the_leads_index(
    engine: Engine, busy_lead: uuid.UUID, statements: list[tuple[str, Any]]
) -> None:
    with Session(engine) as session:
        page = timeline(session, Regarding.lead, busy_lead, limit=50)
    assert page.count == OF_THE_BUSY_LEAD
    assert [entry.subject for entry in page.data[:2]] == ["Call 999", "Call 998"]

    (sql, params), *_ = [
        (sql, params)
        for sql, params in statements
        if "FROM activity" in sql and "ORDER BY" in sql and "count(" not in sql
    ]
    read = plan(engine, sql, params)
    assert RECORD_INDEX in read, f"the page is not read through {RECORD_INDEX}:\n{read}"
