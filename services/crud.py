"""One repository per record type: get, list, create, update, (de)activate, with its rules."""

import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import NoneType
from typing import Any, Generic, TypeVar, get_args

from sqlalchemy import ColumnElement, String, false, func, or_
from sqlmodel import AutoString, Session, SQLModel, col, select

from models.base import RecordTable, utcnow
from models.errors import Conflict, InvalidField, NotFound
from models.listing import ListParams, RecordView, parse_sort
from models.permissions import EVERYONE, Owners
from models.user import User

T = TypeVar("T", bound=RecordTable)

COMMON_SORT_KEYS = frozenset({"created_at", "modified_at"})

Scope = Mapping[str, Any]
"""Field values a nested record must have, e.g. {"price_list_id": ...} for a price list's items."""

NO_SCOPE: Scope = {}


def apply_patch(record: SQLModel, changes: dict[str, Any]) -> None:
    """Set the fields a partial update sent; a required field cannot be cleared."""
    for name, value in changes.items():
        annotation = type(record).model_fields[name].annotation
        if value is None and not (annotation is NoneType or NoneType in get_args(annotation)):
            raise InvalidField(name, "may not be null")
        setattr(record, name, value)


@dataclass(frozen=True)
class Reference:
    """A foreign key checked before saving, so a wrong id is a 422 naming the field, not a 500."""

    field: str
    model: type[RecordTable]
    record: str


@dataclass(frozen=True)
class Unique:
    """Fields no two records may share (text ignoring case); a clash is a 409 naming `rule`.

    `active_only`: deactivated records do not count, so their values can be reused (and
    reactivating one is refused while an active record holds the value). A null never clashes.
    """

    rule: str
    fields: tuple[str, ...]
    active_only: bool = False

    @property
    def field(self) -> str:
        """The field the error names: the last one, the others only scope it."""
        return self.fields[-1]


@dataclass
class Repository(Generic[T]):
    model: type[T]
    record: str
    sortable: frozenset[str] = frozenset()
    search: tuple[str, ...] = ()
    references: tuple[Reference, ...] = field(default_factory=tuple)
    unique: tuple[Unique, ...] = field(default_factory=tuple)
    checks: tuple[Callable[[T], None], ...] = ()
    """Pure rules on the whole record as it would be saved (after a patch is applied)."""

    def get(
        self,
        session: Session,
        record_id: uuid.UUID,
        scope: Scope = NO_SCOPE,
        owners: Owners = EVERYONE,
    ) -> T:
        """The record, if it exists within `scope` and belongs to `owners`: else not found, so a
        caller learns nothing of records they may not see."""
        found = session.get(self.model, record_id)
        if found is None or any(getattr(found, name) != value for name, value in scope.items()):
            raise NotFound(self.record, record_id)
        if not owners.everyone:
            visible = session.exec(
                select(self.model.id).where(
                    col(self.model.id) == record_id, *owned_by(self.model, owners)
                )
            ).first()
            if visible is None:
                raise NotFound(self.record, record_id)
        return found

    def page(
        self,
        session: Session,
        params: ListParams,
        filters: SQLModel | None = None,
        scope: Scope = NO_SCOPE,
        owners: Owners = EVERYONE,
    ) -> tuple[Sequence[T], int]:
        conditions = [*self._conditions(params, filters, scope), *owned_by(self.model, owners)]
        total = session.exec(select(func.count()).select_from(self.model).where(*conditions)).one()
        order = [
            self._sort_key(name, ascending)
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

    def create(
        self, session: Session, data: SQLModel, actor: uuid.UUID | None, scope: Scope = NO_SCOPE
    ) -> T:
        record = self.model.model_validate({**data.model_dump(), **scope})
        record.owner_id = record.owner_id or actor
        record.created_by = record.modified_by = actor
        return self._save(session, record, created=True)

    def update(
        self,
        session: Session,
        record_id: uuid.UUID,
        patch: SQLModel,
        actor: uuid.UUID | None,
        scope: Scope = NO_SCOPE,
    ) -> T:
        record = self.get(session, record_id, scope)
        apply_patch(record, patch.model_dump(exclude_unset=True))
        return self._touch_and_save(session, record, actor)

    def set_active(
        self,
        session: Session,
        record_id: uuid.UUID,
        active: bool,
        actor: uuid.UUID | None,
        scope: Scope = NO_SCOPE,
    ) -> T:
        """Records are deactivated, never deleted: deals and history keep pointing at them."""
        record = self.get(session, record_id, scope)
        record.is_active = active
        return self._touch_and_save(session, record, actor)

    def before_save(self, session: Session, record: T) -> None:
        """Rules that need the database (hierarchy, membership). Override per record type.

        Runs with autoflush off: queries see what is stored, not this record's unsaved changes.
        """

    def on_create(self, session: Session, record: T) -> None:
        """Records made together with a new one, in the same transaction. Override per type."""

    def check_unique(self, session: Session, record: T) -> None:
        for rule in self.unique:
            values = {name: getattr(record, name) for name in rule.fields}
            if None in values.values() or (rule.active_only and not record.is_active):
                continue
            conditions = [self._equals(name, value) for name, value in values.items()]
            if rule.active_only:
                conditions.append(col(self.model.is_active).is_(True))
            duplicate = session.exec(
                select(self.model.id).where(*conditions, col(self.model.id) != record.id)
            ).first()
            if duplicate is not None:
                shared = ", ".join(f"{name} {value}" for name, value in values.items())
                active = "active " if rule.active_only else ""
                raise Conflict(
                    rule.rule,
                    f"another {active}{self.record} ({duplicate}) already has {shared}",
                    field=rule.field,
                )

    def _touch_and_save(self, session: Session, record: T, actor: uuid.UUID | None) -> T:
        record.modified_at = utcnow()
        record.modified_by = actor
        return self._save(session, record)

    def _save(self, session: Session, record: T, created: bool = False) -> T:
        try:
            with session.no_autoflush:
                for check in self.checks:
                    check(record)
                self._check_references(session, record)
                self.before_save(session, record)
                self.check_unique(session, record)
            session.add(record)
            if created:
                session.flush()
                self.on_create(session, record)
        except Exception:
            session.rollback()
            raise
        session.commit()
        session.refresh(record)
        return record

    def _check_references(self, session: Session, record: T) -> None:
        for ref in self.references:
            target = getattr(record, ref.field)
            if target is not None and session.get(ref.model, target) is None:
                raise InvalidField(ref.field, f"{ref.record} {target} not found")

    def _column(self, name: str) -> ColumnElement[Any]:
        """Text sorts and matches as people read it, ignoring case, on SQLite and PostgreSQL."""
        column = getattr(self.model, name)
        return func.lower(column) if isinstance(column.type, String | AutoString) else column

    def _sort_key(self, name: str, ascending: bool) -> ColumnElement[Any]:
        """An empty value sorts as the smallest on every database (SQLite's order; PostgreSQL's
        own is the reverse). Said only of nullable columns: the others keep matching an index."""
        column = self._column(name)
        key = column.asc() if ascending else column.desc()
        if not self.model.__table__.c[name].nullable:  # type: ignore[attr-defined]
            return key
        return key.nulls_first() if ascending else key.nulls_last()

    def _equals(self, name: str, value: Any) -> ColumnElement[bool]:
        return self._column(name) == (value.lower() if isinstance(value, str) else value)

    def _conditions(
        self, params: ListParams, filters: SQLModel | None, scope: Scope
    ) -> list[ColumnElement[bool]]:
        conditions = [self._equals(name, value) for name, value in scope.items()]
        if params.view is not RecordView.all:
            conditions.append(col(self.model.is_active) == (params.view is RecordView.active))
        if filters is not None:
            for name, value in filters.model_dump(exclude_none=True).items():
                conditions.append(self._equals(name, value))
        if params.q and self.search:
            # Taken literally: autoescape keeps % and _ from being wildcards, and names its own
            # escape character, as PostgreSQL would otherwise take a backslash as one.
            text = params.q.lower()
            conditions.append(
                or_(
                    *(
                        func.lower(getattr(self.model, name)).contains(text, autoescape=True)
                        for name in self.search
                    )
                )
            )
        return conditions


def owned_by(model: type[RecordTable], owners: Owners) -> list[ColumnElement[bool]]:
    """SQL for "the record's owner is among `owners`" (nothing to add for everyone's)."""
    if owners.everyone:
        return []
    either: list[ColumnElement[bool]] = []
    if owners.user_id is not None:
        either.append(col(model.owner_id) == owners.user_id)
    if owners.team_ids:
        members = select(User.id).where(col(User.team_id).in_(owners.team_ids))
        either.append(col(model.owner_id).in_(members))
    return [or_(*either)] if either else [false()]


def ancestry(
    session: Session, model: type[RecordTable], parent_field: str, start: uuid.UUID
) -> Iterator[uuid.UUID]:
    """`start` and its ancestors along `parent_field`, nearest first; stops at a stored cycle."""
    seen: set[uuid.UUID] = set()
    current: uuid.UUID | None = start
    while current is not None and current not in seen:
        seen.add(current)
        yield current
        current = session.exec(
            select(getattr(model, parent_field)).where(col(model.id) == current)
        ).first()
