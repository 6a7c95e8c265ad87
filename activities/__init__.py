"""Every side effect the workflows need, as idempotent Temporal activities."""

from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine

from activities.deal import DealActivities


def build_activities(engine: Engine) -> list[Callable[..., Any]]:
    """The activities the worker registers, bound to the database they write to."""
    return DealActivities(engine).all()
