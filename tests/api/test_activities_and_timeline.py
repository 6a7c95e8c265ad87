"""Activities regarding records, their timelines, and follow-ups scheduled by a person."""

import uuid
from datetime import UTC, datetime, timedelta

import httpx
from sqlmodel import Session

from models.lead import Lead
from tests.api.deals import new_lead, new_opportunity, ok, refused


async def test_a_task_on_a_lead_is_recorded_completed_and_on_its_timeline(
    deal_api: httpx.AsyncClient,
) -> None:
    lead = await new_lead(deal_api)
    task = await ok(
        await deal_api.post(
            "/activities",
            json={
                "kind": "phone_call",
                "subject": "Intro call",
                "regarding_type": "lead",
                "regarding_id": lead["id"],
                "priority": "high",
            },
        ),
        201,
    )
    assert (task["status"], task["deal_id"]) == ("open", lead["deal_id"])
    done = await ok(await deal_api.post(f"/activities/{task['id']}/complete"))
    assert done["status"] == "completed" and done["completed_at"]
    detail = await refused(await deal_api.post(f"/activities/{task['id']}/cancel"))
    assert detail["state"] == "completed"

    timeline = await ok(await deal_api.get(f"/leads/{lead['id']}/timeline"))
    assert timeline["count"] == 2
    assert [entry["kind"] for entry in timeline["data"]] == ["phone_call", "transition"]
    assert timeline["data"][1]["action"] == "create_lead"


async def test_a_deal_timeline_lists_transitions_newest_first_and_pages(
    deal_api: httpx.AsyncClient,
) -> None:
    opportunity = await new_opportunity(deal_api, "10.00", "20.00")
    first = await ok(
        await deal_api.get(f"/opportunities/{opportunity['id']}/timeline", params={"limit": 2})
    )
    assert [e["action"] for e in first["data"]] == ["add_line", "add_line"]
    rest = await ok(
        await deal_api.get(
            f"/opportunities/{opportunity['id']}/timeline", params={"limit": 2, "offset": 2}
        )
    )
    assert [e["action"] for e in rest["data"]] == ["qualify", "create_lead"]
    assert first["count"] == rest["count"] == 4
    assert rest["next_cursor"] is None

    after_cursor = await ok(
        await deal_api.get(
            f"/opportunities/{opportunity['id']}/timeline",
            params={"limit": 2, "cursor": first["next_cursor"]},
        )
    )
    assert [e["id"] for e in after_cursor["data"]] == [e["id"] for e in rest["data"]]


async def test_a_contacts_activities_roll_up_to_its_account(deal_api: httpx.AsyncClient) -> None:
    account = await ok(await deal_api.post("/accounts", json={"name": "Adatum"}), 201)
    contact = await ok(
        await deal_api.post(
            "/contacts", json={"last_name": "Ito", "parent_account_id": account["id"]}
        ),
        201,
    )
    await ok(
        await deal_api.post(
            "/activities",
            json={
                "kind": "email",
                "subject": "Sent brochure",
                "regarding_type": "contact",
                "regarding_id": contact["id"],
            },
        ),
        201,
    )
    timeline = await ok(await deal_api.get(f"/accounts/{account['id']}/timeline"))
    assert [e["subject"] for e in timeline["data"]] == ["Sent brochure"]


async def test_an_activity_about_an_unknown_record_is_422(deal_api: httpx.AsyncClient) -> None:
    response = await deal_api.post(
        "/activities",
        json={"subject": "x", "regarding_type": "quote", "regarding_id": str(uuid.uuid4())},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "regarding_id"]
    response = await deal_api.get(f"/leads/{uuid.uuid4()}/timeline")
    assert response.status_code == 404


async def test_follow_ups_are_scheduled_listed_and_cancelled(deal_api: httpx.AsyncClient) -> None:
    lead = await new_lead(deal_api)
    due = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    scheduled = await ok(
        await deal_api.post(
            f"/deals/{lead['deal_id']}/follow-ups", json={"due_at": due, "subject": "Call back"}
        ),
        201,
    )
    listed = await ok(await deal_api.get(f"/deals/{lead['deal_id']}/follow-ups"))
    assert [f["subject"] for f in listed] == ["Call back"]
    deal = await ok(await deal_api.get(f"/deals/{lead['deal_id']}"))
    assert "scheduled" in [r["kind"] for r in deal["reminders"]]

    left = await ok(
        await deal_api.post(f"/deals/{lead['deal_id']}/follow-ups/{scheduled['id']}/cancel")
    )
    assert left == []
    response = await deal_api.post(f"/deals/{lead['deal_id']}/follow-ups/{scheduled['id']}/cancel")
    assert response.status_code == 404


async def test_a_closed_deal_takes_no_follow_up(deal_api: httpx.AsyncClient) -> None:
    lead = await new_lead(deal_api)
    await ok(await deal_api.post(f"/leads/{lead['id']}/disqualify", json={"reason": "lost"}))
    due = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    detail = await refused(
        await deal_api.post(
            f"/deals/{lead['deal_id']}/follow-ups", json={"due_at": due, "subject": "x"}
        )
    )
    assert detail["rule"] == "the deal is closed"
    response = await deal_api.post(
        f"/deals/deal-{uuid.uuid4()}/follow-ups", json={"due_at": due, "subject": "x"}
    )
    assert response.status_code == 404


async def test_an_activity_is_recorded_even_while_temporal_is_down(
    client: httpx.AsyncClient, session: Session
) -> None:
    lead = Lead(topic="Offline", last_name="Ng", deal_id=f"deal-{uuid.uuid4()}")
    session.add(lead)
    session.commit()
    body = {"subject": "Left a voicemail", "regarding_type": "lead", "regarding_id": str(lead.id)}
    created = await ok(await client.post("/activities", json=body), 201)
    assert created["deal_id"] == lead.deal_id
    assert (await client.get(f"/activities/{created['id']}")).status_code == 200
