"""Idempotency-Key: a client that retries (after a timeout, a 503, a crash anywhere) gets the first
answer, and nothing is created or changed twice."""

import asyncio
import uuid
from typing import Any

import httpx
from sqlalchemy import func
from sqlmodel import Session, col, delete, select

from core.settings import Settings
from models.account import Account
from models.deal_event import DealEvent
from models.idempotency import IdempotencyKey
from models.invoice import Payment
from models.lead import Lead
from models.user import Role
from tests.api.deals import new_order, ok
from tests.auth import add_user, bearer

LEAD = {"topic": "10 desks", "last_name": "Okafor", "company_name": "Northwind"}


def keyed(key: str) -> dict[str, str]:
    return {"Idempotency-Key": key}


def count(session: Session, model: Any, *where: Any) -> int:
    session.expire_all()
    return int(session.exec(select(func.count()).select_from(model).where(*where)).one())


def answer_lost(session: Session, key: str) -> None:
    """As if the API died after the work was done and before it stored the answer."""
    session.exec(delete(IdempotencyKey).where(col(IdempotencyKey.key) == key))
    session.commit()


async def test_a_lead_posted_twice_with_one_key_is_created_once(
    deal_api: httpx.AsyncClient, session: Session
) -> None:
    first = await deal_api.post("/leads", json=LEAD, headers=keyed("lead-1"))
    again = await deal_api.post("/leads", json=LEAD, headers=keyed("lead-1"))

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert count(session, Lead) == 1


async def test_the_same_key_with_another_body_is_refused_and_changes_nothing(
    deal_api: httpx.AsyncClient, session: Session
) -> None:
    await ok(await deal_api.post("/leads", json=LEAD, headers=keyed("lead-2")), 201)
    other = await deal_api.post(
        "/leads", json={**LEAD, "topic": "20 desks"}, headers=keyed("lead-2")
    )

    assert other.status_code == 422, other.text
    assert other.json()["detail"][0]["loc"] == ["header", "Idempotency-Key"]
    assert count(session, Lead) == 1


async def test_a_lead_retried_after_its_answer_was_lost_is_the_same_lead(
    deal_api: httpx.AsyncClient, session: Session
) -> None:
    first = await ok(await deal_api.post("/leads", json=LEAD, headers=keyed("lead-3")), 201)
    answer_lost(session, "lead-3")
    again = await ok(await deal_api.post("/leads", json=LEAD, headers=keyed("lead-3")), 201)

    assert again["id"] == first["id"]
    assert count(session, Lead) == 1
    assert count(session, DealEvent, col(DealEvent.record_id) == uuid.UUID(first["id"])) == 1


async def test_a_qualify_retried_after_its_answer_was_lost_answers_the_first_outcome(
    deal_api: httpx.AsyncClient, session: Session
) -> None:
    lead = await ok(await deal_api.post("/leads", json=LEAD), 201)
    path = f"/leads/{lead['id']}/qualify"
    first = await ok(await deal_api.post(path, json={}, headers=keyed("qualify-1")))
    answer_lost(session, "qualify-1")
    again = await ok(await deal_api.post(path, json={}, headers=keyed("qualify-1")))

    assert again["opportunity"]["id"] == first["opportunity"]["id"]
    assert again["lead"]["state"] == "qualified"
    assert count(session, DealEvent, col(DealEvent.deal_id) == first["deal_id"]) == 2


async def test_a_payment_sent_twice_with_one_key_is_paid_once(
    deal_api: httpx.AsyncClient, session: Session
) -> None:
    order = await new_order(deal_api, "300.00")
    deal = await ok(await deal_api.post(f"/orders/{order['id']}/invoices", json={}), 201)
    invoice = deal["invoices"][0]
    pay = f"/invoices/{invoice['id']}/pay"

    first = await ok(await deal_api.post(pay, json={"amount": "100"}, headers=keyed("pay-1")))
    again = await ok(await deal_api.post(pay, json={"amount": "100"}, headers=keyed("pay-1")))

    assert again == first
    assert count(session, Payment, col(Payment.invoice_id) == uuid.UUID(invoice["id"])) == 1
    [paid] = [i for i in again["invoices"] if i["id"] == invoice["id"]]
    assert paid["balance_due"] == "500.0000"


async def test_the_last_payment_retried_after_the_deal_closed_answers_the_first_outcome(
    deal_api: httpx.AsyncClient, session: Session
) -> None:
    """The deal's run ended with that payment; the retry starts its next run, which finds the
    step done instead of refusing a payment on a paid invoice."""
    order = await new_order(deal_api, "50.00")
    deal = await ok(await deal_api.post(f"/orders/{order['id']}/invoices", json={}), 201)
    invoice = deal["invoices"][0]
    pay = f"/invoices/{invoice['id']}/pay"
    body = {"amount": invoice["balance_due"]}

    first = await ok(await deal_api.post(pay, json=body, headers=keyed("pay-all")))
    answer_lost(session, "pay-all")
    again = await ok(await deal_api.post(pay, json=body, headers=keyed("pay-all")))

    assert again["outcome"] == first["outcome"] == "won"
    assert again["record_id"] == first["record_id"]
    assert count(session, Payment, col(Payment.invoice_id) == uuid.UUID(invoice["id"])) == 1


async def test_concurrent_duplicates_create_one_lead(
    deal_api: httpx.AsyncClient, session: Session
) -> None:
    answers = await asyncio.gather(
        *(deal_api.post("/leads", json=LEAD, headers=keyed("lead-race")) for _ in range(4))
    )

    created = {a.json()["id"] for a in answers if a.status_code == 201}
    assert len(created) == 1, [a.text for a in answers]
    assert all(a.status_code in (201, 409) for a in answers), [a.text for a in answers]
    for busy in (a for a in answers if a.status_code == 409):
        assert busy.json()["detail"]["rule"] == "idempotency_key_in_use"
        assert busy.headers["Retry-After"] == "1"
    assert count(session, Lead) == 1


async def test_an_account_retried_after_its_answer_was_lost_is_the_same_account(
    deal_api: httpx.AsyncClient, session: Session
) -> None:
    first = await ok(
        await deal_api.post("/accounts", json={"name": "Contoso"}, headers=keyed("a")), 201
    )
    answer_lost(session, "a")
    again = await ok(
        await deal_api.post("/accounts", json={"name": "Contoso"}, headers=keyed("a")), 201
    )

    assert again["id"] == first["id"]
    assert count(session, Account) == 1


async def test_keys_belong_to_their_caller(
    deal_api: httpx.AsyncClient, session: Session, settings: Settings
) -> None:
    someone = bearer(settings, add_user(settings, Role.salesperson))
    mine = await ok(await deal_api.post("/leads", json=LEAD, headers=keyed("shared")), 201)
    theirs = await ok(
        await deal_api.post("/leads", json=LEAD, headers={**keyed("shared"), **someone}), 201
    )

    assert theirs["id"] != mine["id"]
    assert count(session, Lead) == 2


async def test_a_key_that_is_too_long_is_refused(
    deal_api: httpx.AsyncClient, session: Session
) -> None:
    response = await deal_api.post("/leads", json=LEAD, headers=keyed("k" * 256))

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["header", "Idempotency-Key"]
    assert count(session, Lead) == 0


async def test_a_follow_up_retried_after_its_answer_was_lost_is_scheduled_once(
    deal_api: httpx.AsyncClient, session: Session
) -> None:
    lead = await ok(await deal_api.post("/leads", json=LEAD), 201)
    path = f"/deals/{lead['deal_id']}/follow-ups"
    body = {"due_at": "2030-01-01T09:00:00Z", "subject": "Call back"}
    first = await ok(await deal_api.post(path, json=body, headers=keyed("follow-up")), 201)
    answer_lost(session, "follow-up")
    again = await ok(await deal_api.post(path, json=body, headers=keyed("follow-up")), 201)

    assert again["id"] == first["id"]
    assert [f["id"] for f in await ok(await deal_api.get(path))] == [first["id"]]
