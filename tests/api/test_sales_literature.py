"""Sales literature: managers publish brochures and price sheets about products and competitors,
with their files; every salesperson reads and downloads them."""

import httpx
from sqlalchemy import func
from sqlmodel import Session, select

from api.app import create_app
from core.settings import Settings
from models.sales_literature import SalesLiteratureAttachment
from models.user import Role
from tests.api.helpers import assert_invalid, catalog, create
from tests.auth import add_user, admin_headers
from tests.conftest import ClientAs

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40


async def brochure(client: httpx.AsyncClient) -> dict:
    return await create(
        client,
        "/sales-literature",
        title="Standing desks 2027",
        literature_type="brochure",
        subject="Desks",
        expires_on="2027-12-31",
    )


async def test_a_brochure_is_about_its_products_and_competitors(client: httpx.AsyncClient) -> None:
    made = await brochure(client)
    widget = (await catalog(client)).product
    rival = await create(client, "/competitors", name="Fabrikam")

    await client.post(f"/sales-literature/{made['id']}/products", json={"record_id": widget["id"]})
    twice = await client.post(
        f"/sales-literature/{made['id']}/products", json={"record_id": widget["id"]}
    )
    about = await client.post(
        f"/sales-literature/{made['id']}/competitors", json={"record_id": rival["id"]}
    )

    assert twice.status_code == 201
    assert [(p["record_id"], p["name"]) for p in twice.json()] == [(widget["id"], "Widget")]
    assert [c["name"] for c in about.json()] == ["Fabrikam"]
    gone = await client.delete(f"/sales-literature/{made['id']}/products/{widget['id']}")
    assert gone.status_code == 204
    assert (await client.get(f"/sales-literature/{made['id']}/products")).json() == []


async def test_linking_an_unknown_product_names_the_field(client: httpx.AsyncClient) -> None:
    made = await brochure(client)
    response = await client.post(
        f"/sales-literature/{made['id']}/products",
        json={"record_id": "00000000-0000-0000-0000-000000000001"},
    )

    assert_invalid(response, "record_id")


async def test_a_file_comes_back_as_uploaded_with_its_content_type(
    client: httpx.AsyncClient, client_as: ClientAs, settings: Settings
) -> None:
    made = await brochure(client)
    uploaded = await client.post(
        f"/sales-literature/{made['id']}/attachments",
        files={"file": ("desks brochure.pdf", PDF, "application/pdf")},
    )
    assert uploaded.status_code == 201, uploaded.text
    attachment = uploaded.json()
    assert (attachment["file_name"], attachment["size_bytes"]) == ("desks brochure.pdf", len(PDF))

    salesperson = client_as(add_user(settings, Role.salesperson))
    listed = await salesperson.get(f"/sales-literature/{made['id']}/attachments")
    download = await salesperson.get(
        f"/sales-literature/{made['id']}/attachments/{attachment['id']}"
    )

    assert [a["id"] for a in listed.json()] == [attachment["id"]]
    assert download.status_code == 200
    assert download.content == PDF
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["content-disposition"] == (
        "attachment; filename*=UTF-8''desks%20brochure.pdf"
    )


async def test_a_file_over_the_limit_is_refused_and_nothing_is_kept(
    settings: Settings, session: Session
) -> None:
    limit = 2_000
    app = create_app(settings.model_copy(update={"max_attachment_bytes": limit}))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://test",
        headers=admin_headers(settings),
    ) as client:
        made = await brochure(client)
        within = await client.post(
            f"/sales-literature/{made['id']}/attachments",
            files={"file": ("fits.bin", b"x" * limit, "application/octet-stream")},
        )
        over = await client.post(
            f"/sales-literature/{made['id']}/attachments",
            files={"file": ("big.bin", b"x" * (limit + 1), "application/octet-stream")},
        )

    assert within.status_code == 201, within.text
    assert over.status_code == 413, over.text
    assert over.json()["detail"]["limit"] == limit
    assert session.exec(select(func.count()).select_from(SalesLiteratureAttachment)).one() == 1


async def test_a_file_larger_than_other_requests_may_be_uploaded(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    made = await brochure(client)
    big = b"y" * (settings.max_request_bytes + 1)
    uploaded = await client.post(
        f"/sales-literature/{made['id']}/attachments",
        files={"file": ("sheet.xlsx", big, "application/vnd.ms-excel")},
    )
    elsewhere = await client.post(
        "/sales-literature", content=b"{" + b" " * settings.max_request_bytes + b"}"
    )

    assert uploaded.status_code == 201, uploaded.text
    assert uploaded.json()["size_bytes"] == len(big)
    assert elsewhere.status_code == 413


async def test_salespeople_read_the_literature_but_only_managers_publish_it(
    client: httpx.AsyncClient, client_as: ClientAs, settings: Settings
) -> None:
    made = await brochure(client)
    salesperson = client_as(add_user(settings, Role.salesperson))

    read = await salesperson.get(f"/sales-literature/{made['id']}")
    write = await salesperson.post(
        "/sales-literature", json={"title": "Mine", "literature_type": "brochure"}
    )
    upload = await salesperson.post(
        f"/sales-literature/{made['id']}/attachments", files={"file": ("a.txt", b"a", "text/plain")}
    )

    assert read.status_code == 200
    assert read.json()["expires_on"] == "2027-12-31"
    assert write.status_code == upload.status_code == 403


async def test_an_unknown_literature_type_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/sales-literature", json={"title": "Flyer", "literature_type": "flyer"}
    )

    assert_invalid(response, "literature_type")
