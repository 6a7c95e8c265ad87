"""Who may do what: security roles, record ownership and teams, as plain rules.

Dynamics' model in small. A role allows an operation on an area of records (a salesperson may not
write the catalog); ownership decides which records (a salesperson sees the deals they own, a
sales manager their team's, an admin all). A record the caller may not see is answered as not
found, so its existence does not leak; a record they see but may not change is a refusal.
"""

import uuid
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from models.errors import Conflict, Forbidden, InvalidField
from models.user import Role

RANK = {Role.salesperson: 0, Role.sales_manager: 1, Role.admin: 2}


def at_least(role: Role, minimum: Role) -> bool:
    return RANK[role] >= RANK[minimum]


def lesser(first: Role, second: Role) -> Role:
    """The weaker of two roles: an API key never does more than its user may."""
    return first if RANK[first] <= RANK[second] else second


class Area(StrEnum):
    """Records that share one set of rules."""

    customers = "customers"  # accounts, contacts: everyone reads, owners change
    catalog = "catalog"  # products, unit groups, price lists, competitors: managers write
    deals = "deals"  # leads, opportunities, quotes, orders, invoices: owners see and change
    activities = "activities"  # tasks, emails, calls, appointments: owners see and change
    goals = "goals"  # goals and goal metrics: owners read, managers write their team's
    processes = "processes"  # business processes: everyone reads, admins write
    users = "users"  # users and teams
    ops = "ops"  # running deals, from Temporal
    self_service = "self_service"  # the caller's own profile and API keys


class Operation(StrEnum):
    read = "read"
    create = "create"
    change = "change"
    assign = "assign"


# The least role allowed each operation; a missing pair is allowed to everyone signed in.
_MINIMUM_ROLE: dict[tuple[Area, Operation], Role] = {
    (Area.customers, Operation.assign): Role.sales_manager,
    (Area.catalog, Operation.create): Role.sales_manager,
    (Area.catalog, Operation.change): Role.sales_manager,
    (Area.catalog, Operation.assign): Role.sales_manager,
    (Area.deals, Operation.assign): Role.sales_manager,
    (Area.activities, Operation.assign): Role.sales_manager,
    # Salespeople read their own goals; managers set their team's, admins everyone's.
    **{(Area.goals, op): Role.sales_manager for op in Operation if op is not Operation.read},
    **{(Area.users, operation): Role.admin for operation in Operation},
    # Managers read the user directory: they hand their team's records to its members.
    (Area.users, Operation.read): Role.sales_manager,
    **{(Area.ops, operation): Role.admin for operation in Operation},
    **{(Area.processes, op): Role.admin for op in Operation if op is not Operation.read},
}


@dataclass(frozen=True)
class Principal:
    """The caller, as the rules need them: a signed-in user, or an API key acting for one."""

    user_id: uuid.UUID
    role: Role
    team_id: uuid.UUID | None = None
    # Teams whose manager is this user (Team.manager_user_id), besides their own team.
    managed_team_ids: frozenset[uuid.UUID] = frozenset()
    api_key_id: uuid.UUID | None = None

    @property
    def team_ids(self) -> frozenset[uuid.UUID]:
        """The teams whose records a sales manager sees and changes."""
        if not at_least(self.role, Role.sales_manager):
            return frozenset()
        own = frozenset({self.team_id}) if self.team_id else frozenset()
        return own | self.managed_team_ids


@dataclass(frozen=True)
class Owner:
    """A record's owner (or a proposed one): a user, their team, whether they can still work."""

    user_id: uuid.UUID
    team_id: uuid.UUID | None = None
    is_active: bool = True


@dataclass(frozen=True)
class Owners:
    """A set of records by owner: everyone's, or those owned by one user or by teams' members."""

    everyone: bool = False
    user_id: uuid.UUID | None = None
    team_ids: frozenset[uuid.UUID] = field(default_factory=frozenset)

    def include(self, owner: Owner | None) -> bool:
        if self.everyone:
            return True
        if owner is None:
            return False
        return owner.user_id == self.user_id or (
            owner.team_id is not None and owner.team_id in self.team_ids
        )


EVERYONE = Owners(everyone=True)


def check_allowed(principal: Principal, area: Area, operation: Operation) -> None:
    """The role-level check every route makes before it looks at any record."""
    minimum = _MINIMUM_ROLE.get((area, operation), Role.salesperson)
    if not at_least(principal.role, minimum):
        raise Forbidden(
            "role",
            f"a {principal.role} may not {operation} {area.replace('_', ' ')}; "
            f"it takes a {minimum}",
        )


def _owned(principal: Principal) -> Owners:
    """Own records; a manager's team's too; all of them for an admin."""
    if principal.role is Role.admin:
        return EVERYONE
    return Owners(user_id=principal.user_id, team_ids=principal.team_ids)


def visible_owners(principal: Principal, area: Area) -> Owners:
    """Whose records the caller sees in lists and may read."""
    if area in (Area.customers, Area.catalog, Area.users, Area.ops, Area.processes):
        return EVERYONE  # the role check already kept out whoever may not read the area at all
    return _owned(principal)


def changeable_owners(principal: Principal, area: Area) -> Owners:
    """Whose records the caller may change (edit, deactivate, transition)."""
    if area in (Area.catalog, Area.users, Area.ops, Area.processes):
        return EVERYONE  # whoever passed the role check manages all of them
    return _owned(principal)


def change_allowed_without_owner(
    principal: Principal, area: Area, owner_id: uuid.UUID | None
) -> bool:
    """Whether the caller may change a record of `owner_id` whoever that is: they may change
    everyone's, or it is their own. Else `check_change` needs the owner's team."""
    owners = changeable_owners(principal, area)
    return owners.everyone or (owner_id is not None and owner_id == owners.user_id)


def check_change(principal: Principal, area: Area, record: str, owner: Owner | None) -> None:
    """A record the caller sees but does not own (nor manages the owner of) is read-only."""
    if not changeable_owners(principal, area).include(owner):
        raise Forbidden(
            "not_owner",
            f"the {record} belongs to another user: only its owner, their manager or an admin "
            "may change it",
        )


def check_owner_choice(
    principal: Principal, new_owner: Owner | None, field: str = "owner_id"
) -> None:
    """Who may be made the owner of a record: oneself; a manager's team member; anyone (admin).

    `new_owner` is None when the id names no user at all.
    """
    if new_owner is None or not new_owner.is_active:
        raise InvalidField(field, "must be an active user")
    if new_owner.user_id == principal.user_id or principal.role is Role.admin:
        return
    if principal.role is Role.sales_manager and new_owner.team_id in principal.team_ids:
        return
    if principal.role is Role.salesperson:
        raise Forbidden("assign", "a salesperson may only make records of their own", field)
    raise Forbidden("assign", "a sales manager may only give records to their team", field)


def check_assign(
    principal: Principal, area: Area, record: str, owner: Owner | None, new_owner: Owner | None
) -> None:
    """Reassigning a record: by the owner's manager or an admin, to someone they may choose."""
    check_allowed(principal, area, Operation.assign)
    check_change(principal, area, record, owner)
    check_owner_choice(principal, new_owner)


def check_api_key_scope(
    principal: Principal, key_user: Owner | None, key_user_role: Role | None, role: Role | None
) -> Role:
    """An API key acts for one user with at most that user's role, and at most the creator's.

    Returns the key's role (the user's role when none is asked for).
    """
    if key_user is None or key_user_role is None or not key_user.is_active:
        raise InvalidField("user_id", "must be an active user")
    if key_user.user_id != principal.user_id and principal.role is not Role.admin:
        raise Forbidden("api_key_owner", "only an admin may create API keys for others", "user_id")
    chosen = lesser(key_user_role, principal.role) if role is None else role
    if not at_least(key_user_role, chosen):
        raise InvalidField("role", f"may not exceed the user's role ({key_user_role})")
    if not at_least(principal.role, chosen):
        raise InvalidField("role", f"may not exceed your own role ({principal.role})")
    return chosen


def check_admin_remains(active_admins_after: int) -> None:
    """The last active admin cannot be deactivated or demoted: nobody could manage users."""
    if active_admins_after < 1:
        raise Conflict("last_admin", "at least one active admin must remain", field="role")


# The privilege a price-list price overridden, or a manual discount above the limit, takes.
OVERRIDE_PRICE = "override_price"
DEFAULT_OVERRIDE_ROLES = frozenset({Role.sales_manager, Role.admin})


@dataclass(frozen=True)
class PricePolicy:
    """Who may override a price-list price or give a manual discount above `discount_limit`
    percent of a line's price x quantity (Dynamics' override price privilege)."""

    override_roles: frozenset[Role] = DEFAULT_OVERRIDE_ROLES
    discount_limit: Decimal = Decimal(10)


def check_price_privilege(
    principal: Principal,
    policy: PricePolicy,
    *,
    overridden: bool,
    base_amount: Decimal,
    manual_discount: Decimal,
    field_prefix: str = "",
) -> None:
    """A line priced off the list, or discounted past the limit, needs the override privilege."""
    if principal.role in policy.override_roles:
        return
    holders = _roles_text(policy.override_roles)
    if overridden:
        raise Forbidden(
            OVERRIDE_PRICE,
            f"a {principal.role} may not override a price-list price: it takes the "
            f"{OVERRIDE_PRICE} privilege ({holders})",
            f"{field_prefix}price_per_unit",
        )
    if manual_discount > base_amount * policy.discount_limit / 100:
        raise Forbidden(
            OVERRIDE_PRICE,
            f"a {principal.role} may give a manual discount of at most {policy.discount_limit} % "
            f"of the line: more takes the {OVERRIDE_PRICE} privilege ({holders})",
            f"{field_prefix}manual_discount",
        )


def _roles_text(roles: Collection[Role]) -> str:
    if not roles:
        return "held by no role"
    return "held by " + ", ".join(str(role) for role in sorted(roles, key=lambda r: RANK[r]))
