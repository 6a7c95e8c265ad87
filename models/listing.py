"""How lists are asked for and answered: paging, sorting, the active/inactive view.

Two ways to page. `offset` is simple and fine near the start of a list. `cursor` (keyset) is for
walking far: each page answers `next_cursor`, the sort key of its last row, and the next page
starts after it, so page 1,000 costs what page 1 does and rows added meanwhile are neither skipped
nor repeated. Like Dynamics, the total is counted exactly up to `COUNT_LIMIT` rows; beyond that the
page says `count_limit_exceeded` instead of scanning a million rows to print "1,000,000".
"""

import base64
import binascii
import json
from enum import StrEnum
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field
from pydantic_core import to_jsonable_python

from models.errors import InvalidField

T = TypeVar("T")

COUNT_LIMIT = 5_000
MAX_PAGE = 500
# Rows an `offset` may skip; further in, walk with `cursor` (an offset this deep already reads
# and drops millions of rows, and a larger number would not fit the database's integer).
MAX_OFFSET = 10_000_000


class RecordView(StrEnum):
    """Dynamics' default views: active records unless asked otherwise."""

    active = "active"
    inactive = "inactive"
    all = "all"


class ListParams(BaseModel):
    limit: int = Field(default=50, ge=1, le=MAX_PAGE)
    offset: int = Field(
        default=0, ge=0, le=MAX_OFFSET, description="Rows to skip (after `cursor`, if given)."
    )
    cursor: str | None = Field(
        default=None,
        max_length=2_000,
        description="`next_cursor` of the previous page, with the same `sort`: the next page.",
    )
    sort: str = Field(
        default="-created_at",
        max_length=200,
        description="Comma-separated field names, `-` for descending, e.g. `name,-created_at`.",
    )
    q: str | None = Field(default=None, max_length=100, description="Text search on the name.")
    view: RecordView = RecordView.active


class Page(BaseModel, Generic[T]):
    data: list[T]
    count: int = Field(description=f"Rows in the whole list, counted up to {COUNT_LIMIT:,}.")
    count_limit_exceeded: bool = Field(
        default=False, description=f"The list holds more than {COUNT_LIMIT:,} rows."
    )
    next_cursor: str | None = Field(
        default=None, description="Pass as `cursor` for the next page; null on the last page."
    )

    @classmethod
    def of(cls, data: list[T], counted: int, next_cursor: str | None) -> "Page[T]":
        """A page of a list whose rows were counted up to one past COUNT_LIMIT."""
        return cls.model_construct(
            data=data,
            count=min(counted, COUNT_LIMIT),
            count_limit_exceeded=counted > COUNT_LIMIT,
            next_cursor=next_cursor,
        )


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


def encode_cursor(sort: str, values: list[Any]) -> str:
    """An opaque token holding the sort and the sort key of the row to start after."""
    raw = json.dumps({"sort": sort, "after": to_jsonable_python(values)}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(token: str, sort: str, size: int) -> list[Any]:
    """The sort key values a cursor holds (as JSON values), checked against the request's sort."""
    try:
        decoded = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        after, cursor_sort = decoded["after"], decoded["sort"]
    except (binascii.Error, ValueError, TypeError, KeyError):
        raise InvalidField("cursor", "is not a cursor this list gave", "query") from None
    if cursor_sort != sort:
        raise InvalidField(
            "cursor",
            f"was made for sort {cursor_sort!r}, not {sort!r}; send the same sort",
            "query",
        )
    if not isinstance(after, list) or len(after) != size:
        raise InvalidField("cursor", "is not a cursor this list gave", "query")
    return after
