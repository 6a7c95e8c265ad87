"""The ops view in a browser, on the API's ops routes: running deals with their workflow in the
Temporal UI, a deal idle past its stage's threshold listed as stuck and terminated with a
reason by clicks; admins only; a screenshot of the view."""

import asyncio
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Page, expect

from core.settings import Settings
from models.deal.state import Stage
from models.user import Role
from tests.auth import add_user, bearer
from tests.browser.helpers import PASSWORD, serious_accessibility_issues, sign_in

IDLE_AFTER = timedelta(seconds=1)


@pytest.fixture
def live_settings(live_settings: Settings) -> Settings:
    """A lead idle for a second is stuck, so a test need not wait for the real threshold."""
    thresholds = {**live_settings.stuck_idle_after, Stage.qualify: IDLE_AFTER}
    return live_settings.model_copy(update={"stuck_idle_after": thresholds})


async def test_an_admin_sees_running_and_stuck_deals_and_terminates_one_with_a_reason(
    page: Page, console_url: str, live_settings: Settings, output: Path
) -> None:
    admin = add_user(live_settings, Role.admin, password=PASSWORD)
    async with httpx.AsyncClient(base_url=console_url, headers=bearer(live_settings, admin)) as api:
        response = await api.post("/leads", json={"topic": "Lamps", "last_name": "Noether"})
        assert response.status_code == 201, response.text
    deal_id = response.json()["deal_id"]
    await asyncio.sleep(IDLE_AFTER.total_seconds())
    await sign_in(page, console_url, admin.email)
    await page.get_by_role("link", name="Ops").click()
    running = page.get_by_role("region", name="Running deals")
    await expect(running.get_by_role("link", name=deal_id, exact=True)).to_be_visible()
    link = running.get_by_role("link", name=f"Temporal UI for {deal_id}")
    assert (await link.get_attribute("href") or "").endswith(
        f"/namespaces/default/workflows/{deal_id}"
    )

    row = page.get_by_role("region", name="Stuck deals").locator(f'tr[data-deal="{deal_id}"]')
    for _ in range(20):  # Temporal's visibility store indexes a new run a moment later
        if await row.count():
            break
        await asyncio.sleep(0.25)
        await page.reload()
    await expect(row).to_contain_text("Idle")
    await expect(
        row.get_by_role("link", name=f"Workflow of {deal_id} in the Temporal UI")
    ).to_be_visible()
    assert await serious_accessibility_issues(page) == []
    await page.screenshot(path=output / "ops.png")

    await row.get_by_role("button", name="Terminate").click()  # no reason: the browser refuses
    await expect(row).to_be_visible()
    await row.get_by_label("Reason to terminate").fill("a duplicate of another lead")
    await row.get_by_role("button", name="Terminate").click()
    await expect(page.get_by_role("status")).to_have_text(f"{deal_id}: terminated.")
    await expect(page.locator(f'tr[data-deal="{deal_id}"]')).to_have_count(0)
    await page.goto(f"{console_url}/console/deals/{deal_id}")
    await expect(page.get_by_role("region", name="Timeline")).to_contain_text(
        "a duplicate of another lead"
    )
    await expect(page.get_by_text("its workflow has finished")).to_be_visible()


async def test_the_ops_view_is_for_admins_only(
    page: Page, console_url: str, live_settings: Settings
) -> None:
    user = add_user(live_settings, Role.sales_manager, password=PASSWORD)
    await sign_in(page, console_url, user.email)
    await expect(page.get_by_role("link", name="Ops")).to_have_count(0)
    response = await page.goto(f"{console_url}/console/ops")
    assert response is not None and response.status == 403
    await expect(page.get_by_role("alert")).to_have_text("the ops view is for admins")
