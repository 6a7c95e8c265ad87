"""Accounts and contacts through the HTTP API: CRUD, lists, and every refusal."""

import uuid

import httpx

from tests.api.helpers import create


async def test_create_read_update_an_account(client: httpx.AsyncClient) -> None:
    account = await create(client, "/accounts", name="Contoso", relationship_type="partner")
    assert account["is_active"] is True
    assert account["created_at"].endswith(("Z", "+00:00"))

    response = await client.patch(f"/accounts/{account['id']}", json={"city": "Lyon"})
    assert response.status_code == 200
    assert response.json()["city"] == "Lyon"
    assert response.json()["name"] == "Contoso"
    assert response.json()["modified_at"] >= account["modified_at"]

    fetched = (await client.get(f"/accounts/{account['id']}")).json()
    assert fetched["city"] == "Lyon"
    assert fetched["relationship_type"] == "partner"


async def test_unknown_account_is_404(client: httpx.AsyncClient) -> None:
    missing = uuid.uuid4()
    for response in (
        await client.get(f"/accounts/{missing}"),
        await client.patch(f"/accounts/{missing}", json={"city": "Oslo"}),
        await client.post(f"/accounts/{missing}/deactivate"),
    ):
        assert response.status_code == 404
        assert response.json()["detail"]["record"] == "account"


async def test_account_without_name_is_422_naming_the_field(client: httpx.AsyncClient) -> None:
    response = await client.post("/accounts", json={"city": "Paris"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "name"]

    response = await client.post("/accounts", json={"name": "X", "relationship_type": "friend"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "relationship_type"]


async def test_name_cannot_be_cleared(client: httpx.AsyncClient) -> None:
    account = await create(client, "/accounts", name="Fabrikam")
    response = await client.patch(f"/accounts/{account['id']}", json={"name": None})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "name"]
    assert (await client.get(f"/accounts/{account['id']}")).json()["name"] == "Fabrikam"


async def test_parent_account_must_exist(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/accounts", json={"name": "Orphan", "parent_account_id": str(uuid.uuid4())}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "parent_account_id"]
    assert (await client.get("/accounts")).json()["count"] == 0


async def test_account_hierarchy_refuses_cycles(client: httpx.AsyncClient) -> None:
    group = await create(client, "/accounts", name="Group")
    division = await create(client, "/accounts", name="Division", parent_account_id=group["id"])
    team = await create(client, "/accounts", name="Team", parent_account_id=division["id"])

    for parent in (team["id"], group["id"]):
        response = await client.patch(
            f"/accounts/{group['id']}", json={"parent_account_id": parent}
        )
        assert response.status_code == 409
        assert response.json()["detail"]["rule"] == "account_hierarchy_cycle"
    assert (await client.get(f"/accounts/{group['id']}")).json()["parent_account_id"] is None

    children = await client.get("/accounts", params={"parent_account_id": group["id"]})
    assert [a["name"] for a in children.json()["data"]] == ["Division"]


async def test_deactivated_accounts_leave_the_default_view(client: httpx.AsyncClient) -> None:
    kept = await create(client, "/accounts", name="Kept")
    gone = await create(client, "/accounts", name="Gone")
    response = await client.post(f"/accounts/{gone['id']}/deactivate")
    assert response.status_code == 200 and response.json()["is_active"] is False

    active = (await client.get("/accounts")).json()
    assert [a["id"] for a in active["data"]] == [kept["id"]]
    inactive = (await client.get("/accounts", params={"view": "inactive"})).json()
    assert [a["id"] for a in inactive["data"]] == [gone["id"]]
    assert (await client.get("/accounts", params={"view": "all"})).json()["count"] == 2

    await client.post(f"/accounts/{gone['id']}/activate")
    assert (await client.get("/accounts")).json()["count"] == 2


async def test_list_sorts_searches_and_pages(client: httpx.AsyncClient) -> None:
    for name in ("Delta", "alpha", "Charlie", "Bravo"):
        await create(client, "/accounts", name=name)

    page = (await client.get("/accounts", params={"sort": "name", "limit": 2})).json()
    assert page["count"] == 4
    assert [a["name"] for a in page["data"]] == ["alpha", "Bravo"]
    second = (
        await client.get("/accounts", params={"sort": "-name", "limit": 2, "offset": 2})
    ).json()
    assert [a["name"] for a in second["data"]] == ["Bravo", "alpha"]

    found = (await client.get("/accounts", params={"q": "ALP"})).json()
    assert [a["name"] for a in found["data"]] == ["alpha"]


async def test_search_text_is_taken_literally(client: httpx.AsyncClient) -> None:
    """`%`, `_` and `\\` match only themselves (PostgreSQL's LIKE would take `\\` as an escape)."""
    for name in ("50% off", "500 off", "a_b", "axb", "back\\slash", "backslash"):
        await create(client, "/accounts", name=name)

    for q, found in (("50%", ["50% off"]), ("a_b", ["a_b"]), ("k\\s", ["back\\slash"])):
        page = (await client.get("/accounts", params={"q": q})).json()
        assert [a["name"] for a in page["data"]] == found, q


async def test_empty_values_sort_first_ascending_and_last_descending(
    client: httpx.AsyncClient,
) -> None:
    """The same order on SQLite and PostgreSQL (whose NULLs would otherwise sort the other way)."""
    for name, city in (("A", "Oslo"), ("B", None), ("C", "lyon")):
        await create(client, "/accounts", name=name, city=city)

    ascending = (await client.get("/accounts", params={"sort": "city"})).json()["data"]
    assert [a["name"] for a in ascending] == ["B", "C", "A"]
    descending = (await client.get("/accounts", params={"sort": "-city"})).json()["data"]
    assert [a["name"] for a in descending] == ["A", "C", "B"]


async def test_unknown_sort_key_is_422_naming_sort(client: httpx.AsyncClient) -> None:
    response = await client.get("/accounts", params={"sort": "password"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "sort"]

    response = await client.get("/accounts", params={"limit": 0})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "limit"]
