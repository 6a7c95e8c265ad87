"""Unit groups and units through the HTTP API: a base unit per group, units as its multiples."""

import uuid

import httpx

from tests.api.helpers import assert_conflict, assert_invalid, create, read, unit_group


async def test_a_unit_group_is_created_with_its_base_unit(client: httpx.AsyncClient) -> None:
    group = await create(
        client, "/unit-groups", name="Count", base_unit_name="each", description="Pieces"
    )
    assert group["base_unit_name"] == "each"
    assert group["is_active"] is True

    units = await read(client, f"/unit-groups/{group['id']}/units")
    assert units["count"] == 1
    [base] = units["data"]
    assert base["name"] == "each"
    assert base["is_base_unit"] is True
    assert base["quantity"] == "1.0000"
    assert base["base_unit_id"] is None
    assert base["unit_group_id"] == group["id"]


async def test_units_are_multiples_of_the_base_unit_unless_another_is_named(
    client: httpx.AsyncClient,
) -> None:
    group, each = await unit_group(client)
    units = f"/unit-groups/{group['id']}/units"
    box = await create(client, units, name="box", quantity="12")
    assert box["base_unit_id"] == each["id"]
    assert box["quantity"] == "12.0000"
    assert box["is_base_unit"] is False
    case = await create(client, units, name="case", quantity=10, base_unit_id=box["id"])
    assert case["base_unit_id"] == box["id"]
    half = await create(client, units, name="half dozen", quantity="0.5", base_unit_id=box["id"])
    assert half["quantity"] == "0.5000"

    listed = await read(client, f"{units}?sort=-quantity")
    assert [u["name"] for u in listed["data"]] == ["box", "case", "each", "half dozen"]
    multiples_of_box = await read(client, f"{units}?base_unit_id={box['id']}&sort=name")
    assert [u["name"] for u in multiples_of_box["data"]] == ["case", "half dozen"]
    assert (await read(client, f"{units}/{case['id']}"))["name"] == "case"


async def test_update_unit_group_and_units(client: httpx.AsyncClient) -> None:
    group, _ = await unit_group(client)
    response = await client.patch(
        f"/unit-groups/{group['id']}", json={"name": "Pieces", "description": "counted"}
    )
    assert response.status_code == 200
    assert response.json()["name"] == "Pieces"
    assert response.json()["base_unit_name"] == "each"

    box = await create(client, f"/unit-groups/{group['id']}/units", name="box", quantity=12)
    response = await client.patch(
        f"/unit-groups/{group['id']}/units/{box['id']}", json={"name": "crate", "quantity": "24"}
    )
    assert response.status_code == 200
    assert response.json()["name"] == "crate"
    assert response.json()["quantity"] == "24.0000"
    assert response.json()["modified_at"] >= box["modified_at"]


async def test_renaming_the_base_unit_keeps_the_group_in_step(client: httpx.AsyncClient) -> None:
    group, each = await unit_group(client)
    units = f"/unit-groups/{group['id']}/units"

    response = await client.patch(f"{units}/{each['id']}", json={"name": "piece"})
    assert response.status_code == 200
    assert (await read(client, f"/unit-groups/{group['id']}"))["base_unit_name"] == "piece"

    response = await client.patch(f"/unit-groups/{group['id']}", json={"base_unit_name": "unit"})
    assert response.status_code == 200
    assert (await read(client, f"{units}/{each['id']}"))["name"] == "unit"


async def test_unit_names_are_unique_within_a_group(client: httpx.AsyncClient) -> None:
    group, _ = await unit_group(client)
    units = f"/unit-groups/{group['id']}/units"
    box = await create(client, units, name="box", quantity=12)

    for name in ("box", "BOX", "each"):
        assert_conflict(
            await client.post(units, json={"name": name, "quantity": 6}),
            "unit_name_unique_in_group",
        )
    response = await client.post(units, json={"name": "Box", "quantity": 6})
    assert response.json()["detail"]["field"] == "name"
    assert_conflict(
        await client.patch(f"{units}/{box['id']}", json={"name": "Each"}),
        "unit_name_unique_in_group",
    )
    other_box = await client.patch(f"/unit-groups/{group['id']}", json={"base_unit_name": "box"})
    assert_conflict(other_box, "unit_name_unique_in_group")

    # Nothing of the refused requests was kept.
    listed = await read(client, f"{units}?sort=name")
    assert [u["name"] for u in listed["data"]] == ["box", "each"]
    assert (await read(client, f"/unit-groups/{group['id']}"))["base_unit_name"] == "each"

    # Another group may use the same names.
    other, _ = await unit_group(client, name="Weight", base_unit_name="box")
    await create(client, f"/unit-groups/{other['id']}/units", name="each", quantity=2)


async def test_the_base_unit_quantity_cannot_change(client: httpx.AsyncClient) -> None:
    group, each = await unit_group(client)
    units = f"/unit-groups/{group['id']}/units"
    box = await create(client, units, name="box", quantity=12)

    response = await client.patch(f"{units}/{each['id']}", json={"quantity": "2"})
    assert_conflict(response, "base_unit_quantity_fixed")
    assert response.json()["detail"]["field"] == "quantity"
    response = await client.patch(f"{units}/{each['id']}", json={"base_unit_id": box["id"]})
    assert_conflict(response, "base_unit_quantity_fixed")

    base = await read(client, f"{units}/{each['id']}")
    assert base["quantity"] == "1.0000"
    assert base["base_unit_id"] is None
    assert (await client.patch(f"{units}/{each['id']}", json={"quantity": 1})).status_code == 200


async def test_a_unit_cannot_be_a_multiple_of_itself(client: httpx.AsyncClient) -> None:
    group, _ = await unit_group(client)
    units = f"/unit-groups/{group['id']}/units"
    box = await create(client, units, name="box", quantity=12)
    case = await create(client, units, name="case", quantity=10, base_unit_id=box["id"])

    for base in (box["id"], case["id"]):
        response = await client.patch(f"{units}/{box['id']}", json={"base_unit_id": base})
        assert_conflict(response, "unit_base_cycle")
    assert (await read(client, f"{units}/{box['id']}"))["base_unit_id"] != case["id"]


async def test_a_unit_is_a_multiple_of_a_unit_of_its_own_group(client: httpx.AsyncClient) -> None:
    group, _ = await unit_group(client)
    _, kilogram = await unit_group(client, name="Weight", base_unit_name="kg")
    units = f"/unit-groups/{group['id']}/units"

    response = await client.post(
        units, json={"name": "sack", "quantity": 25, "base_unit_id": kilogram["id"]}
    )
    assert_invalid(response, "base_unit_id")
    response = await client.post(
        units, json={"name": "sack", "quantity": 25, "base_unit_id": str(uuid.uuid4())}
    )
    assert_invalid(response, "base_unit_id")
    assert (await read(client, units))["count"] == 1


async def test_unit_quantity_must_be_a_positive_decimal(client: httpx.AsyncClient) -> None:
    group, _ = await unit_group(client)
    units = f"/unit-groups/{group['id']}/units"
    for quantity in (0, "-1", "twelve", "1.00001", "1e30", "NaN", None):
        assert_invalid(
            await client.post(units, json={"name": "box", "quantity": quantity}), "quantity"
        )
    assert_invalid(await client.post(units, json={"quantity": 2}), "name")
    assert_invalid(await client.post(units, json={"name": "", "quantity": 2}), "name")
    assert (await read(client, units))["count"] == 1


async def test_unit_group_needs_a_name_and_a_base_unit_name(client: httpx.AsyncClient) -> None:
    assert_invalid(await client.post("/unit-groups", json={"base_unit_name": "each"}), "name")
    assert_invalid(await client.post("/unit-groups", json={"name": "Count"}), "base_unit_name")
    group, _ = await unit_group(client)
    assert_invalid(await client.patch(f"/unit-groups/{group['id']}", json={"name": None}), "name")
    assert (await read(client, "/unit-groups"))["count"] == 1


async def test_unknown_unit_group_or_unit_is_404(client: httpx.AsyncClient) -> None:
    missing = uuid.uuid4()
    for response in (
        await client.get(f"/unit-groups/{missing}"),
        await client.patch(f"/unit-groups/{missing}", json={"name": "X"}),
        await client.post(f"/unit-groups/{missing}/deactivate"),
        await client.get(f"/unit-groups/{missing}/units"),
        await client.post(f"/unit-groups/{missing}/units", json={"name": "box", "quantity": 2}),
    ):
        assert response.status_code == 404
        assert response.json()["detail"]["record"] == "unit group"

    group, _ = await unit_group(client)
    other, kilogram = await unit_group(client, name="Weight", base_unit_name="kg")
    for response in (
        await client.patch(f"/unit-groups/{group['id']}/units/{missing}", json={"name": "x"}),
        # A unit is reached only through its own group.
        await client.patch(
            f"/unit-groups/{group['id']}/units/{kilogram['id']}", json={"name": "x"}
        ),
        await client.get(f"/unit-groups/{group['id']}/units/{kilogram['id']}"),
    ):
        assert response.status_code == 404
        assert response.json()["detail"]["record"] == "unit"
    assert (await read(client, f"/unit-groups/{other['id']}/units"))["data"][0]["name"] == "kg"


async def test_unit_groups_list_sorts_searches_pages_and_deactivates(
    client: httpx.AsyncClient,
) -> None:
    for name in ("Volume", "count", "Weight", "Time"):
        await unit_group(client, name=name)

    page = (await client.get("/unit-groups", params={"sort": "name", "limit": 2})).json()
    assert page["count"] == 4
    assert [g["name"] for g in page["data"]] == ["count", "Time"]
    rest = (await client.get("/unit-groups", params={"sort": "name", "offset": 2})).json()
    assert [g["name"] for g in rest["data"]] == ["Volume", "Weight"]
    found = (await client.get("/unit-groups", params={"q": "EIG"})).json()
    assert [g["name"] for g in found["data"]] == ["Weight"]

    time = page["data"][1]
    assert (await client.post(f"/unit-groups/{time['id']}/deactivate")).json()["is_active"] is False
    assert (await read(client, "/unit-groups"))["count"] == 3
    assert (await read(client, "/unit-groups?view=inactive"))["data"][0]["name"] == "Time"
    assert_invalid(await client.get("/unit-groups", params={"sort": "secret"}), "sort", "query")
