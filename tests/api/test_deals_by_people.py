"""Deals worked by real people: who acted is on the records and in the deal's history, each sees
their own deals, and a manager hands a deal to someone else through its workflow."""

from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from sqlmodel import Session, col, select
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from core.settings import Settings
from models.deal_event import DealEvent
from models.user import Role, User
from tests.api.deals import ok
from tests.auth import add_team, add_user, bearer
from worker import build_worker

People = dict[str, User]
As = Callable[[User], httpx.AsyncClient]


@pytest.fixture
def people(settings: Settings) -> People:
    nora, sam = add_user(settings, Role.sales_manager), add_user(settings, Role.sales_manager)
    north, south = add_team(settings, "North", nora), add_team(settings, "South", sam)
    return {
        "alice": add_user(settings, team_id=north.id),
        "bob": add_user(settings, team_id=north.id),
        "sara": add_user(settings, team_id=south.id),
        "nora": nora,
        "sam": sam,
        "ada": add_user(settings, Role.admin),
    }


@pytest.fixture
async def as_(settings: Settings, dev_server: WorkflowEnvironment) -> AsyncIterator[As]:
    """`as_(user)`: a client of a running deal stack (API + worker on Temporal), as that user."""
    settings = settings.model_copy(
        update={"temporal_address": dev_server.client.service_client.config.target_host}
    )
    app = create_app(settings)
    clients: list[httpx.AsyncClient] = []

    def sign_in(user: User) -> httpx.AsyncClient:
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://test",
            headers=bearer(settings, user),
        )
        clients.append(client)
        return client

    async with build_worker(dev_server.client, settings):
        yield sign_in
    for client in clients:
        await client.aclose()


def history(session: Session, deal_id: str) -> list[tuple[str, str]]:
    rows = session.exec(
        select(DealEvent.action, DealEvent.by)
        .where(col(DealEvent.deal_id) == deal_id)
        .order_by(col(DealEvent.at))
    ).all()
    return [(action, str(by)) for action, by in rows]


async def test_who_qualified_is_on_the_records_and_in_the_deal_history(
    as_: As, people: People, session: Session
) -> None:
    alice = as_(people["alice"])
    lead = await ok(await alice.post("/leads", json={"topic": "desks", "last_name": "Ng"}), 201)
    assert lead["owner_id"] == lead["created_by"] == str(people["alice"].id)
    nora = as_(people["nora"])
    deal = await ok(await nora.post(f"/leads/{lead['id']}/qualify", json={}))
    assert deal["lead"]["modified_by"] == str(people["nora"].id)
    assert deal["lead"]["owner_id"] == str(people["alice"].id)
    # Qualify makes the opportunity (and the contact) the lead owner's, whoever qualified.
    assert deal["opportunity"]["owner_id"] == str(people["alice"].id)
    assert deal["opportunity"]["created_by"] == str(people["nora"].id)
    assert history(session, lead["deal_id"]) == [
        ("create_lead", str(people["alice"].id)),
        ("qualify", str(people["nora"].id)),
    ]


async def test_a_deal_is_seen_by_its_owner_their_manager_and_admins_only(
    as_: As, people: People
) -> None:
    alice = as_(people["alice"])
    lead = await ok(await alice.post("/leads", json={"topic": "desks", "last_name": "Ng"}), 201)
    for name in ("bob", "sara", "sam"):
        other = as_(people[name])
        assert (await other.get(f"/leads/{lead['id']}")).status_code == 404
        assert (await other.post(f"/leads/{lead['id']}/qualify", json={})).status_code == 404
        assert (await other.get(f"/deals/{lead['deal_id']}")).status_code == 404
        assert (await other.get("/leads")).json()["count"] == 0
    for name in ("nora", "ada"):
        assert (await as_(people[name]).get(f"/leads/{lead['id']}")).status_code == 200
        assert (await as_(people[name]).get(f"/deals/{lead['deal_id']}")).status_code == 200


async def test_a_manager_hands_a_deal_to_a_teammate_through_its_workflow(
    as_: As, people: People, session: Session
) -> None:
    alice, bob, nora = as_(people["alice"]), as_(people["bob"]), as_(people["nora"])
    lead = await ok(await alice.post("/leads", json={"topic": "desks", "last_name": "Ng"}), 201)
    deal = await ok(await alice.post(f"/leads/{lead['id']}/qualify", json={}))
    opportunity = deal["opportunity"]
    quote = await ok(await alice.post(f"/opportunities/{opportunity['id']}/quotes", json={}), 201)

    to_bob = {"owner_id": str(people["bob"].id)}
    assigned = await ok(await nora.post(f"/opportunities/{opportunity['id']}/assign", json=to_bob))
    assert assigned["record"] == "opportunity" and assigned["record_id"] == opportunity["id"]
    for record in (assigned["lead"], assigned["opportunity"], *assigned["quotes"]):
        assert record["owner_id"] == str(people["bob"].id)
        assert record["modified_by"] == str(people["nora"].id)
    assert history(session, lead["deal_id"])[-1] == ("assign", str(people["nora"].id))

    assert (await bob.get(f"/quotes/{quote['record_id']}")).status_code == 200
    assert (await alice.get(f"/opportunities/{opportunity['id']}")).status_code == 404
    detail = await ok(await as_(people["ada"]).get(f"/deals/{lead['deal_id']}"))
    assert detail["state"]["opportunity"]["owner_id"] == str(people["bob"].id)


async def test_who_may_not_hand_a_deal_over(as_: As, people: People, settings: Settings) -> None:
    alice = as_(people["alice"])
    lead = await ok(await alice.post("/leads", json={"topic": "desks", "last_name": "Ng"}), 201)
    path = f"/leads/{lead['id']}/assign"

    own = await alice.post(path, json={"owner_id": str(people["bob"].id)})
    assert own.status_code == 403 and own.json()["detail"]["rule"] == "role"
    other_team = await as_(people["sam"]).post(path, json={"owner_id": str(people["sara"].id)})
    assert other_team.status_code == 404
    out_of_team = await as_(people["nora"]).post(path, json={"owner_id": str(people["sara"].id)})
    assert out_of_team.status_code == 403 and out_of_team.json()["detail"]["field"] == "owner_id"
    gone = add_user(settings, active=False)
    inactive = await as_(people["ada"]).post(path, json={"owner_id": str(gone.id)})
    assert inactive.status_code == 422
    assert inactive.json()["detail"][0]["loc"] == ["body", "owner_id"]
    unchanged = await ok(await alice.get(f"/leads/{lead['id']}"))
    assert unchanged["owner_id"] == str(people["alice"].id)
    to_sara = await as_(people["ada"]).post(path, json={"owner_id": str(people["sara"].id)})
    assert to_sara.status_code == 200
    assert (await as_(people["sara"]).get(f"/leads/{lead['id']}")).status_code == 200
