"""The schema comes from Alembic migrations, and they match the models exactly."""

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

import models.tables  # noqa: F401  (registers every table)
from core.db import alembic_config, make_engine, upgrade_schema

# SQLite cannot reflect expression indexes (lower(...)); the last test checks those by name.
pytestmark = [
    pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression"),
    pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index"),
]


def test_migrations_build_an_empty_database_that_matches_the_models(
    empty_database_url: str,
) -> None:
    url = empty_database_url
    upgrade_schema(url)
    engine = make_engine(url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    engine.dispose()
    assert differences == []


def test_migrations_downgrade_to_nothing_and_upgrade_again(empty_database_url: str) -> None:
    url = empty_database_url
    upgrade_schema(url)
    command.downgrade(alembic_config(url), "base")
    engine = make_engine(url)
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    engine.dispose()
    upgrade_schema(url)
    engine = make_engine(url)
    assert set(SQLModel.metadata.tables) <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_every_declared_index_is_built_expression_indexes_too(empty_database_url: str) -> None:
    """compare_metadata cannot see SQLite's expression indexes (lower(...)); the catalog can."""
    upgrade_schema(empty_database_url)
    engine = make_engine(empty_database_url)
    catalog = (
        "SELECT name FROM sqlite_master WHERE type = 'index'"
        if engine.dialect.name == "sqlite"
        else "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
    )
    with engine.connect() as connection:
        built = set(connection.exec_driver_sql(catalog).scalars())
    engine.dispose()
    declared = {
        str(index.name) for table in SQLModel.metadata.tables.values() for index in table.indexes
    }
    assert declared == {name for name in built if name.startswith(("ix_", "uq_"))}
