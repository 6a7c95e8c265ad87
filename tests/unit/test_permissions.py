"""Security roles and record ownership as plain rules, without a database or HTTP."""

import uuid

import pytest

from models.errors import Conflict, Forbidden, InvalidField
from models.permissions import (
    Area,
    Operation,
    Owner,
    Principal,
    change_allowed_without_owner,
    check_admin_remains,
    check_allowed,
    check_api_key_scope,
    check_assign,
    check_change,
    check_owner_choice,
    lesser,
    visible_owners,
)
from models.user import Role

NORTH, SOUTH = uuid.uuid4(), uuid.uuid4()


def person(role: Role, team: uuid.UUID | None = NORTH, **kwargs: object) -> Principal:
    return Principal(user_id=uuid.uuid4(), role=role, team_id=team, **kwargs)  # type: ignore[arg-type]


def owner_of(principal: Principal) -> Owner:
    return Owner(principal.user_id, principal.team_id)


ALICE = person(Role.salesperson)  # north
BOB = person(Role.salesperson)  # north
SARA = person(Role.salesperson, SOUTH)
NORA = person(Role.sales_manager)  # manages north
SAM = person(Role.sales_manager, SOUTH)
ADA = person(Role.admin, None)


@pytest.mark.parametrize("area", [Area.customers, Area.catalog, Area.deals])
def test_everyone_signed_in_reads_customers_catalog_and_deals(area: Area) -> None:
    for principal in (ALICE, NORA, ADA):
        check_allowed(principal, area, Operation.read)


def test_a_salesperson_may_not_write_the_catalog() -> None:
    for operation in (Operation.create, Operation.change, Operation.assign):
        with pytest.raises(Forbidden) as refused:
            check_allowed(ALICE, Area.catalog, operation)
        assert refused.value.rule == "role"
        assert "sales_manager" in refused.value.message


def test_managers_and_admins_write_the_catalog() -> None:
    for principal in (NORA, ADA):
        check_allowed(principal, Area.catalog, Operation.change)


@pytest.mark.parametrize("area", [Area.users, Area.ops])
def test_only_an_admin_manages_users_and_runs_ops(area: Area) -> None:
    for operation in (Operation.create, Operation.change):
        check_allowed(ADA, area, operation)
        for principal in (ALICE, NORA):
            with pytest.raises(Forbidden):
                check_allowed(principal, area, operation)
    check_allowed(ADA, Area.ops, Operation.read)
    with pytest.raises(Forbidden):
        check_allowed(NORA, Area.ops, Operation.read)


def test_managers_read_the_user_directory_to_hand_records_to_their_team() -> None:
    check_allowed(NORA, Area.users, Operation.read)
    with pytest.raises(Forbidden):
        check_allowed(ALICE, Area.users, Operation.read)


def test_a_salesperson_sees_only_the_deals_they_own() -> None:
    owners = visible_owners(ALICE, Area.deals)
    assert owners.include(owner_of(ALICE))
    assert not owners.include(owner_of(BOB))
    assert not owners.include(None)


def test_a_manager_sees_their_teams_deals_and_not_another_teams() -> None:
    owners = visible_owners(NORA, Area.deals)
    assert owners.include(owner_of(ALICE)) and owners.include(owner_of(BOB))
    assert owners.include(owner_of(NORA))
    assert not owners.include(owner_of(SARA))


def test_a_manager_also_sees_the_teams_they_are_named_manager_of() -> None:
    nora = person(Role.sales_manager, NORTH, managed_team_ids=frozenset({SOUTH}))
    assert visible_owners(nora, Area.deals).include(owner_of(SARA))


def test_a_salesperson_named_manager_of_a_team_still_sees_only_their_own() -> None:
    odd = person(Role.salesperson, NORTH, managed_team_ids=frozenset({SOUTH}))
    assert not visible_owners(odd, Area.deals).include(owner_of(SARA))


def test_an_admin_sees_every_deal_even_without_an_owner() -> None:
    assert visible_owners(ADA, Area.deals).include(None)


def test_everyone_sees_every_account_but_changes_only_their_own() -> None:
    assert visible_owners(ALICE, Area.customers).include(owner_of(SARA))
    check_change(ALICE, Area.customers, "account", owner_of(ALICE))
    with pytest.raises(Forbidden) as refused:
        check_change(ALICE, Area.customers, "account", owner_of(BOB))
    assert refused.value.rule == "not_owner"
    check_change(NORA, Area.customers, "account", owner_of(BOB))
    check_change(ADA, Area.customers, "account", owner_of(SARA))


def test_an_owner_or_an_admin_may_change_a_record_without_its_owner_being_looked_up() -> None:
    assert change_allowed_without_owner(ALICE, Area.deals, ALICE.user_id)
    assert change_allowed_without_owner(ADA, Area.deals, SARA.user_id)
    assert change_allowed_without_owner(NORA, Area.catalog, SARA.user_id)
    # a teammate's record, or one without an owner: only the owner's team can tell
    assert not change_allowed_without_owner(NORA, Area.deals, BOB.user_id)
    assert not change_allowed_without_owner(ALICE, Area.deals, None)


def test_a_manager_changes_any_catalog_record() -> None:
    check_change(NORA, Area.catalog, "product", owner_of(SARA))


def test_a_salesperson_may_not_reassign_even_their_own_records() -> None:
    with pytest.raises(Forbidden) as refused:
        check_assign(ALICE, Area.deals, "lead", owner_of(ALICE), owner_of(BOB))
    assert refused.value.rule == "role"


def test_a_manager_reassigns_within_their_team() -> None:
    check_assign(NORA, Area.deals, "lead", owner_of(ALICE), owner_of(BOB))


def test_a_manager_may_not_give_a_record_to_another_team() -> None:
    with pytest.raises(Forbidden) as refused:
        check_assign(NORA, Area.deals, "lead", owner_of(ALICE), owner_of(SARA))
    assert refused.value.field == "owner_id"


def test_a_manager_may_not_take_another_teams_record() -> None:
    with pytest.raises(Forbidden):
        check_assign(NORA, Area.customers, "account", owner_of(SARA), owner_of(ALICE))


def test_an_admin_reassigns_anything_to_anyone_active() -> None:
    check_assign(ADA, Area.deals, "opportunity", owner_of(SARA), owner_of(ALICE))
    check_assign(ADA, Area.deals, "opportunity", None, owner_of(NORA))


def test_records_go_only_to_active_users() -> None:
    gone = Owner(uuid.uuid4(), NORTH, is_active=False)
    for new_owner in (gone, None):
        with pytest.raises(InvalidField) as refused:
            check_assign(ADA, Area.deals, "lead", owner_of(ALICE), new_owner)
        assert refused.value.field == "owner_id"


def test_a_salesperson_creates_records_only_for_themselves() -> None:
    check_owner_choice(ALICE, owner_of(ALICE))
    with pytest.raises(Forbidden):
        check_owner_choice(ALICE, owner_of(BOB))
    check_owner_choice(NORA, owner_of(BOB))
    with pytest.raises(Forbidden):
        check_owner_choice(NORA, owner_of(SARA))


def test_an_api_key_takes_its_users_role_unless_a_lesser_one_is_asked() -> None:
    assert check_api_key_scope(NORA, owner_of(NORA), Role.sales_manager, None) is Role.sales_manager
    assert check_api_key_scope(NORA, owner_of(NORA), Role.sales_manager, Role.salesperson) is (
        Role.salesperson
    )


def test_an_api_key_never_outranks_its_user_or_its_creator() -> None:
    with pytest.raises(InvalidField) as refused:
        check_api_key_scope(ALICE, owner_of(ALICE), Role.salesperson, Role.admin)
    assert refused.value.field == "role"
    with pytest.raises(InvalidField):
        check_api_key_scope(ADA, owner_of(ALICE), Role.salesperson, Role.sales_manager)


def test_an_admin_acting_through_a_lesser_key_mints_no_stronger_keys() -> None:
    through_key = Principal(user_id=ADA.user_id, role=lesser(Role.admin, Role.salesperson))
    assert check_api_key_scope(through_key, owner_of(ADA), Role.admin, None) is Role.salesperson


def test_only_an_admin_creates_keys_for_others() -> None:
    with pytest.raises(Forbidden):
        check_api_key_scope(NORA, owner_of(ALICE), Role.salesperson, None)
    assert check_api_key_scope(ADA, owner_of(ALICE), Role.salesperson, None) is Role.salesperson


def test_the_last_admin_stays() -> None:
    check_admin_remains(1)
    with pytest.raises(Conflict) as refused:
        check_admin_remains(0)
    assert refused.value.rule == "last_admin"
