"""The pipeline report and goals over deals made through the API: figures by stage, filters,
and a deal won today counted on the organisation's date."""

import uuid
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from core.settings import Settings
from models.user import Role
from tests.api.deals import new_lead, new_opportunity, new_order, new_quote, ok
from tests.api.helpers import assert_invalid, create
from tests.auth import add_team, add_user
from tests.conftest import ClientAs


def zone_on_another_day() -> str:
    """A time zone whose date is not UTC's at the moment: a day ahead late in the UTC day, a
    day behind early in it."""
    return "Pacific/Kiritimati" if datetime.now(UTC).hour >= 12 else "Etc/GMT+12"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"org_timezone": zone_on_another_day()})


async def edit(api: httpx.AsyncClient, opportunity_id: str, **fields: Any) -> None:
    await ok(await api.patch(f"/opportunities/{opportunity_id}", json=fields))


def stages(report: dict[str, Any]) -> dict[str, tuple[int, str, str]]:
    return {
        row["stage"] or "total": (row["count"], row["estimated_revenue"], row["weighted_revenue"])
        for row in [*report["stages"], report["total"]]
    }


async def test_open_deals_by_stage_with_their_revenue_and_weighted_revenue(
    deal_api: httpx.AsyncClient, settings: Settings, client_as: ClientAs
) -> None:
    await new_lead(deal_api, estimated_budget="5000.00")
    develop = await new_opportunity(deal_api, "100.00")  # 2 x 100.00
    await edit(deal_api, develop["id"], probability=50, estimated_close_date="2027-03-10")
    await new_quote(deal_api, "150.00", active=False)  # Propose, no probability
    close = await new_quote(deal_api, "250.00")  # Close
    await edit(deal_api, close["opportunity_id"], probability=80, estimated_close_date="2027-04-15")
    await new_order(deal_api, "999.00")  # won: not in the pipeline
    lost = await new_opportunity(deal_api, "10.00")
    await ok(await deal_api.post(f"/opportunities/{lost['id']}/lose", json={"reason": "out_sold"}))
    manager = add_user(settings, Role.sales_manager)
    team = add_team(settings, "North", manager)
    seller = add_user(settings, team_id=team.id)
    await new_lead(deal_api, estimated_budget="800.00", owner_id=str(seller.id))

    everything = await ok(await deal_api.get("/reports/pipeline"))
    in_march = await ok(
        await deal_api.get("/reports/pipeline?close_from=2027-03-01&close_to=2027-03-31")
    )
    the_team = await ok(await deal_api.get(f"/reports/pipeline?team_id={team.id}"))
    as_seller = await ok(await client_as(seller).get("/reports/pipeline"))
    nobodys = await ok(await deal_api.get(f"/reports/pipeline?owner_id={uuid.uuid4()}"))

    # Weighted: 50 % of 200.00 and 80 % of 500.00; leads and deals without one weigh nothing.
    assert stages(everything) == {
        "Qualify": (2, "5800.00", "0.00"),
        "Develop": (1, "200.00", "100.00"),
        "Propose": (1, "300.00", "0.00"),
        "Close": (1, "500.00", "400.00"),
        "total": (5, "6800.00", "500.00"),
    }
    # Leads have no close date: a close-date range leaves them out.
    assert stages(in_march)["Develop"] == (1, "200.00", "100.00")
    assert stages(in_march)["total"] == (1, "200.00", "100.00")
    assert stages(the_team)["total"] == stages(as_seller)["total"] == (1, "800.00", "0.00")
    assert stages(nobodys)["total"] == (0, "0.00", "0.00")
    assert_invalid(
        await deal_api.get("/reports/pipeline?close_from=2027-04-01&close_to=2027-03-01"),
        "close_to",
        "query",
    )
    assert_invalid(await deal_api.get("/reports/pipeline?team_id=north"), "team_id", "query")


async def test_a_deal_won_today_counts_in_the_goal_for_the_organisations_date(
    deal_api: httpx.AsyncClient, settings: Settings
) -> None:
    today = datetime.now(ZoneInfo(settings.org_timezone)).date().isoformat()
    assert today != datetime.now(UTC).date().isoformat()
    metric = await create(
        deal_api, "/goal-metrics", name="Won revenue", kind="amount", amount_field="revenue"
    )
    me = (await ok(await deal_api.get("/users/me")))["id"]
    goal = await create(
        deal_api,
        "/goals",
        name="Today",
        metric_id=metric["id"],
        owner_id=me,
        period="custom",
        starts_on=today,
        ends_on=today,
        target="1000.00",
    )
    won = await new_opportunity(deal_api, "300.00")  # 2 x 300.00
    await ok(await deal_api.post(f"/opportunities/{won['id']}/win", json={}))
    pending = await new_opportunity(deal_api, "50.00")
    await edit(deal_api, pending["id"], estimated_close_date=today)

    figures = await ok(await deal_api.post(f"/goals/{goal['id']}/recalculate"))

    assert (figures["actual"], figures["in_progress"]) == ("600.0000", "100.0000")
    assert figures["percentage_achieved"] == "60.0000"
