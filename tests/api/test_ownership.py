"""Record ownership over HTTP: who sees which records in lists, and who may reassign them."""

import uuid
from typing import Any

import httpx
import pytest
from sqlmodel import Session

from core.db import make_engine
from core.settings import Settings
from models.lead import Lead
from models.user import Role, User
from tests.auth import add_team, add_user
from tests.conftest import ClientAs


@pytest.fixture
def team(settings: Settings) -> dict[str, User]:
    """North (Nora manages Alice and Bob), South (Sam manages Sara), and Ada the admin."""
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


def add_leads(settings: Settings, owners: dict[str, User | None]) -> dict[str, uuid.UUID]:
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        leads = {
            topic: Lead(
                topic=topic,
                last_name="X",
                deal_id=f"deal-{topic}",
                owner_id=owner.id if owner else None,
            )
            for topic, owner in owners.items()
        }
        session.add_all(leads.values())
        session.commit()
        ids = {topic: lead.id for topic, lead in leads.items()}
    engine.dispose()
    return ids


async def topics(api: httpx.AsyncClient) -> list[str]:
    response = await api.get("/leads", params={"sort": "topic"})
    assert response.status_code == 200, response.text
    page = response.json()
    assert page["count"] == len(page["data"])
    return [lead["topic"] for lead in page["data"]]


async def test_each_sees_the_leads_they_may_see_and_no_more(
    client_as: ClientAs, settings: Settings, team: dict[str, User]
) -> None:
    add_leads(
        settings,
        {
            "alice's": team["alice"],
            "bob's": team["bob"],
            "nora's": team["nora"],
            "sara's": team["sara"],
            "nobody's": None,
        },
    )
    assert await topics(client_as(team["alice"])) == ["alice's"]
    assert await topics(client_as(team["bob"])) == ["bob's"]
    assert await topics(client_as(team["nora"])) == ["alice's", "bob's", "nora's"]
    assert await topics(client_as(team["sam"])) == ["sara's"]
    assert await topics(client_as(team["ada"])) == [
        "alice's",
        "bob's",
        "nobody's",
        "nora's",
        "sara's",
    ]


async def test_a_lead_one_may_not_see_is_not_found_not_forbidden(
    client_as: ClientAs, settings: Settings, team: dict[str, User]
) -> None:
    lead = add_leads(settings, {"alice's": team["alice"]})["alice's"]
    for reader in ("bob", "sara", "sam"):
        api = client_as(team[reader])
        for response in (
            await api.get(f"/leads/{lead}"),
            await api.patch(f"/leads/{lead}", json={"topic": "mine now"}),
            await api.post(f"/leads/{lead}/disqualify", json={"reason": "bogus"}),
        ):
            assert response.status_code == 404, response.text
            assert response.json()["detail"]["record"] == "lead"
    assert (await client_as(team["nora"]).get(f"/leads/{lead}")).status_code == 200


async def test_a_manager_who_changes_team_sees_the_new_teams_leads(
    client: httpx.AsyncClient, client_as: ClientAs, settings: Settings, team: dict[str, User]
) -> None:
    add_leads(settings, {"sara's": team["sara"]})
    assert await topics(client_as(team["nora"])) == []
    south = (await client.get(f"/users/{team['sara'].id}")).json()["team_id"]
    moved = await client.patch(f"/teams/{south}", json={"manager_user_id": str(team["nora"].id)})
    assert moved.status_code == 200
    assert await topics(client_as(team["nora"])) == ["sara's"]


async def test_everyone_reads_every_account_and_changes_only_their_own(
    client_as: ClientAs, team: dict[str, User]
) -> None:
    alice, bob = client_as(team["alice"]), client_as(team["bob"])
    account = (await alice.post("/accounts", json={"name": "Contoso"})).json()
    assert [a["name"] for a in (await bob.get("/accounts")).json()["data"]] == ["Contoso"]
    assert (await bob.get(f"/accounts/{account['id']}")).status_code == 200
    refused = await bob.patch(f"/accounts/{account['id']}", json={"city": "Oslo"})
    assert refused.status_code == 403
    assert refused.json()["detail"]["rule"] == "not_owner"
    assert (await bob.post(f"/accounts/{account['id']}/deactivate")).status_code == 403
    assert (
        await alice.patch(f"/accounts/{account['id']}", json={"city": "Oslo"})
    ).status_code == 200
    nora = client_as(team["nora"])
    assert (
        await nora.patch(f"/accounts/{account['id']}", json={"city": "Rome"})
    ).status_code == 200
    assert (
        await client_as(team["sam"]).patch(f"/accounts/{account['id']}", json={})
    ).status_code == (403)


async def assigned(api: httpx.AsyncClient, path: str, owner: User) -> httpx.Response:
    return await api.post(f"{path}/assign", json={"owner_id": str(owner.id)})


async def test_a_manager_reassigns_a_team_record_within_the_team(
    client_as: ClientAs, team: dict[str, User]
) -> None:
    account = (await client_as(team["alice"]).post("/accounts", json={"name": "Contoso"})).json()
    path = f"/accounts/{account['id']}"
    response = await assigned(client_as(team["nora"]), path, team["bob"])
    assert response.status_code == 200, response.text
    assert response.json()["owner_id"] == str(team["bob"].id)
    assert response.json()["modified_by"] == str(team["nora"].id)
    # Alice no longer owns it: she reads it, but may not change it.
    assert (await client_as(team["alice"]).patch(path, json={"city": "Oslo"})).status_code == 403
    assert (await client_as(team["bob"]).patch(path, json={"city": "Oslo"})).status_code == 200


async def test_who_may_not_reassign(client_as: ClientAs, team: dict[str, User]) -> None:
    account = (await client_as(team["alice"]).post("/accounts", json={"name": "Contoso"})).json()
    path = f"/accounts/{account['id']}"
    own = await assigned(client_as(team["alice"]), path, team["bob"])
    assert own.status_code == 403
    assert own.json()["detail"]["rule"] == "role"
    other_team = await assigned(client_as(team["sam"]), path, team["sara"])
    assert other_team.status_code == 403
    out_of_team = await assigned(client_as(team["nora"]), path, team["sara"])
    assert out_of_team.status_code == 403
    assert out_of_team.json()["detail"]["field"] == "owner_id"
    by_admin = await assigned(client_as(team["ada"]), path, team["sara"])
    assert by_admin.status_code == 200


async def test_records_go_only_to_active_users(
    client: httpx.AsyncClient, settings: Settings, team: dict[str, User]
) -> None:
    account = (await client.post("/accounts", json={"name": "Contoso"})).json()
    path = f"/accounts/{account['id']}"
    gone = add_user(settings, active=False)
    for owner_id in (gone.id, uuid.uuid4()):
        response = await client.post(f"{path}/assign", json={"owner_id": str(owner_id)})
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "owner_id"]
    missing = await client.post(f"{path}/assign", json={})
    assert missing.status_code == 422
    assert missing.json()["detail"][0]["loc"] == ["body", "owner_id"]


async def test_changing_the_owner_in_an_edit_is_an_assign(
    client_as: ClientAs, team: dict[str, User]
) -> None:
    alice = client_as(team["alice"])
    account = (await alice.post("/accounts", json={"name": "Contoso"})).json()
    path = f"/accounts/{account['id']}"
    given_away = await alice.patch(path, json={"owner_id": str(team["bob"].id)})
    assert given_away.status_code == 403
    cleared = await alice.patch(path, json={"owner_id": None})
    assert cleared.status_code == 403
    same = await alice.patch(path, json={"owner_id": str(team["alice"].id), "city": "Oslo"})
    assert same.status_code == 200
    by_manager = await client_as(team["nora"]).patch(path, json={"owner_id": str(team["bob"].id)})
    assert by_manager.status_code == 200 and by_manager.json()["owner_id"] == str(team["bob"].id)


async def test_records_are_made_for_oneself_unless_one_may_assign(
    client_as: ClientAs, team: dict[str, User]
) -> None:
    for_bob: dict[str, Any] = {"name": "Contoso", "owner_id": str(team["bob"].id)}
    refused = await client_as(team["alice"]).post("/accounts", json=for_bob)
    assert refused.status_code == 403
    assert refused.json()["detail"]["field"] == "owner_id"
    lead = await client_as(team["alice"]).post(
        "/leads", json={"topic": "x", "last_name": "y", "owner_id": str(team["bob"].id)}
    )
    assert lead.status_code == 403
    made = await client_as(team["nora"]).post("/accounts", json=for_bob)
    assert made.status_code == 201 and made.json()["owner_id"] == str(team["bob"].id)
    assert made.json()["created_by"] == str(team["nora"].id)


async def test_only_managers_and_admins_write_the_catalog(
    client_as: ClientAs, team: dict[str, User]
) -> None:
    body = {"name": "Count", "base_unit_name": "each"}
    refused = await client_as(team["alice"]).post("/unit-groups", json=body)
    assert refused.status_code == 403
    assert refused.json()["detail"]["rule"] == "role"
    made = await client_as(team["nora"]).post("/unit-groups", json=body)
    assert made.status_code == 201
    group = made.json()["id"]
    assert (await client_as(team["alice"]).get(f"/unit-groups/{group}/units")).status_code == 200
    unit = {"name": "box", "quantity": "12"}
    assert (
        await client_as(team["alice"]).post(f"/unit-groups/{group}/units", json=unit)
    ).status_code == 403
    assert (
        await client_as(team["sam"]).post(f"/unit-groups/{group}/units", json=unit)
    ).status_code == 201
