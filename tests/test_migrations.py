"""The schema comes from Alembic migrations, and they match the models exactly."""

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

import models.tables  # noqa: F401  (registers every table)
from core.db import alembic_config, make_engine, upgrade_schema


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
