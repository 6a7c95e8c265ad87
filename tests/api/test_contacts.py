"""Contacts through the HTTP API: one parent account, email unique among active contacts."""

import uuid

import httpx

from tests.api.helpers import assert_conflict, assert_invalid, create, read


async def test_create_read_update_a_contact(client: httpx.AsyncClient) -> None:
    contact = await create(
        client, "/contacts", first_name="Ada", last_name="Lovelace", job_title="Analyst"
    )
    assert contact["full_name"] == "Ada Lovelace"
    assert contact["is_active"] is True

    response = await client.patch(f"/contacts/{contact['id']}", json={"city": "London"})
    assert response.status_code == 200
    fetched = await read(client, f"/contacts/{contact['id']}")
    assert fetched["city"] == "London"
    assert fetched["last_name"] == "Lovelace"

    alone = await create(client, "/contacts", last_name="Turing")
    assert alone["full_name"] == "Turing"


async def test_contact_needs_a_last_name(client: httpx.AsyncClient) -> None:
    assert_invalid(await client.post("/contacts", json={"first_name": "Ada"}), "last_name")
    contact = await create(client, "/contacts", last_name="Lovelace")
    response = await client.patch(f"/contacts/{contact['id']}", json={"last_name": None})
    assert_invalid(response, "last_name")
    assert_invalid(await client.post("/contacts", json={"last_name": "X", "email": "no"}), "email")
    assert (await read(client, f"/contacts/{contact['id']}"))["last_name"] == "Lovelace"
    assert (await read(client, "/contacts"))["count"] == 1


async def test_email_is_stored_lowercased_and_matched_ignoring_case(
    client: httpx.AsyncClient,
) -> None:
    ada = await create(client, "/contacts", last_name="Lovelace", email="Ada@Example.COM")
    assert ada["email"] == "ada@example.com"

    response = await client.post(
        "/contacts", json={"last_name": "Byron", "email": "ADA@example.com"}
    )
    assert_conflict(response, "contact_email_unique")
    assert response.json()["detail"]["field"] == "email"

    found = await read(client, "/contacts?email=ADA@EXAMPLE.com")
    assert [c["id"] for c in found["data"]] == [ada["id"]]


async def test_email_is_unique_among_active_contacts(client: httpx.AsyncClient) -> None:
    ada = await create(client, "/contacts", last_name="Lovelace", email="ada@example.com")
    other = await create(client, "/contacts", last_name="Byron", email="byron@example.com")

    response = await client.patch(f"/contacts/{other['id']}", json={"email": "Ada@example.com"})
    assert_conflict(response, "contact_email_unique")
    assert (await read(client, f"/contacts/{other['id']}"))["email"] == "byron@example.com"
    assert (await read(client, "/contacts"))["count"] == 2

    # Saving a contact with its own email is not a clash with itself.
    same = await client.patch(f"/contacts/{ada['id']}", json={"email": "ADA@example.com"})
    assert same.status_code == 200


async def test_a_deactivated_contacts_email_can_be_reused_but_not_reactivated(
    client: httpx.AsyncClient,
) -> None:
    old = await create(client, "/contacts", last_name="Lovelace", email="ada@example.com")
    assert (await client.post(f"/contacts/{old['id']}/deactivate")).status_code == 200
    new = await create(client, "/contacts", last_name="King", email="ada@example.com")

    assert_conflict(await client.post(f"/contacts/{old['id']}/activate"), "contact_email_unique")
    assert (await read(client, f"/contacts/{old['id']}"))["is_active"] is False

    # Once the new one is retired, the old one can come back.
    await client.post(f"/contacts/{new['id']}/deactivate")
    response = await client.post(f"/contacts/{old['id']}/activate")
    assert response.status_code == 200 and response.json()["is_active"] is True


async def test_parent_account_must_exist(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/contacts", json={"last_name": "Orphan", "parent_account_id": str(uuid.uuid4())}
    )
    assert_invalid(response, "parent_account_id")
    contact = await create(client, "/contacts", last_name="Lovelace")
    response = await client.patch(
        f"/contacts/{contact['id']}", json={"parent_account_id": str(uuid.uuid4())}
    )
    assert_invalid(response, "parent_account_id")
    assert (await read(client, f"/contacts/{contact['id']}"))["parent_account_id"] is None
    assert (await read(client, "/contacts"))["count"] == 1


async def test_contacts_list_by_parent_account(client: httpx.AsyncClient) -> None:
    contoso = await create(client, "/accounts", name="Contoso")
    fabrikam = await create(client, "/accounts", name="Fabrikam")
    for name, account in (("Abel", contoso), ("Baker", fabrikam), ("Cole", contoso)):
        await create(client, "/contacts", last_name=name, parent_account_id=account["id"])
    await create(client, "/contacts", last_name="Nobody")

    page = await read(client, f"/contacts?parent_account_id={contoso['id']}&sort=-last_name")
    assert [c["last_name"] for c in page["data"]] == ["Cole", "Abel"]
    assert page["count"] == 2
    assert (await read(client, "/contacts"))["count"] == 4


async def test_unknown_contact_is_404(client: httpx.AsyncClient) -> None:
    missing = uuid.uuid4()
    for response in (
        await client.get(f"/contacts/{missing}"),
        await client.patch(f"/contacts/{missing}", json={"city": "Oslo"}),
        await client.post(f"/contacts/{missing}/activate"),
    ):
        assert response.status_code == 404
        assert response.json()["detail"]["record"] == "contact"
