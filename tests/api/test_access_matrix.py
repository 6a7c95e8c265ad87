"""Every route, called by everyone: anonymous, salespeople, managers of two teams, an admin.

The records are Alice's (a salesperson of team North). Each call's outcome is classified as
unauthenticated (401), forbidden (403), hidden (404 naming the record the path points at) or
allowed (anything else: the call got past the permission checks, even if its body was then
refused). Temporal is not running: an allowed transition answers 503.
"""

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import Session
from temporalio.service import RPCError, RPCStatusCode

from api.app import OPEN_PATHS, endpoints
from console.session import PREFIX as CONSOLE
from core.db import make_engine
from core.settings import Settings
from models.account import Account
from models.activity import Activity, ActivityKind, Regarding
from models.competitor import Competitor
from models.contact import Contact
from models.goal import Goal, GoalMetric, MetricKind, PeriodKind, RollupField
from models.invoice import Invoice
from models.lead import Lead
from models.opportunity import Opportunity
from models.order import SalesOrder
from models.price_list import PriceList, PriceListItem
from models.process import BusinessProcess
from models.product import Product
from models.product_property import ProductProperty, PropertyType
from models.quote import Quote
from models.sales_literature import LiteratureType, SalesLiterature
from models.unit import Unit, UnitGroup
from models.user import ApiKey, Role, User
from tests.auth import add_team, add_user, bearer

UNAUTHENTICATED, FORBIDDEN, HIDDEN, ALLOWED = "401", "403", "404", "ok"
PEOPLE = ("alice", "bob", "sara", "nora", "sam", "ada")


class NoTemporal:
    """Temporal is down: every call that needs it answers 503 at once."""

    async def client(self) -> Any:
        raise RPCError("no Temporal in this test", RPCStatusCode.UNAVAILABLE, b"")

    async def reachable(self) -> bool:
        return False


@dataclass(frozen=True)
class Target:
    record: str  # the name a 404 gives
    record_id: uuid.UUID | str


@pytest.fixture
def world(settings: Settings) -> dict[str, Any]:
    """Teams North (manager Nora: Alice, Bob) and South (manager Sam: Sara), admin Ada, and one
    record of every kind, all Alice's."""
    nora = add_user(settings, Role.sales_manager)
    sam = add_user(settings, Role.sales_manager)
    north, south = add_team(settings, "North", nora), add_team(settings, "South", sam)
    # Users and teams that admins edit and deactivate in the matrix: nobody else's.
    carl, west = add_user(settings, Role.salesperson), add_team(settings, "West")
    people = {
        "alice": add_user(settings, Role.salesperson, team_id=north.id),
        "bob": add_user(settings, Role.salesperson, team_id=north.id),
        "sara": add_user(settings, Role.salesperson, team_id=south.id),
        "nora": nora,
        "sam": sam,
        "ada": add_user(settings, Role.admin),
    }
    alice = people["alice"].id
    engine = make_engine(settings.database_url)
    with Session(engine) as session:

        def add(record: Any) -> Any:
            record.owner_id = alice
            session.add(record)
            session.flush()
            return record

        group = add(UnitGroup(name="Count", base_unit_name="each"))
        each = add(
            Unit(unit_group_id=group.id, name="each", quantity=Decimal(1), is_base_unit=True)
        )
        product = add(
            Product(
                name="Widget", product_number="W-1", unit_group_id=group.id, default_unit_id=each.id
            )
        )
        colour = add(
            ProductProperty(product_id=product.id, name="Colour", data_type=PropertyType.text)
        )
        price_list = add(PriceList(name="Retail", currency="EUR"))
        item = add(
            PriceListItem(
                price_list_id=price_list.id,
                product_id=product.id,
                unit_id=each.id,
                amount=Decimal(1),
            )
        )
        opportunity = add(Opportunity(name="Desks", deal_id="deal-o"))
        lead = add(Lead(topic="10 desks", last_name="Ng", deal_id="d-l"))
        activity = add(
            Activity(
                subject="Call back",
                kind=ActivityKind.phone_call,
                regarding_type=Regarding.lead,
                regarding_id=lead.id,
                deal_id="d-l",
            )
        )
        order = add(SalesOrder(deal_id="deal-o", order_number="ORD-1"))
        metric = add(
            GoalMetric(name="Won", kind=MetricKind.amount, amount_field=RollupField.revenue)
        )
        goal = add(
            Goal(
                name="Q1",
                metric_id=metric.id,
                period=PeriodKind.custom,
                starts_on=date(2027, 1, 1),
                ends_on=date(2027, 3, 31),
                target=Decimal(1000),
            )
        )
        process = add(BusinessProcess(name="Renewal", stages=[]))
        api_key = ApiKey(
            name="robot", user_id=alice, role=Role.salesperson, prefix="dfk_x", secret_hash="0"
        )
        session.add(api_key)
        targets = {
            "accounts": Target("account", add(Account(name="Contoso")).id),
            "contacts": Target("contact", add(Contact(last_name="Okafor")).id),
            "products": Target("product", product.id),
            "products/properties": Target("product property", colour.id),
            "unit-groups": Target("unit group", group.id),
            "unit-groups/units": Target("unit", each.id),
            "price-lists": Target("price list", price_list.id),
            "price-lists/items": Target("price list item", item.id),
            "competitors": Target("competitor", add(Competitor(name="Fabrikam")).id),
            "sales-literature": Target(
                "sales literature",
                add(SalesLiterature(title="Desks", literature_type=LiteratureType.brochure)).id,
            ),
            "leads": Target("lead", lead.id),
            "activities": Target("activity", activity.id),
            "opportunities": Target("opportunity", opportunity.id),
            "quotes": Target(
                "quote",
                add(Quote(deal_id="deal-o", opportunity_id=opportunity.id, quote_number="Q")).id,
            ),
            "orders": Target("order", order.id),
            "invoices": Target(
                "invoice", add(Invoice(deal_id="deal-o", invoice_number="I", order_id=order.id)).id
            ),
            "users": Target("user", carl.id),
            "teams": Target("team", west.id),
            "api-keys": Target("api key", api_key.id),
            "deals": Target("deal", "deal-o"),
            "goal-metrics": Target("goal metric", metric.id),
            "goals": Target("goal", goal.id),
            "processes": Target("process", process.id),
        }
        session.commit()
    engine.dispose()
    return {"people": people, "targets": targets}


# What each kind of record allows, by who the caller is to Alice, the owner.
#   owner: Alice · teammate: Bob · stranger: Sara (South) · manager: Nora · other manager: Sam
# (who: "owner", "teammate", "stranger", "manager", "other_manager", "admin")
EVERYONE_OK = dict.fromkeys(
    ("owner", "teammate", "stranger", "manager", "other_manager", "admin"), ALLOWED
)
ONLY_ADMIN = {**dict.fromkeys(EVERYONE_OK, FORBIDDEN), "admin": ALLOWED}
OWNED = {
    "owner": ALLOWED,
    "teammate": HIDDEN,
    "stranger": HIDDEN,
    "manager": ALLOWED,
    "other_manager": HIDDEN,
    "admin": ALLOWED,
}
OWNED_READ_ONLY_FOR_OTHERS = {
    **OWNED,
    "teammate": FORBIDDEN,
    "stranger": FORBIDDEN,
    "other_manager": FORBIDDEN,
}
MANAGERS = {
    **dict.fromkeys(("owner", "teammate", "stranger"), FORBIDDEN),
    "manager": ALLOWED,
    "other_manager": ALLOWED,
    "admin": ALLOWED,
}
ASSIGN_OWNED = {**OWNED, "owner": FORBIDDEN, "teammate": FORBIDDEN, "stranger": FORBIDDEN}
ASSIGN_SHARED = {**ASSIGN_OWNED, "other_manager": FORBIDDEN}
OWN_KEYS = {**OWNED, "manager": HIDDEN}
# Salespeople read their own goals; their manager sets them.
GOALS = {
    "list": EVERYONE_OK,
    "read": OWNED,
    "create": MANAGERS,
    "change": ASSIGN_OWNED,
    "assign": ASSIGN_OWNED,
}

CUSTOMERS = {
    "list": EVERYONE_OK,
    "read": EVERYONE_OK,
    "create": EVERYONE_OK,
    "change": OWNED_READ_ONLY_FOR_OTHERS,
    "assign": ASSIGN_SHARED,
}
CATALOG = {
    "list": EVERYONE_OK,
    "read": EVERYONE_OK,
    "create": MANAGERS,
    "change": MANAGERS,
    "assign": MANAGERS,
}
DEALS = {
    "list": EVERYONE_OK,
    "read": OWNED,
    "create": EVERYONE_OK,
    "change": OWNED,
    "assign": ASSIGN_OWNED,
}
# Managers read the user directory, to hand records to their team.
DIRECTORY = {**ONLY_ADMIN, "manager": ALLOWED, "other_manager": ALLOWED}
ADMIN = {
    "list": DIRECTORY,
    "read": DIRECTORY,
    "create": ONLY_ADMIN,
    "change": ONLY_ADMIN,
    "assign": ONLY_ADMIN,
}

RULES = {
    "accounts": CUSTOMERS,
    "contacts": CUSTOMERS,
    "products": CATALOG,
    "unit-groups": CATALOG,
    "price-lists": CATALOG,
    "competitors": CATALOG,
    "sales-literature": CATALOG,
    "goal-metrics": CATALOG,
    "goals": GOALS,
    # Everyone reads the business processes deals follow; admins define them.
    "processes": {
        "list": EVERYONE_OK,
        "read": EVERYONE_OK,
        "create": ONLY_ADMIN,
        "change": ONLY_ADMIN,
        "assign": ONLY_ADMIN,
    },
    "leads": DEALS,
    "opportunities": DEALS,
    "quotes": DEALS,
    "orders": DEALS,
    "invoices": DEALS,
    "users": ADMIN,
    "teams": ADMIN,
    "deals": DEALS,
    "activities": DEALS,
    # GET /{resource}/{record_id}/timeline: the matrix reads Alice's lead's.
    "{resource}": DEALS,
    "api-keys": {"list": EVERYONE_OK, "create": EVERYONE_OK, "change": OWN_KEYS},
}
SPECIAL = {
    ("GET", "/users/me"): EVERYONE_OK,
    # Everyone lists the deals they see (scoped by role); what is stuck and ops actions: admins.
    ("GET", "/deals"): EVERYONE_OK,
    ("GET", "/deals/stuck"): ONLY_ADMIN,
    ("POST", "/deals/{deal_id}/retry"): ONLY_ADMIN,
    ("POST", "/deals/{deal_id}/terminate"): ONLY_ADMIN,
    ("POST", "/deals/{deal_id}/reset"): ONLY_ADMIN,
    ("POST", "/deals/{deal_id}/reminders/{key}/cancel"): ONLY_ADMIN,
    # Whoever sees a goal may have its figures worked out now; the report shows what each sees.
    ("POST", "/goals/{record_id}/recalculate"): OWNED,
    ("GET", "/reports/pipeline"): EVERYONE_OK,
}
RELATION = {
    "alice": "owner",
    "bob": "teammate",
    "sara": "stranger",
    "nora": "manager",
    "sam": "other_manager",
    "ada": "admin",
}


def operation(method: str, path: str) -> str:
    has_id = re.search(r"\{[a-z_]+\}", path) is not None
    if method == "GET":
        return "read" if has_id else "list"
    if path.endswith("/assign"):
        return "assign"
    if method == "POST" and not has_id:
        return "create"
    return "change"


def guarded_routes(app: FastAPI) -> Iterator[tuple[str, str]]:
    """The API's routes; the console's pages take a session cookie, not a token
    (tests/api/test_console.py)."""
    for endpoint in endpoints(app):
        if endpoint.path not in OPEN_PATHS and not endpoint.path.startswith(CONSOLE):
            yield endpoint.method, endpoint.path


def url_for(path: str, targets: dict[str, Target]) -> tuple[str, Target | None]:
    """Fill the path: the first id is the resource's record (a nested route: its parent, then the
    nested record); any other id is a random one."""
    if path.startswith("/{resource}/"):  # the timeline of any record: Alice's lead's
        path = path.replace("{resource}", "leads", 1)
    resource = path.strip("/").split("/")[0]
    nested = re.match(r"^/[a-z-]+/\{parent_id\}/([a-z-]+)/\{record_id\}", path)
    params = re.findall(r"\{([a-z_]+)\}", path)
    target = targets.get(resource)
    values: dict[str, Any] = {}
    for number, name in enumerate(params):
        if number == 0 and target is not None:
            values[name] = target.record_id
        elif nested and name == "record_id":
            target = targets[f"{resource}/{nested.group(1)}"]
            values[name] = target.record_id
        else:
            values[name] = uuid.uuid4()
    if not params:
        target = None
    return path.format(**values), target


def outcome(response: httpx.Response, target: Target | None) -> str:
    assert response.status_code < 500 or response.status_code == 503, response.text
    if response.status_code in (401, 403):
        return str(response.status_code)
    if response.status_code == 404 and target is not None:
        detail = response.json()["detail"]
        if detail.get("record") == target.record:
            return HIDDEN
    return ALLOWED


async def test_anonymous_gets_401_with_a_bearer_challenge_on_every_guarded_route(
    app: FastAPI, anonymous: httpx.AsyncClient, world: dict[str, Any]
) -> None:
    routes = list(guarded_routes(app))
    assert len(routes) > 80
    for method, path in routes:
        url, _ = url_for(path, world["targets"])
        response = await anonymous.request(method, url)
        assert response.status_code == 401, f"{method} {path}: {response.text}"
        assert response.headers["www-authenticate"] == "Bearer"


async def test_the_open_routes_stay_open(anonymous: httpx.AsyncClient) -> None:
    assert (await anonymous.get("/healthz")).status_code == 200
    assert (await anonymous.get("/readyz")).status_code == 503  # Temporal is not running
    assert (await anonymous.get("/docs")).status_code == 200
    spec = (await anonymous.get("/openapi.json")).json()
    assert (
        spec["components"]["securitySchemes"]["OAuth2PasswordBearer"]["flows"]["password"][
            "tokenUrl"
        ]
        == "/auth/token"
    )
    assert "APIKeyHeader" in spec["components"]["securitySchemes"]


async def test_every_route_answers_each_role_as_the_rules_say(
    app: FastAPI, settings: Settings, world: dict[str, Any]
) -> None:
    app.state.temporal = NoTemporal()
    transport = httpx.ASGITransport(app=app)
    mismatches: list[str] = []
    checked = 0
    for method, path in guarded_routes(app):
        resource = path.strip("/").split("/")[0]
        assert (method, path) in SPECIAL or resource in RULES, f"{path}: add it to RULES"
        rules = SPECIAL.get((method, path)) or RULES[resource][operation(method, path)]
        url, target = url_for(path, world["targets"])
        for name in PEOPLE:
            headers = bearer(settings, world["people"][name])
            async with httpx.AsyncClient(
                transport=transport, base_url="http://t", headers=headers
            ) as caller:
                response = await caller.request(method, url)
            got, expected = outcome(response, target), rules[RELATION[name]]
            checked += 1
            if got != expected:
                mismatches.append(
                    f"{method} {path} as {name}: {got}, expected {expected} ({response.text[:120]})"
                )
    assert checked > 500
    assert mismatches == []


async def test_the_open_paths_are_only_probes_metrics_and_sign_in() -> None:
    console_sign_in = {"/", f"{CONSOLE}/sign-in"}
    assert (
        frozenset({"/healthz", "/readyz", "/auth/token", "/metrics", *console_sign_in})
        == OPEN_PATHS
    )


def test_every_role_has_a_person_in_the_matrix() -> None:
    assert {Role(r) for r in Role} == {Role.salesperson, Role.sales_manager, Role.admin}
    assert set(RELATION) == set(PEOPLE)
    _ = User  # the people are users made in `world`
