"""One repository per record type: get, list, create, update, (de)activate, with its rules."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import NoneType
from typing import Any, Generic, TypeVar, get_args

from sqlalchemy import ColumnElement, String, func, or_
from sqlmodel import AutoString, Session, SQLModel, col, select

from models.base import RecordTable, utcnow
from models.errors import InvalidField, NotFound
from models.listing import ListParams, RecordView, parse_sort

T = TypeVar("T", bound=RecordTable)

COMMON_SORT_KEYS = frozenset({"created_at", "modified_at"})


@dataclass(frozen=True)
class Reference:
    """A foreign key checked before saving, so a wrong id is a 422 naming the field, not a 500."""

    field: str
    model: type[RecordTable]
    record: str


@dataclass
class Repository(Generic[T]):
    model: type[T]
    record: str
    sortable: frozenset[str] = frozenset()
    search: tuple[str, ...] = ()
    references: tuple[Reference, ...] = field(default_factory=tuple)

    def get(self, session: Session, record_id: uuid.UUID) -> T:
        found = session.get(self.model, record_id)
        if found is None:
            raise NotFound(self.record, record_id)
        return found

    def page(
        self, session: Session, params: ListParams, filters: SQLModel | None = None
    ) -> tuple[Sequence[T], int]:
        conditions = self._conditions(params, filters)
        total = session.exec(select(func.count()).select_from(self.model).where(*conditions)).one()
        order = [
            self._sort_column(name).asc() if ascending else self._sort_column(name).desc()
            for name, ascending in parse_sort(params.sort, self.sortable | COMMON_SORT_KEYS)
        ]
        statement = (
            select(self.model)
            .where(*conditions)
            .order_by(*order, col(self.model.id))
            .offset(params.offset)
            .limit(params.limit)
        )
        return session.exec(statement).all(), total

    def create(self, session: Session, data: SQLModel, actor: uuid.UUID | None) -> T:
        record = self.model.model_validate(data.model_dump())
        record.owner_id = record.owner_id or actor
        record.created_by = record.modified_by = actor
        return self._save(session, record)

    def update(
        self, session: Session, record_id: uuid.UUID, patch: SQLModel, actor: uuid.UUID | None
    ) -> T:
        record = self.get(session, record_id)
        for name, value in patch.model_dump(exclude_unset=True).items():
            if value is None and not self._nullable(name):
                raise InvalidField(name, "may not be null")
            setattr(record, name, value)
        return self._touch_and_save(session, record, actor)

    def set_active(
        self, session: Session, record_id: uuid.UUID, active: bool, actor: uuid.UUID | None
    ) -> T:
        """Records are deactivated, never deleted: deals and history keep pointing at them."""
        record = self.get(session, record_id)
        record.is_active = active
        return self._touch_and_save(session, record, actor)

    def before_save(self, session: Session, record: T) -> None:
        """Rules that need the database (uniqueness, hierarchy). Override per record type."""

    def _touch_and_save(self, session: Session, record: T, actor: uuid.UUID | None) -> T:
        record.modified_at = utcnow()
        record.modified_by = actor
        return self._save(session, record)

    def _save(self, session: Session, record: T) -> T:
        try:
            self._check_references(session, record)
            self.before_save(session, record)
        except Exception:
            session.rollback()
            raise
        session.add(record)
        session.commit()
        session.refresh(record)
        return record

    def _check_references(self, session: Session, record: T) -> None:
        for ref in self.references:
            target = getattr(record, ref.field)
            if target is not None and session.get(ref.model, target) is None:
                raise InvalidField(ref.field, f"{ref.record} {target} not found")

    def _sort_column(self, name: str) -> ColumnElement[Any]:
        """Text sorts the way people read it, ignoring case, the same on SQLite and PostgreSQL."""
        column = getattr(self.model, name)
        return func.lower(column) if isinstance(column.type, String | AutoString) else column

    def _nullable(self, name: str) -> bool:
        annotation = self.model.model_fields[name].annotation
        return annotation is NoneType or NoneType in get_args(annotation)

    def _conditions(
        self, params: ListParams, filters: SQLModel | None
    ) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        if params.view is not RecordView.all:
            conditions.append(col(self.model.is_active) == (params.view is RecordView.active))
        if filters is not None:
            for name, value in filters.model_dump(exclude_none=True).items():
                conditions.append(getattr(self.model, name) == value)
        if params.q and self.search:
            pattern = f"%{params.q.lower()}%"
            conditions.append(
                or_(*(func.lower(getattr(self.model, name)).like(pattern) for name in self.search))
            )
        return conditions
