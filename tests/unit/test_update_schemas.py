"""Update schemas stand alone (no inherited fields to re-declare), so these tests keep each one
in step with its record: every field, optional, with the same limits."""

from types import NoneType, UnionType
from typing import Annotated, Any, Union, get_args, get_origin

import pytest
from pydantic.fields import FieldInfo
from sqlmodel import SQLModel
from sqlmodel.main import FieldInfoMetadata

from models.account import AccountBase, AccountUpdate
from models.activity import ActivityFields, ActivityUpdate
from models.competitor import CompetitorBase, CompetitorCreate, CompetitorUpdate
from models.contact import ContactBase, ContactUpdate
from models.lead import LeadCreate, LeadFields, LeadUpdate
from models.opportunity import OpportunityCreate, OpportunityFields, OpportunityUpdate
from models.price_list import (
    PriceListBase,
    PriceListItemBase,
    PriceListItemCreate,
    PriceListItemUpdate,
    PriceListUpdate,
)
from models.product import ProductBase, ProductUpdate
from models.unit import UnitBase, UnitGroupBase, UnitGroupUpdate, UnitUpdate
from models.user import TeamBase, TeamUpdate, UserBase, UserUpdate

UPDATES: list[tuple[type[SQLModel], type[SQLModel]]] = [
    (AccountBase, AccountUpdate),
    (ActivityFields, ActivityUpdate),
    (CompetitorBase, CompetitorUpdate),
    (ContactBase, ContactUpdate),
    (LeadFields, LeadUpdate),
    (OpportunityFields, OpportunityUpdate),
    (PriceListBase, PriceListUpdate),
    (PriceListItemBase, PriceListItemUpdate),
    (ProductBase, ProductUpdate),
    (TeamBase, TeamUpdate),
    (UnitGroupBase, UnitGroupUpdate),
    (UnitBase, UnitUpdate),
    (UserBase, UserUpdate),
]
# Records whose amounts a client sends to the cent, though stored to 4 places: an update takes
# the limits of the create.
SENT_AS: dict[type[SQLModel], type[SQLModel]] = {
    CompetitorBase: CompetitorCreate,
    LeadFields: LeadCreate,
    OpportunityFields: OpportunityCreate,
}


def limits(field: FieldInfo) -> tuple[Any, list[str], str | None]:
    """What a field accepts, null aside: its type, its constraints (not its database column's
    settings; as their repr, as pydantic's decimal limits do not compare) and its description."""
    accepted: Any = field.annotation
    if get_origin(accepted) in (Union, UnionType):
        (accepted,) = (arg for arg in get_args(accepted) if arg is not NoneType)
    constraints: list[Any] = []
    if get_origin(accepted) is Annotated:
        accepted, *constraints = get_args(accepted)
    constraints += [item for item in field.metadata if not isinstance(item, FieldInfoMetadata)]
    return accepted, [repr(item) for item in constraints], field.description


@pytest.mark.parametrize(("record", "update"), UPDATES, ids=lambda model: model.__name__)
def test_an_update_may_change_every_field_of_its_record_within_the_same_limits(
    record: type[SQLModel], update: type[SQLModel]
) -> None:
    for name in record.model_fields:
        assert name in update.model_fields, f"{update.__name__} lacks {name}"
        changed = update.model_fields[name]
        assert not changed.is_required() and changed.default is None, name
        sent = SENT_AS.get(record, record).model_fields[name]
        assert limits(changed) == limits(sent), name


def test_a_new_price_list_item_is_the_item_with_its_amount_left_to_the_pricing_method() -> None:
    fields = PriceListItemBase.model_fields
    created = PriceListItemCreate.model_fields
    assert list(created) == [*fields, "owner_id"]
    for name, field in fields.items():
        assert limits(created[name]) == limits(field), name
        if name != "amount":
            assert created[name].is_required() == field.is_required(), name
            assert created[name].default == field.default, name
    assert not created["amount"].is_required()
