"""A line's product properties: the values sent checked against what the product defines, the
defaults filled in, the required ones there.

Plain functions of plain data: the step that writes the line asks the product's properties of
`step.shared` and calls `filled_properties`; its result is part of the line's record.
"""

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from models.deal.records import SharedRecords
from models.errors import InvalidField
from models.product_property import LinePropertyValue, ProductPropertyRecord, property_value


def filled_properties(
    defined: Sequence[ProductPropertyRecord],
    sent: Mapping[str, Any],
    kept: Sequence[LinePropertyValue] = (),
    field: str = "properties",
) -> list[LinePropertyValue]:
    """The line's property values once `sent` (by property name, any case; a None sets a value
    back to its default, or clears it) is applied to those it has (`kept`), in the order the
    product defines them. A name the product does not define, a value of the wrong type or not
    one of the choices, and a required property left without a value are an `InvalidField`
    naming `field.<name>`. Values the line has of properties since retired stay as they were."""
    by_name = {definition.name.casefold(): definition for definition in defined}
    given: dict[uuid.UUID, str | None] = {}
    for name, value in sent.items():
        definition = by_name.get(name.casefold())
        if definition is None:
            raise InvalidField(f"{field}.{name}", "the product has no property of this name")
        given[definition.id] = (
            None
            if value is None
            else property_value(definition.data_type, definition.options, value, f"{field}.{name}")
        )
    had = {value.property_id: value.value for value in kept}
    filled: list[LinePropertyValue] = []
    for definition in defined:
        value = given[definition.id] if definition.id in given else had.get(definition.id)
        if value is None and definition.default_value is not None:
            value = property_value(
                definition.data_type,
                definition.options,
                definition.default_value,
                f"{field}.{definition.name}",
            )
        if value is None:
            if definition.is_required:
                raise InvalidField(f"{field}.{definition.name}", "is required")
            continue
        filled.append(
            LinePropertyValue(
                property_id=definition.id,
                name=definition.name,
                data_type=definition.data_type,
                value=value,
            )
        )
    still = {definition.id for definition in defined}
    retired = [value for value in kept if value.property_id not in still]
    return [*filled, *retired]


def line_properties(
    shared: SharedRecords,
    product_id: uuid.UUID | None,
    sent: Mapping[str, Any],
    kept: Sequence[LinePropertyValue] = (),
    field: str = "properties",
) -> list[LinePropertyValue]:
    """`filled_properties` against the product's properties as they are now; a write-in line
    has none."""
    if product_id is None:
        if sent:
            raise InvalidField(field, "a write-in line has no properties: they are a product's")
        return list(kept)
    return filled_properties(shared.product_properties(product_id), sent, kept, field)
