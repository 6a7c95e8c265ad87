"""How lists are asked for and answered: paging, sorting, the active/inactive view."""

from enum import StrEnum
from typing import Generic, TypeVar

from pydantic import BaseModel, Field

from models.errors import InvalidField

T = TypeVar("T")


class RecordView(StrEnum):
    """Dynamics' default views: active records unless asked otherwise."""

    active = "active"
    inactive = "inactive"
    all = "all"


class ListParams(BaseModel):
    limit: int = Field(default=50, ge=1, le=500)
    offset: int = Field(default=0, ge=0)
    sort: str = Field(
        default="-created_at",
        description="Comma-separated field names, `-` for descending, e.g. `name,-created_at`.",
    )
    q: str | None = Field(default=None, max_length=100, description="Text search on the name.")
    view: RecordView = RecordView.active


class Page(BaseModel, Generic[T]):
    data: list[T]
    count: int


def parse_sort(sort: str, allowed: frozenset[str]) -> list[tuple[str, bool]]:
    """Turn `name,-created_at` into [(name, ascending), (created_at, descending)]."""
    keys: list[tuple[str, bool]] = []
    for part in filter(None, (p.strip() for p in sort.split(","))):
        name = part.lstrip("-+")
        if name not in allowed:
            raise InvalidField(
                "sort", f"cannot sort by {name!r}; allowed: {', '.join(sorted(allowed))}", "query"
            )
        keys.append((name, not part.startswith("-")))
    return keys
