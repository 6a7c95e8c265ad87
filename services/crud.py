"""One repository per record type: get, list, create, update, (de)activate, with its rules."""

import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import (
    Boolean,
    Column,
    ColumnElement,
    Select,
    String,
    and_,
    false,
    func,
    inspect,
    or_,
    true,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Mapper
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlmodel import AutoString, Session, SQLModel, col, select

from models.base import RecordTable, StrEnumType, check_patch, utcnow
from models.errors import Conflict, InvalidField, NotFound
from models.listing import (
    COUNT_LIMIT,
    ListParams,
    Page,
    RecordView,
    decode_cursor,
    encode_cursor,
    parse_sort,
)
from models.permissions import EVERYONE, Owners
from models.user import User

T = TypeVar("T", bound=RecordTable)

COMMON_SORT_KEYS = frozenset({"created_at", "modified_at"})

Scope = Mapping[str, Any]
"""Field values a nested record must have, e.g. {"price_list_id": ...} for a price list's items."""

NO_SCOPE: Scope = {}


def apply_patch(record: SQLModel, changes: dict[str, Any]) -> None:
    """Set the fields a partial update sent; a required field cannot be cleared."""
    check_patch(type(record), changes)
    for name, value in changes.items():
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
    ) -> Page[T]:
        conditions = [*self._conditions(params, filters, scope), *owned_by(self.model, owners)]
        keys = self._sort_keys(params.sort)
        statement = (
            select(self.model, *(key.expression for key in keys))
            .where(*conditions, *after_cursor(keys, params.cursor, params.sort))
            .order_by(*(key.order() for key in keys))
            .offset(params.offset)
            .limit(params.limit + 1)
        )
        found: Sequence[Any] = session.exec(statement).all()
        last = found[params.limit - 1] if len(found) > params.limit else None
        count = bounded_count(session, select(self.model.id).where(*conditions))
        return Page[T].of(
            [row[0] for row in found[: params.limit]],
            count,
            None if last is None else encode_cursor(params.sort, list(last[1:])),
        )

    def create(
        self,
        session: Session,
        data: SQLModel,
        actor: uuid.UUID | None,
        scope: Scope = NO_SCOPE,
        record_id: uuid.UUID | None = None,
    ) -> T:
        """`record_id`: the id a keyed request derived; else a new one."""
        record = self.model.model_validate({**data.model_dump(), **scope})
        record.id = record_id or record.id
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

    def _table_column(self, name: str) -> Column[Any]:
        """The table column behind field `name`: whether it may be empty, and its type."""
        mapper: Mapper[T] = inspect(self.model)
        return mapper.columns[name]

    def _sort_keys(self, sort: str) -> list["SortKey"]:
        """The ORDER BY of a list: the keys asked for, then the id, so every row has one place."""
        keys = [
            SortKey(
                self._column(name),
                ascending,
                bool(self._table_column(name).nullable),
                self.model.model_fields[name].annotation,
            )
            for name, ascending in parse_sort(sort, self.sortable | COMMON_SORT_KEYS)
        ]
        ascending = keys[-1].ascending if keys else True
        return [*keys, SortKey(col(self.model.id), ascending, False, uuid.UUID)]

    def _equals(self, name: str, value: Any) -> ColumnElement[bool]:
        return self._column(name) == (value.lower() if isinstance(value, str) else value)

    def _conditions(
        self, params: ListParams, filters: SQLModel | None, scope: Scope
    ) -> list[ColumnElement[bool]]:
        conditions = [self._equals(name, value) for name, value in scope.items()]
        if params.view is not RecordView.all:
            conditions.append(
                Likely(col(self.model.is_active) == (params.view is RecordView.active))
            )
        if filters is not None:
            for name, value in filters.model_dump(exclude_none=True).items():
                condition = self._equals(name, value)
                few_values = isinstance(self._table_column(name).type, StrEnumType | Boolean)
                conditions.append(Likely(condition) if few_values else condition)
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


class Likely(FunctionElement[bool]):
    """A condition many rows meet: a view or a state, a handful of values for a whole table.

    SQLite's planner, blind to LIMIT, would read every open lead through the state index and
    sort them all for one page of 50; told the condition is likely, it walks the sort key's index
    in order and stops after the page (1M rows: 250 ms -> 1 ms). Other databases get the plain
    condition: PostgreSQL weighs LIMIT itself."""

    type = Boolean()
    name = "likely"
    inherit_cache = True


@compiles(Likely)
def _plain_condition(element: Likely, compiler: SQLCompiler, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


@compiles(Likely, "sqlite")
def _likely_condition(element: Likely, compiler: SQLCompiler, **kw: Any) -> str:
    return f"likelihood({compiler.process(element.clauses, **kw)}, 0.9)"


@dataclass(frozen=True)
class SortKey:
    """One term of a list's order. NULL sorts as the smallest value on every database (SQLite's
    own way; PostgreSQL is told so), so a list and its cursors mean the same on both."""

    expression: Any
    """A column or SQL expression."""
    ascending: bool
    nullable: bool
    annotation: Any
    """The Python type of the key's values, to read them back from a cursor."""

    def order(self) -> ColumnElement[Any]:
        if self.ascending:
            return self.expression.asc().nulls_first() if self.nullable else self.expression.asc()
        return self.expression.desc().nulls_last() if self.nullable else self.expression.desc()

    def read(self, value: Any) -> Any:
        try:
            return TypeAdapter(self.annotation).validate_python(value)
        except ValidationError:
            raise InvalidField("cursor", "is not a cursor this list gave", "query") from None

    def at(self, value: Any) -> ColumnElement[bool]:
        return self.expression.is_(None) if value is None else self.expression == value

    def beyond(self, value: Any) -> ColumnElement[bool]:
        """Rows strictly after `value` in this key's order."""
        if value is None:
            return self.expression.is_not(None) if self.ascending else false()
        if self.ascending:
            return self.expression > value
        return self._or_null(self.expression < value)

    def reached(self, value: Any) -> ColumnElement[bool]:
        """Rows at or after `value`: a plain range the database can seek an index to."""
        if value is None:
            return true() if self.ascending else self.expression.is_(None)
        if self.ascending:
            return self.expression >= value
        return self._or_null(self.expression <= value)

    def _or_null(self, condition: ColumnElement[bool]) -> ColumnElement[bool]:
        """Descending, NULLs come last: after any value."""
        return or_(condition, self.expression.is_(None)) if self.nullable else condition


def after_cursor(
    keys: Sequence[SortKey], cursor: str | None, sort: str
) -> list[ColumnElement[bool]]:
    """The condition "sorts after the cursor's row" (keyset paging); none without a cursor."""
    if cursor is None:
        return []
    values = [
        key.read(value)
        for key, value in zip(keys, decode_cursor(cursor, sort, len(keys)), strict=True)
    ]
    ties: list[ColumnElement[bool]] = []
    later: list[ColumnElement[bool]] = []
    for key, value in zip(keys, values, strict=True):
        later.append(and_(*ties, key.beyond(value)))
        ties.append(key.at(value))
    return [keys[0].reached(values[0]), or_(*later)]


def bounded_count(session: Session, rows: Select[Any]) -> int:
    """How many rows `rows` selects, counting no further than one past `COUNT_LIMIT`."""
    limited = rows.limit(COUNT_LIMIT + 1).subquery()
    return session.exec(select(func.count()).select_from(limited)).one()


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
