"""Goal metrics and goals over HTTP: who may set and read them, bad input named, figures
worked out on demand."""

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
from sqlmodel import Session

from api.app import create_app
from core.settings import Settings
from models.opportunity import Opportunity, OpportunityState
from models.user import Role, User
from tests.api.helpers import assert_invalid, create, read
from tests.auth import add_team, add_user, admin_headers
from tests.conftest import ClientAs


async def won_revenue(client: httpx.AsyncClient) -> dict[str, Any]:
    return await create(
        client, "/goal-metrics", name="Won revenue", kind="amount", amount_field="revenue"
    )


def quarter_goal(metric: dict[str, Any], owner: User, **fields: Any) -> dict[str, Any]:
    return {
        "name": f"Q1 of {owner.name}",
        "metric_id": metric["id"],
        "owner_id": str(owner.id),
        "period": "quarter",
        "fiscal_year": 2027,
        "fiscal_period": 1,
        "target": "5000.00",
        **fields,
    }


async def test_a_goal_shows_its_period_worked_out_and_its_figures_on_demand(
    client: httpx.AsyncClient, settings: Settings, session: Session
) -> None:
    seller = add_user(settings)
    metric = await won_revenue(client)
    goal = await create(client, "/goals", **quarter_goal(metric, seller))
    assert (goal["starts_on"], goal["ends_on"]) == ("2027-01-01", "2027-03-31")
    assert (goal["actual"], goal["computed_at"]) == ("0.0000", None)
    session.add(
        Opportunity(
            name="Desks",
            deal_id="deal-1",
            owner_id=seller.id,
            state=OpportunityState.won,
            actual_revenue=Decimal("1234.50"),
            actual_close_date=date(2027, 3, 31),
        )
    )
    session.commit()

    response = await client.post(f"/goals/{goal['id']}/recalculate")

    assert response.status_code == 200, response.text
    figures = response.json()
    assert (figures["actual"], figures["percentage_achieved"]) == ("1234.5000", "24.6900")
    assert figures["computed_at"] is not None
    listed = await read(client, f"/goals?owner_id={seller.id}")
    assert [found["actual"] for found in listed["data"]] == ["1234.5000"]


async def test_a_goal_moved_to_another_period_has_its_dates_worked_out_again(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    metric = await won_revenue(client)
    goal = await create(client, "/goals", **quarter_goal(metric, add_user(settings)))
    path = f"/goals/{goal['id']}"

    second = await client.patch(path, json={"fiscal_period": 2})
    custom = {"period": "custom", "fiscal_year": None, "fiscal_period": None}
    dates = {"starts_on": "2027-05-01", "ends_on": "2027-05-15"}
    as_custom = await client.patch(path, json=custom)
    made_custom = await client.patch(path, json={**custom, **dates})
    refused = await client.patch(path, json={"period": "month", "fiscal_year": 2027})

    assert (second.json()["starts_on"], second.json()["ends_on"]) == ("2027-04-01", "2027-06-30")
    # Made custom, the goal keeps the dates it had until it is given others.
    assert (as_custom.json()["starts_on"], as_custom.json()["ends_on"]) == (
        "2027-04-01",
        "2027-06-30",
    )
    assert_invalid(refused, "fiscal_period")
    assert (made_custom.json()["starts_on"], made_custom.json()["ends_on"]) == (
        "2027-05-01",
        "2027-05-15",
    )


async def test_a_fiscal_year_from_july_puts_q1_in_july(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"fiscal_year_start_month": 7}))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://test", headers=admin_headers(settings)
    ) as client:
        metric = await won_revenue(client)
        goal = await create(client, "/goals", **quarter_goal(metric, add_user(settings)))
    assert (goal["starts_on"], goal["ends_on"]) == ("2027-07-01", "2027-09-30")


async def test_bad_goals_are_refused_naming_the_field(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    seller = add_user(settings)
    metric = await won_revenue(client)
    bad: list[tuple[dict[str, Any], str]] = [
        ({"fiscal_period": 5}, "fiscal_period"),
        ({"target": "0"}, "target"),
        ({"target": "1" * 20}, "target"),
        ({"name": "x" * 101}, "name"),
        ({"metric_id": str(uuid.uuid4())}, "metric_id"),
        ({"parent_goal_id": str(uuid.uuid4())}, "parent_goal_id"),
        ({"stretch_target": "9000"}, "stretch_target"),  # the metric tracks none
        ({"starts_on": "2027-01-01"}, "starts_on"),  # a quarter's dates are worked out
        ({"fiscal_year": 10_000}, "fiscal_year"),
        ({"colour": "red"}, "colour"),
    ]
    for change, field in bad:
        response = await client.post("/goals", json=quarter_goal(metric, seller, **change))
        assert_invalid(response, field)
    custom = quarter_goal(
        metric,
        seller,
        period="custom",
        fiscal_year=None,
        fiscal_period=None,
        starts_on="2027-05-01",
    )
    assert_invalid(await client.post("/goals", json={**custom, "ends_on": "2027-04-01"}), "ends_on")
    assert_invalid(
        await client.post("/goal-metrics", json={"name": "Won", "kind": "amount"}), "amount_field"
    )
    assert_invalid(
        await client.get("/goals?fiscal_year=99999999999999999999"), "fiscal_year", "query"
    )


async def test_an_unknown_goal_is_not_found(client: httpx.AsyncClient) -> None:
    missing = uuid.uuid4()
    for response in (
        await client.get(f"/goals/{missing}"),
        await client.post(f"/goals/{missing}/recalculate"),
        await client.get(f"/goal-metrics/{missing}"),
    ):
        assert response.status_code == 404, response.text


async def test_managers_set_their_teams_goals_and_salespeople_read_their_own(
    client: httpx.AsyncClient, settings: Settings, client_as: ClientAs
) -> None:
    manager = add_user(settings, Role.sales_manager)
    north = add_team(settings, "North", manager)
    south = add_team(settings, "South")
    ann = add_user(settings, team_id=north.id)
    bo = add_user(settings, team_id=north.id)
    cy = add_user(settings, team_id=south.id)
    metric = await won_revenue(client)
    as_manager, as_ann = client_as(manager), client_as(ann)

    anns = await create(as_manager, "/goals", **quarter_goal(metric, ann))
    team = await create(
        as_manager, "/goals", **quarter_goal(metric, manager, team_id=str(north.id))
    )
    bos = await create(as_manager, "/goals", **quarter_goal(metric, bo, parent_goal_id=team["id"]))
    others = await as_manager.post("/goals", json=quarter_goal(metric, cy))
    south_goal = await as_manager.post(
        "/goals", json=quarter_goal(metric, manager, team_id=str(south.id))
    )
    assert others.status_code == 403, others.text
    assert_invalid(south_goal, "team_id")
    raised = await as_manager.patch(f"/goals/{anns['id']}", json={"target": "6000"})
    assert raised.status_code == 200 and raised.json()["target"] == "6000.0000"

    assert (await as_ann.get(f"/goals/{anns['id']}")).status_code == 200
    assert (await as_ann.post(f"/goals/{anns['id']}/recalculate")).status_code == 200
    assert (await as_ann.get(f"/goals/{bos['id']}")).status_code == 404
    assert [goal["id"] for goal in (await read(as_ann, "/goals"))["data"]] == [anns["id"]]
    mine = await as_ann.patch(f"/goals/{anns['id']}", json={"target": "1"})
    made = await as_ann.post("/goals", json=quarter_goal(metric, ann))
    assert (mine.status_code, made.status_code) == (403, 403)
    assert (
        await as_ann.post("/goal-metrics", json={"name": "x", "kind": "count"})
    ).status_code == 403
    assert (await as_ann.get(f"/goal-metrics/{metric['id']}")).status_code == 200
    outsider = await client_as(cy).get(f"/goals/{team['id']}")
    assert outsider.status_code == 404
