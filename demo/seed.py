"""`make seed`: a sample company, loaded through the API of a running dealflow (`make run`).

Two sales teams with a manager and two salespeople each, a small office-furniture catalog with a
price list and two competitors, and three dozen deals spread over every stage: new leads,
disqualified ones, opportunities being developed, quotes out, orders being fulfilled, invoices
paid (won) and deals lost; open deals are due to close this quarter, and every salesperson has a
goal of won revenue for it, under their team's. Each deal is driven as a client would, one
transition at a time, so its workflow, history and reminders are real.

Every request carries an Idempotency-Key made from what it creates, and a run that finds the
company already there stops: running it twice loads it once.
"""

import argparse
import asyncio
import os
import sys
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

import httpx

from core.settings import DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD, get_settings
from models.goal import PeriodKind, fiscal_quarter_of, period_dates

DEMO_DOMAIN = "demo.dealflow.example"
# Everyone in the sample company signs in with it; it is printed at the end.
DEMO_PASSWORD = "dealflow-demo-2027"
TEAMS = {
    "North": ("Nora North", ["Alice Moreau", "Bob Lindqvist"]),
    "South": ("Sam South", ["Carmen Diaz", "Deepak Rao"]),
}
PRODUCTS = [  # name, number, list price, standard cost
    ("Standing desk", "DESK-ST", "649.00", "410.00"),
    ("Ergonomic chair", "CHAIR-ERG", "289.00", "170.00"),
    ("Monitor arm", "ARM-MON", "119.00", "60.00"),
    ("Acoustic panel", "PANEL-AC", "75.50", "31.00"),
]
# Properties a line of a product fills (each with a default, so a line need not say), and the
# products suggested with another: (product, related product, relationship).
PROPERTIES: dict[str, list[dict[str, Any]]] = {
    "DESK-ST": [
        {
            "name": "Top finish",
            "data_type": "choice",
            "options": ["Oak", "Walnut", "White"],
            "default_value": "Oak",
            "is_required": True,
        },
        {"name": "Width (cm)", "data_type": "number", "default_value": "160"},
    ],
    "CHAIR-ERG": [
        {
            "name": "Upholstery",
            "data_type": "choice",
            "options": ["Charcoal", "Navy", "Sand"],
            "default_value": "Charcoal",
        },
    ],
}
RELATED = [
    ("DESK-ST", "ARM-MON", "accessory"),
    ("DESK-ST", "CHAIR-ERG", "cross_sell"),
    ("PANEL-AC", "DESK-ST", "cross_sell"),
]
COMPANIES = [
    "Contoso", "Fabrikam Foods", "Northwind Traders", "Adventure Works", "Litware", "Proseware",
    "Tailspin Toys", "Wingtip Toys", "Woodgrove Bank", "Coho Winery", "Alpine Ski House",
    "Blue Yonder Airlines", "City Power & Light", "Fourth Coffee", "Graphic Design Institute",
    "Humongous Insurance", "Lucerne Publishing", "Margie's Travel", "Northwind Health",
    "Relecloud", "School of Fine Art", "Southridge Video", "Trey Research", "VanArsdel",
    "Wide World Importers", "A. Datum", "Bellows College", "Consolidated Messenger",
    "Best For You Organics", "First Up Consultants", "Munson's Pickles", "Nod Publishers",
    "Olympia", "Tasmanian Traders", "The Phone Company", "World Wide Importers",
]  # fmt: skip
# Each salesperson's goal of won revenue for the quarter, and their stretch target.
GOAL, STRETCH = Decimal("40000"), Decimal("50000")
# How likely an open deal is to be won, by how far it goes.
PROBABILITY = {"develop": 20, "propose": 60}
# How far each deal goes, in order round the list of companies.
PLAN = [
    "lead", "develop", "propose", "close", "won", "lost",
    "lead", "develop", "propose", "fulfill", "won", "disqualified",
    "develop", "propose", "won", "lost", "close", "lead",
]  # fmt: skip


class SeedError(RuntimeError):
    pass


@dataclass
class Company:
    """What the seed made, to drive deals with."""

    api: httpx.AsyncClient
    # This fiscal quarter in the organisation's time zone: its year, number and last day.
    quarter: tuple[int, int, str]
    salespeople: list[dict[str, Any]] = field(default_factory=list)
    products: list[dict[str, Any]] = field(default_factory=list)
    competitors: list[dict[str, Any]] = field(default_factory=list)
    price_list: dict[str, Any] = field(default_factory=dict)
    # Each team with its manager and salespeople.
    teams: list[tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]] = field(
        default_factory=list
    )

    async def post(self, path: str, key: str, body: Any = None, expect: int = 200) -> Any:
        response = await self.api.post(
            path, json={} if body is None else body, headers={"Idempotency-Key": f"seed:{key}"}
        )
        if response.status_code != expect:
            raise SeedError(f"POST {path}: {response.status_code} {response.text}")
        return response.json()


async def sign_in(api: httpx.AsyncClient, email: str, password: str) -> None:
    response = await api.post("/auth/token", data={"username": email, "password": password})
    if response.status_code != 200:
        raise SeedError(f"signing in as {email}: {response.status_code} {response.text}")
    api.headers["Authorization"] = f"Bearer {response.json()['access_token']}"


async def already_seeded(api: httpx.AsyncClient) -> bool:
    found = await api.get("/users", params={"q": f"@{DEMO_DOMAIN}", "limit": 1})
    if found.status_code != 200:
        raise SeedError(f"GET /users: {found.status_code} {found.text}")
    return bool(found.json()["data"])


def domain_of(company: str) -> str:
    return "".join(c for c in company.lower() if c.isalnum())[:20] + ".example"


def email_of(name: str) -> str:
    return f"{name.split()[0].lower()}@{DEMO_DOMAIN}"


async def people(company: Company) -> None:
    for team_name, (manager_name, members) in TEAMS.items():
        team = await company.post("/teams", f"team:{team_name}", {"name": team_name}, 201)
        manager = await company.post(
            "/users",
            f"user:{manager_name}",
            {
                "name": manager_name,
                "email": email_of(manager_name),
                "role": "sales_manager",
                "team_id": team["id"],
                "password": DEMO_PASSWORD,
            },
            201,
        )
        response = await company.api.patch(
            f"/teams/{team['id']}", json={"manager_user_id": manager["id"]}
        )
        if response.status_code != 200:
            raise SeedError(f"PATCH /teams: {response.status_code} {response.text}")
        company.teams.append((team, manager, []))
        for name in members:
            person = {
                "name": name,
                "email": email_of(name),
                "role": "salesperson",
                "team_id": team["id"],
                "password": DEMO_PASSWORD,
            }
            made = await company.post("/users", f"user:{name}", person, 201)
            company.salespeople.append(made)
            company.teams[-1][2].append(made)


async def catalog(company: Company) -> None:
    group = await company.post(
        "/unit-groups", "unit-group", {"name": "Count", "base_unit_name": "each"}, 201
    )
    units = (await company.api.get(f"/unit-groups/{group['id']}/units")).json()["data"]
    each = units[0]
    company.price_list = await company.post(
        "/price-lists", "price-list", {"name": "Retail 2027", "currency": "USD"}, 201
    )
    for name, number, price, cost in PRODUCTS:
        product = await company.post(
            "/products",
            f"product:{number}",
            {
                "name": name,
                "product_number": number,
                "unit_group_id": group["id"],
                "default_unit_id": each["id"],
                "list_price": price,
                "standard_cost": cost,
            },
            201,
        )
        company.products.append(product)
        await company.post(
            f"/price-lists/{company.price_list['id']}/items",
            f"price:{number}",
            {"product_id": product["id"], "unit_id": each["id"], "amount": price},
            201,
        )
    by_number = {product["product_number"]: product for product in company.products}
    for number, properties in PROPERTIES.items():
        for property_ in properties:
            await company.post(
                f"/products/{by_number[number]['id']}/properties",
                f"property:{number}:{property_['name']}",
                property_,
                201,
            )
    for number, other, kind in RELATED:
        await company.post(
            f"/products/{by_number[number]['id']}/related",
            f"related:{number}:{other}",
            {"related_product_id": by_number[other]["id"], "relationship_type": kind},
            201,
        )
    for name in ("Fabrikam Furniture", "Litware Office"):
        company.competitors.append(
            await company.post("/competitors", f"competitor:{name}", {"name": name}, 201)
        )


async def deal(company: Company, number: int, goal: str) -> str:
    """One deal, driven from a new lead as far as `goal`."""
    name = COMPANIES[number % len(COMPANIES)]
    owner = company.salespeople[number % len(company.salespeople)]
    key = f"deal:{number}"
    lead = await company.post(
        "/leads",
        f"{key}:lead",
        {
            "topic": f"Office refit for {name}",
            "first_name": "Pat",
            "last_name": f"Buyer {number}",
            "company_name": name,
            "email": f"buyer{number}@{domain_of(name)}",
            "owner_id": owner["id"],
            "source": ["web", "referral", "trade_show"][number % 3],
            "estimated_budget": str(5000 + 750 * number),
        },
        201,
    )
    if goal == "lead":
        return "Qualify"
    if goal == "disqualified":
        await company.post(
            f"/leads/{lead['id']}/disqualify",
            f"{key}:disqualify",
            {"reason": "no_longer_interested"},
        )
        return "Qualify (disqualified)"
    deal_ = await company.post(
        f"/leads/{lead['id']}/qualify",
        f"{key}:qualify",
        {"price_list_id": company.price_list["id"]},
    )
    opportunity = deal_["opportunity"]
    for line_number in range(1 + number % 3):
        product = company.products[(number + line_number) % len(company.products)]
        await company.post(
            f"/opportunities/{opportunity['id']}/lines",
            f"{key}:line:{line_number}",
            {"product_id": product["id"], "quantity": str(4 + (number * 3 + line_number) % 17)},
            201,
        )
    due = {"estimated_close_date": company.quarter[2], "probability": PROBABILITY.get(goal, 90)}
    response = await company.api.patch(f"/opportunities/{opportunity['id']}", json=due)
    if response.status_code != 200:
        raise SeedError(f"PATCH /opportunities: {response.status_code} {response.text}")
    if goal == "develop":
        return "Develop"
    if goal == "lost":
        await company.post(
            f"/opportunities/{opportunity['id']}/lose",
            f"{key}:lose",
            {"reason": "out_sold", "competitor_id": company.competitors[number % 2]["id"]},
        )
        return "Develop (lost)"
    quoted = await company.post(
        f"/opportunities/{opportunity['id']}/quotes", f"{key}:quote", None, 201
    )
    quote_id = quoted["record_id"]
    if goal == "propose":  # a draft quote: Propose; an active one, out with the customer: Close
        return "Propose"
    await company.post(f"/quotes/{quote_id}/activate", f"{key}:activate")
    if goal == "close":
        return "Close"
    accepted = await company.post(f"/quotes/{quote_id}/accept", f"{key}:accept")
    order = accepted["orders"][0]
    await company.post(f"/orders/{order['id']}/fulfill", f"{key}:fulfill", {"status": "complete"})
    invoiced = await company.post(f"/orders/{order['id']}/invoices", f"{key}:invoice", None, 201)
    invoice = invoiced["invoices"][0]
    if goal == "fulfill":
        half = (Decimal(invoice["balance_due"]) / 2).quantize(Decimal("0.01"))
        await company.post(f"/invoices/{invoice['id']}/pay", f"{key}:pay", {"amount": str(half)})
        return "Fulfill"
    await company.post(
        f"/invoices/{invoice['id']}/pay", f"{key}:pay", {"amount": invoice["balance_due"]}
    )
    return "Done (won)"


def this_quarter() -> tuple[int, int, str]:
    settings = get_settings()
    today = datetime.now(settings.org_zone).date()
    first_month = settings.fiscal_year_start_month
    year, quarter = fiscal_quarter_of(today, first_month)
    _, last_day = period_dates(PeriodKind.quarter, year, quarter, None, None, first_month)
    return year, quarter, last_day.isoformat()


async def goals(company: Company) -> None:
    """This quarter's goals: each salesperson's, under their team's, which counts only theirs;
    their figures worked out at once."""
    year, quarter, _ = company.quarter
    metric = await company.post(
        "/goal-metrics",
        "metric:won-revenue",
        {
            "name": "Won revenue",
            "kind": "amount",
            "amount_field": "revenue",
            "tracks_stretch_target": True,
        },
        201,
    )
    period = {
        "metric_id": metric["id"],
        "period": "quarter",
        "fiscal_year": year,
        "fiscal_period": quarter,
    }
    for team, manager, members in company.teams:
        team_goal = await company.post(
            "/goals",
            f"goal:{team['name']}",
            {
                **period,
                "name": f"{team['name']} Q{quarter} {year}",
                "owner_id": manager["id"],
                "team_id": team["id"],
                "rolls_up_from_children_only": True,
                "target": str(GOAL * len(members)),
                "stretch_target": str(STRETCH * len(members)),
            },
            201,
        )
        for person in members:
            await company.post(
                "/goals",
                f"goal:{person['name']}",
                {
                    **period,
                    "name": f"{person['name']} Q{quarter} {year}",
                    "owner_id": person["id"],
                    "parent_goal_id": team_goal["id"],
                    "target": str(GOAL),
                    "stretch_target": str(STRETCH),
                },
                201,
            )
        await company.post(f"/goals/{team_goal['id']}/recalculate", f"goal:{team['name']}:figures")


async def seed(api: httpx.AsyncClient, deals: int = len(COMPANIES)) -> dict[str, int]:
    """Load the sample company as the admin `api` is signed in as; how many deals reached
    which stage."""
    company = Company(api, quarter=this_quarter())
    if await already_seeded(api):
        raise SeedError(f"the sample company is already there (users @{DEMO_DOMAIN})")
    await people(company)
    await catalog(company)
    stages: dict[str, int] = {}
    for number in range(deals):
        reached = await deal(company, number, PLAN[number % len(PLAN)])
        stages[reached] = stages.get(reached, 0) + 1
    await goals(company)
    return stages


async def seed_at(base_url: str, email: str, password: str, deals: int) -> dict[str, int]:
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as api:
        await sign_in(api, email, password)
        return await seed(api, deals)


def main() -> int:
    settings = get_settings()
    parser = argparse.ArgumentParser(prog="make seed", description=__doc__.splitlines()[0])
    parser.add_argument("--api", default=f"http://{settings.api_host}:{settings.api_port}")
    parser.add_argument("--email", default=os.environ.get("DEALFLOW_ADMIN_EMAIL", DEV_ADMIN_EMAIL))
    parser.add_argument("--deals", type=int, default=len(COMPANIES))
    options = parser.parse_args()
    password = os.environ.get("DEALFLOW_ADMIN_PASSWORD", DEV_ADMIN_PASSWORD)
    try:
        stages = asyncio.run(seed_at(options.api, options.email, password, options.deals))
    except (SeedError, httpx.HTTPError) as error:
        print(f"seed: {error}", file=sys.stderr)
        return 1
    print(f"seed: {sum(stages.values())} deals at {options.api}")
    for stage, count in sorted(stages.items()):
        print(f"  {stage:<24} {count}")
    print(f"Everyone signs in with password {DEMO_PASSWORD}: " + ", ".join(
        email_of(name) for manager, members in TEAMS.values() for name in (manager, *members)
    ))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
