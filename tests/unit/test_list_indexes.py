"""Lists of the tables that grow with sales read a page in index order, never by sorting all."""

from typing import Any

import pytest
from sqlalchemy import Index
from sqlalchemy.dialects import sqlite

from models.base import EmptyFirst
from services.accounts import accounts, contacts
from services.crud import COMMON_SORT_KEYS, Repository
from services.deal_reads import invoices, leads, opportunities, orders, quotes
from services.timeline import activities

GROWING = [leads, opportunities, quotes, orders, invoices, activities, accounts, contacts]


def leading_key(index: Index) -> tuple[str, bool]:
    """What the index orders by first, and whether it puts empty values first."""
    first: Any = index.expressions[0]
    empty_first = isinstance(first, EmptyFirst)
    if empty_first:
        first = first.indexed
    return str(getattr(first, "name", None) or first), empty_first


@pytest.mark.parametrize("repository", GROWING, ids=lambda r: r.record)
def test_every_sort_key_has_an_index_in_the_order_the_list_reads(repository: Repository) -> None:
    table = repository.model.__table__
    indexed = dict(leading_key(index) for index in table.indexes)
    for name in repository.sortable | COMMON_SORT_KEYS:
        ordered_by = repository._column(name).compile(dialect=sqlite.dialect())
        key = str(ordered_by).replace(f"{table.name}.", "")
        assert key in indexed, f"{repository.record}: nothing indexes {key}"
        # Lists put empty values first; PostgreSQL reads an index so only if it was built so.
        assert indexed[key] == bool(table.c[name].nullable), f"{repository.record}: {key}"
