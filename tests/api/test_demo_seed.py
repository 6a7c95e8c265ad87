"""`make seed` loads a sample company with deals at every stage and this quarter's goals, once."""

from decimal import Decimal

import httpx
import pytest

from demo.seed import PLAN, SeedError, seed


async def test_the_sample_company_has_deals_at_every_stage_and_goals_and_loads_once(
    deal_api: httpx.AsyncClient,
) -> None:
    stages = await seed(deal_api, deals=len(PLAN))

    assert stages == {
        "Qualify": 3,
        "Qualify (disqualified)": 1,
        "Develop": 3,
        "Develop (lost)": 2,
        "Propose": 3,
        "Close": 2,
        "Fulfill": 1,
        "Done (won)": 3,
    }
    paid = (await deal_api.get("/invoices", params={"limit": 100})).json()["data"]
    assert sorted(i["state"] for i in paid) == ["active", "paid", "paid", "paid"]
    open_leads = (await deal_api.get("/leads", params={"state": "open"})).json()["count"]
    assert open_leads == 3
    goals = (await deal_api.get("/goals", params={"limit": 100})).json()["data"]
    won = (await deal_api.get("/opportunities", params={"state": "won", "limit": 100})).json()
    pipeline = (await deal_api.get("/reports/pipeline")).json()

    teams = [goal for goal in goals if goal["team_id"]]
    members = [goal for goal in goals if goal["parent_goal_id"]]
    assert (len(teams), len(members)) == (2, 4)
    # Every deal won today counts in this quarter's goals, and every open one is due in it.
    won_revenue = sum(Decimal(o["actual_revenue"]) for o in won["data"])
    assert sum(Decimal(goal["actual"]) for goal in teams) == won_revenue > 0
    assert sum(Decimal(goal["actual"]) for goal in members) == won_revenue
    assert all(Decimal(goal["in_progress"]) > 0 for goal in teams)
    # Open leads at Qualify; developed deals at Develop; a draft quote at Propose, an active
    # one at Close: each stage as the seed says it left its deals.
    by_stage = {row["stage"]: row["count"] for row in pipeline["stages"]}
    assert by_stage == {"Qualify": 3, "Develop": 3, "Propose": 3, "Close": 2}
    assert Decimal(pipeline["total"]["weighted_revenue"]) > 0
    # The desk's lines hold its properties' defaults; its accessory and cross-sell are related.
    (desk,) = (await deal_api.get("/products", params={"q": "DESK-ST"})).json()["data"]
    related = (await deal_api.get(f"/products/{desk['id']}/related")).json()
    assert sorted(r["relationship_type"] for r in related) == ["accessory", "cross_sell"]
    opportunities = (await deal_api.get("/opportunities", params={"limit": 100})).json()["data"]
    desk_lines = [
        line
        for opportunity in opportunities
        for line in (await deal_api.get(f"/opportunities/{opportunity['id']}/lines")).json()
        if line["product_id"] == desk["id"]
    ]
    assert desk_lines
    assert all(
        {v["name"]: v["value"] for v in line["properties"]}
        == {"Top finish": "Oak", "Width (cm)": "160"}
        for line in desk_lines
    )
    with pytest.raises(SeedError, match="already there"):
        await seed(deal_api, deals=1)
    assert (await deal_api.get("/leads")).json()["count"] == len(PLAN)
