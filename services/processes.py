"""Business processes: the steps of each stage a deal follows, as an admin defines them."""

import uuid

from sqlmodel import Session, col, select

from models.process import BusinessProcess, ProcessDefinition, definition_of
from services.crud import Repository

processes = Repository(
    BusinessProcess,
    "process",
    sortable=frozenset({"name"}),
    search=("name",),
)


def process_to_follow(session: Session, process_id: uuid.UUID | None) -> ProcessDefinition | None:
    """The active process of this id; without one, the default (the newest marked so)."""
    if process_id is not None:
        found = session.get(BusinessProcess, process_id)
        return definition_of(found) if found and found.is_active else None
    default = session.exec(
        select(BusinessProcess)
        .where(col(BusinessProcess.is_default), col(BusinessProcess.is_active))
        .order_by(col(BusinessProcess.modified_at).desc())
    ).first()
    return definition_of(default) if default else None
