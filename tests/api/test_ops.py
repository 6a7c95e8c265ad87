"""Ops over HTTP on a real dev server (the time-skipping one lacks full visibility): deal lists
filtered by search attributes and paged by cursor, scoped by role; stuck deals; retry,
terminate, reset and a reminder cancelled, each on the deal's history with who and why."""

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from temporalio import activity
from temporalio.testing import WorkflowEnvironment

from activities import build_activities
from activities.notify import Notifiers
from api.app import create_app
from core.db import make_engine
from core.settings import Settings
from models.notification import Delivery
from models.user import Role, User
from tests.api.deals import new_lead, ok, refused
from tests.auth import add_team, add_user, bearer
from worker import build_worker

Api = Callable[[User | None], httpx.AsyncClient]


@dataclass
class Fault:
    """A notification channel that is down until `fixed`: the test's own activity in place of
    the real delivery, so no production code fakes a failure."""

    broken: bool = True
    delivered: list[Delivery] = field(default_factory=list)

    def activity(self) -> Callable[..., Awaitable[None]]:
        @activity.defn(name="deliver_notification")
        async def deliver(delivery: Delivery) -> None:
            if self.broken:
                raise RuntimeError("webhook receiver unreachable")
            self.delivered.append(delivery)

        return deliver


@pytest.fixture
def fault() -> Fault:
    return Fault()


@pytest.fixture
async def ops_api(
    settings: Settings, dev_server: WorkflowEnvironment, fault: Fault
) -> AsyncIterator[Api]:
    """The API and a worker whose notification webhook fails while `fault.broken`; `api(user)`
    is a client signed in as that user (None: the admin)."""
    settings = settings.model_copy(
        update={
            "temporal_address": dev_server.client.service_client.config.target_host,
            "notify_webhook_url": "http://127.0.0.1:1/never",
        }
    )
    real = build_activities(make_engine(settings.database_url), Notifiers.from_settings(settings))
    activities = [a for a in real if getattr(a, "__name__", "") != "deliver_notification"]
    app = create_app(settings)
    admin = add_user(settings, Role.admin)
    async with AsyncExitStack() as stack:
        await stack.enter_async_context(
            build_worker(dev_server.client, settings, activities=[*activities, fault.activity()])
        )

        def api(user: User | None) -> httpx.AsyncClient:
            client = httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app),
                base_url="http://test",
                headers=bearer(settings, user or admin),
            )
            stack.push_async_callback(client.aclose)
            return client

        yield api


async def eventually(check: Callable[[], Awaitable[Any]], within: float = 20) -> Any:
    """Visibility is eventually consistent: ask until `check` answers something true."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        if found := await check():
            return found
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"never true: {check}")
        await asyncio.sleep(0.1)


async def listed(api: httpx.AsyncClient, **params: Any) -> dict[str, Any]:
    page: dict[str, Any] = await ok(await api.get("/deals", params=params))
    return page


async def test_deals_are_filtered_by_search_attributes_and_paged_by_cursor(
    ops_api: Api, settings: Settings
) -> None:
    nora = add_user(settings, Role.sales_manager)
    north = add_team(settings, "North", nora)
    alice = add_user(settings, Role.salesperson, team_id=north.id)
    bob = add_user(settings, Role.salesperson, team_id=north.id)
    sara = add_user(settings, Role.salesperson, team_id=add_team(settings, "South").id)
    web = f"web-{uuid.uuid4().hex[:6]}"
    alices = [await new_lead(ops_api(alice), source=web) for _ in range(2)]
    bobs = await new_lead(ops_api(bob), source="referral")
    saras = await new_lead(ops_api(sara), source=web)
    admin = ops_api(None)
    in_north = {"team_id": str(north.id)}

    first = await eventually(
        lambda: _when(listed(admin, **in_north, limit=2), lambda p: p["count"] == 3)
    )
    assert len(first["data"]) == 2 and first["next_cursor"]
    second = await listed(admin, **in_north, limit=2, cursor=first["next_cursor"])
    assert len(second["data"]) == 1 and second["next_cursor"] is None
    walked = {d["deal_id"] for d in first["data"] + second["data"]}
    assert walked == {alices[0]["deal_id"], alices[1]["deal_id"], bobs["deal_id"]}
    item = second["data"][0]
    assert (item["status"], item["stage"], item["team_id"]) == ("running", "Qualify", str(north.id))

    from_web = await listed(admin, **in_north, lead_source=web)
    assert {d["deal_id"] for d in from_web["data"]} == {a["deal_id"] for a in alices}
    assert {d["lead_source"] for d in from_web["data"]} == {web}

    # Scoped by role: a manager sees their team's deals, a salesperson their own.
    assert {d["deal_id"] for d in (await listed(ops_api(nora)))["data"]} == walked
    sees = (await listed(ops_api(sara)))["data"]
    assert [d["deal_id"] for d in sees] == [saras["deal_id"]]
    assert (await listed(ops_api(sara), team_id=str(north.id)))["count"] == 0

    # Worth: a qualified deal with a line of 2 x 150.00.
    deal = await ok(await ops_api(alice).post(f"/leads/{alices[0]['id']}/qualify", json={}))
    line = {"write_in_description": "Desk", "quantity": "2", "price_per_unit": "150.00"}
    opportunity = deal["opportunity"]["id"]
    await ok(await ops_api(alice).post(f"/opportunities/{opportunity}/lines", json=line), 201)
    worth = await eventually(
        lambda: _when(
            listed(admin, **in_north, min_value="100", max_value="300.50"),
            lambda p: p["count"] == 1,
        )
    )
    assert worth["data"][0]["value"] == "300.00"
    assert worth["data"][0]["stage"] == "Develop"

    assert (await admin.get("/deals", params={"cursor": "not a cursor"})).status_code == 422
    assert (await admin.get("/deals", params={"lead_source": 'x" OR 1=1'})).status_code == 422
    assert (await admin.get("/deals", params={"status": "asleep"})).status_code == 422


async def _when(
    page: Awaitable[dict[str, Any]], good: Callable[[dict[str, Any]], bool]
) -> dict[str, Any] | None:
    found = await page
    return found if good(found) else None


async def stuck(api: httpx.AsyncClient, deal_id: str, reason: str) -> dict[str, Any] | None:
    found = await ok(await api.get("/deals/stuck"))
    return next(
        (d for d in found["data"] if d["deal_id"] == deal_id and d["reason"] == reason), None
    )


async def test_a_failing_notification_is_stuck_until_retried_once_the_fault_is_gone(
    ops_api: Api, fault: Fault
) -> None:
    admin = ops_api(None)
    lead = await new_lead(admin)
    deal_id = lead["deal_id"]
    due_at = (datetime.now(UTC) + timedelta(seconds=1)).isoformat()
    await ok(
        await admin.post(
            f"/deals/{deal_id}/follow-ups", json={"due_at": due_at, "subject": "Call back"}
        ),
        201,
    )
    nothing = await admin.post(f"/deals/{deal_id}/retry", json={"reason": "too early"})
    assert (await refused(nothing))["rule"] == "nothing_failing"

    async def failed_thrice() -> dict[str, Any] | None:
        found = await stuck(admin, deal_id, "activity_failing")
        return found if found and found["attempt"] >= 4 else None

    failing = await eventually(failed_thrice, within=30)
    assert failing["activity"] == "deliver_notification"
    assert failing["last_failure"] == "webhook receiver unreachable"
    assert failing["detail"].endswith("while sending its scheduled reminder")
    next_retry = datetime.fromisoformat(failing["next_retry_at"])
    assert next_retry > datetime.now(UTC) + timedelta(seconds=3)  # backing off: 8 s by now

    fault.broken = False
    retried = await ok(
        await admin.post(f"/deals/{deal_id}/retry", json={"reason": "webhook receiver is back"})
    )
    assert retried["detail"] == "retried deliver_notification"
    await eventually(lambda: asyncio.sleep(0, fault.delivered), within=3)
    assert datetime.now(UTC) < next_retry  # sent by the retry, not by the next attempt
    assert fault.delivered[0].notification.subject == "Call back"
    await eventually(lambda: _none(stuck(admin, deal_id, "activity_failing")))

    history = (await ok(await admin.get(f"/deals/{deal_id}")))["history"]
    assert history[0]["action"] == "ops_retry"
    assert history[0]["summary"] == "retried deliver_notification: webhook receiver is back"
    assert history[0]["by"] is not None


async def _none(found: Awaitable[Any]) -> bool:
    return (await found) is None


async def test_a_deal_idle_past_its_stages_threshold_is_stuck(
    settings: Settings, dev_server: WorkflowEnvironment
) -> None:
    settings = settings.model_copy(
        update={
            "temporal_address": dev_server.client.service_client.config.target_host,
            "stuck_idle_after": {**settings.stuck_idle_after, "Qualify": timedelta(seconds=1)},
        }
    )
    admin = add_user(settings, Role.admin)
    async with (
        build_worker(dev_server.client, settings),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=create_app(settings)),
            base_url="http://test",
            headers=bearer(settings, admin),
        ) as api,
    ):
        lead = await new_lead(api)
        idle = await eventually(lambda: stuck(api, lead["deal_id"], "idle"))
    assert idle["stage"] == "Qualify" and idle["idle_since"] is not None
    assert idle["detail"] == "no transition in Qualify for more than 0:00:01"


async def test_terminate_records_the_reason_and_reset_brings_the_deal_back(ops_api: Api) -> None:
    admin = ops_api(None)
    lead = await new_lead(admin)
    deal_id = lead["deal_id"]
    assert (await admin.post(f"/deals/{deal_id}/terminate", json={})).status_code == 422
    done = await ok(
        await admin.post(f"/deals/{deal_id}/terminate", json={"reason": "duplicate of another"})
    )
    assert done["event"]["summary"] == "duplicate of another"
    deal = await ok(await admin.get(f"/deals/{deal_id}"))
    assert (deal["running"], deal["status"]) == (False, "terminated")
    assert deal["history"][0]["action"] == "ops_terminate"
    assert deal["state"]["lead"]["state"] == "open"  # the records keep their states
    assert (await ok(await admin.get(f"/leads/{lead['id']}")))["state"] == "open"
    await eventually(
        lambda: _when(
            listed(admin, status="terminated", limit=1000),
            lambda p: any(d["deal_id"] == deal_id for d in p["data"]),
        )
    )
    again = await admin.post(f"/deals/{deal_id}/terminate", json={"reason": "twice"})
    assert (await refused(again))["rule"] == "not_running"

    back = await ok(await admin.post(f"/deals/{deal_id}/reset", json={"reason": "not a dup"}))
    assert back["run_id"]
    deal = await ok(await admin.get(f"/deals/{deal_id}"))
    assert (deal["running"], deal["status"], deal["stage"]) == (True, "running", "Qualify")
    assert deal["history"][0]["action"] == "ops_reset"
    qualified = await ok(await admin.post(f"/leads/{lead['id']}/qualify", json={}))
    assert qualified["stage"] == "Develop"


async def test_an_admin_cancels_a_reminder_with_a_reason(ops_api: Api, settings: Settings) -> None:
    admin = ops_api(None)
    lead = await new_lead(admin)
    deal_id = lead["deal_id"]
    reminders = (await ok(await admin.get(f"/deals/{deal_id}")))["reminders"]
    key = next(r["key"] for r in reminders if r["kind"] == "lead_follow_up")
    salesperson = ops_api(add_user(settings, Role.salesperson))
    path = f"/deals/{deal_id}/reminders/{key}/cancel"
    assert (await salesperson.post(path, json={"reason": "no"})).status_code == 403
    cancelled = await ok(await admin.post(path, json={"reason": "customer asked for quiet"}))
    assert key not in [r["key"] for r in cancelled["reminders"]]
    deal = await ok(await admin.get(f"/deals/{deal_id}"))
    assert key not in [r["key"] for r in deal["reminders"]]
    assert deal["history"][0]["action"] == "ops_cancel_reminder"
    assert deal["history"][0]["summary"].endswith("customer asked for quiet")
    missing = await admin.post(path, json={"reason": "again"})
    assert (await refused(missing, 404))["record"] == "reminder"

    due_at = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    follow_up = await ok(
        await admin.post(f"/deals/{deal_id}/follow-ups", json={"due_at": due_at, "subject": "x"}),
        201,
    )
    left = await ok(
        await admin.post(
            f"/deals/{deal_id}/follow-ups/{follow_up['id']}/cancel",
            json={"reason": "done by phone"},
        )
    )
    assert left == []
    history = (await ok(await admin.get(f"/deals/{deal_id}")))["history"]
    assert history[0]["action"] == "cancel_follow_up"
    assert history[0]["summary"].endswith("done by phone")
