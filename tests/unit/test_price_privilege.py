"""The override_price privilege: who may price a line off the list or discount it past the
limit, as the settings name them."""

import uuid
from decimal import Decimal

import pytest

from core.settings import Settings
from models.errors import Forbidden
from models.permissions import PricePolicy, Principal, check_price_privilege
from models.user import Role

D = Decimal


def as_role(role: Role) -> Principal:
    return Principal(user_id=uuid.uuid4(), role=role)


def check(
    role: Role, policy: PricePolicy, *, overridden: bool = False, discount: str = "0"
) -> None:
    check_price_privilege(
        as_role(role),
        policy,
        overridden=overridden,
        base_amount=D("600.00"),
        manual_discount=D(discount),
        field_prefix="lines.0.",
    )


def test_a_salesperson_may_discount_up_to_the_limit_and_no_further() -> None:
    check(Role.salesperson, PricePolicy(), discount="60.00")
    with pytest.raises(Forbidden) as refused:
        check(Role.salesperson, PricePolicy(), discount="60.01")
    assert refused.value.field == "lines.0.manual_discount"
    assert "override_price" in refused.value.message


def test_a_salesperson_may_not_override_a_price_list_price() -> None:
    with pytest.raises(Forbidden) as refused:
        check(Role.salesperson, PricePolicy(), overridden=True)
    assert refused.value.field == "lines.0.price_per_unit"


@pytest.mark.parametrize("role", [Role.sales_manager, Role.admin])
def test_managers_and_admins_hold_the_privilege_by_default(role: Role) -> None:
    check(role, PricePolicy(), overridden=True, discount="599.00")


def test_the_roles_holding_it_and_the_limit_are_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEALFLOW_PRICE_OVERRIDE_ROLES", '["salesperson", "admin"]')
    monkeypatch.setenv("DEALFLOW_MANUAL_DISCOUNT_LIMIT_PERCENT", "5")
    policy = Settings().price_policy
    check(Role.salesperson, policy, overridden=True, discount="599.00")
    with pytest.raises(Forbidden):
        check(Role.sales_manager, policy, discount="30.01")
