"""Lists of the tables that grow with sales read a page in index order, never by sorting all."""

import pytest
from sqlalchemy import Column, Index
from sqlalchemy.dialects import sqlite

from services.accounts import accounts, contacts
from services.crud import COMMON_SORT_KEYS, Repository
from services.deal_reads import invoices, leads, opportunities, orders, quotes
from services.timeline import activities

GROWING = [leads, opportunities, quotes, orders, invoices, activities, accounts, contacts]


def leading_key(index: Index) -> str:
    first = index.expressions[0]
    return first.name if isinstance(first, Column) else str(first)


@pytest.mark.parametrize("repository", GROWING, ids=lambda r: r.record)
def test_every_sort_key_has_an_index_on_what_the_list_orders_by(repository: Repository) -> None:
    table = repository.model.__table__
    indexed = {leading_key(index) for index in table.indexes}
    for name in repository.sortable | COMMON_SORT_KEYS:
        ordered_by = repository._column(name).compile(dialect=sqlite.dialect())
        key = str(ordered_by).replace(f"{table.name}.", "")
        assert key in indexed, f"{repository.record}: nothing indexes {key}"
