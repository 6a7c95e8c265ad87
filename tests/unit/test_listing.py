"""Cursors are opaque to clients but must carry exact values back, and refuse what they were not."""

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from models.errors import InvalidField
from models.listing import decode_cursor, encode_cursor


def test_a_cursor_carries_its_sort_keys_back_as_json_values() -> None:
    at, row = datetime(2026, 11, 23, 9, 30, tzinfo=UTC), uuid.uuid4()
    token = encode_cursor("-total_amount", [Decimal("1234.5000"), at, row, None])
    assert decode_cursor(token, "-total_amount", 4) == [
        "1234.5000",
        at.isoformat().replace("+00:00", "Z"),
        str(row),
        None,
    ]


@pytest.mark.parametrize(
    ("token", "sort", "size", "says"),
    [
        (encode_cursor("name", ["a", "b"]), "-name", 2, "was made for sort 'name'"),
        (encode_cursor("name", ["a"]), "name", 2, "is not a cursor"),
        ("%%%", "name", 2, "is not a cursor"),
        ("bm90IGpzb24", "name", 2, "is not a cursor"),  # "not json"
        ("WzEsMl0", "name", 2, "is not a cursor"),  # [1,2]: no sort
    ],
)
def test_a_cursor_for_another_list_or_made_up_is_refused_naming_the_cursor(
    token: str, sort: str, size: int, says: str
) -> None:
    with pytest.raises(InvalidField) as refused:
        decode_cursor(token, sort, size)
    assert refused.value.field == "cursor"
    assert says in refused.value.message
