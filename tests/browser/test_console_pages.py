"""My reminders, goals and the ops view in a browser; every console page passes axe-core's
audit with no serious or critical issue; a screenshot of the ops view."""

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from playwright.async_api import Page, expect

from core.settings import Settings
from models.user import Role
from tests.auth import add_user, bearer
from tests.browser.helpers import PASSWORD, serious_accessibility_issues, sign_in


async def created(api: httpx.AsyncClient, path: str, **body: Any) -> dict[str, Any]:
    response = await api.post(path, json=body)
    assert response.status_code in (200, 201), response.text
    answer: dict[str, Any] = response.json()
    return answer


async def audited(page: Page, url: str) -> None:
    await page.goto(url)
    assert await serious_accessibility_issues(page) == [], url


async def test_a_salesperson_completes_reminders_sees_goals_and_every_page_is_accessible(
    page: Page, console_url: str, live_settings: Settings
) -> None:
    user = add_user(live_settings, Role.salesperson, password=PASSWORD)
    async with httpx.AsyncClient(base_url=console_url, headers=bearer(live_settings, user)) as api:
        lead = await created(
            api, "/leads", topic="Chairs", last_name="Turing", estimated_budget="2500"
        )
        now = datetime.now(UTC)
        for subject, due in (("Call back later", now + timedelta(days=2)), ("Call back", now)):
            await created(
                api,
                "/activities",
                subject=subject,
                regarding_type="lead",
                regarding_id=lead["id"],
                due_at=(due - timedelta(hours=1)).isoformat(),
            )
    async with httpx.AsyncClient(
        base_url=console_url, headers=bearer(live_settings, add_user(live_settings, Role.admin))
    ) as admin:
        metric = await created(
            admin, "/goal-metrics", name="Won revenue", kind="amount", amount_field="revenue"
        )
        goal = await created(
            admin,
            "/goals",
            name="This year",
            metric_id=metric["id"],
            owner_id=str(user.id),
            period="fiscal_year",
            fiscal_year=datetime.now(UTC).year,
            target="10000",
        )
        await created(admin, f"/goals/{goal['id']}/recalculate")

    await sign_in(page, console_url, user.email)
    await page.get_by_role("link", name="My reminders").click()
    rows = page.locator("tr[data-task]")
    await expect(rows).to_have_count(2)
    await expect(rows.first).to_contain_text("Call back")
    await expect(rows.first).to_contain_text("overdue")
    await expect(rows.nth(1)).not_to_contain_text("overdue")
    await page.get_by_role("button", name="Complete: Call back", exact=True).click()
    await expect(rows).to_have_count(1)
    await expect(rows.first).to_contain_text("Call back later")

    in_three_days = (datetime.now(UTC) + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    await page.get_by_label("Deal").select_option(lead["deal_id"])
    await page.get_by_label("Subject").fill("Send the brochure")
    await page.get_by_label("Due (UTC)").fill(in_three_days)
    await page.get_by_role("button", name="Schedule follow-up").click()
    await expect(page.get_by_role("status")).to_have_text("Follow-up scheduled.")
    await page.goto(f"{console_url}/console/deals/{lead['deal_id']}")
    await expect(page.get_by_role("region", name="Pending timers")).to_contain_text(
        "Send the brochure"
    )

    await page.get_by_role("link", name="Goals").click()
    mine = page.locator('[data-goal="This year"]')
    await expect(mine).to_contain_text("Target 10,000.00")
    await expect(mine).to_contain_text("0.00 % achieved")
    await expect(page.locator('.chart [data-stage="Qualify"]')).to_contain_text("2,500.00")

    for path in ("/console/", f"/console/deals/{lead['deal_id']}", "/console/reminders"):
        await audited(page, console_url + path)
    await audited(page, console_url + "/console/goals")
    await audited(page, console_url + "/console/leads/new")
    await page.get_by_role("button", name="Sign out").click()
    assert await serious_accessibility_issues(page) == []  # the sign-in page


async def test_ops_shows_running_deals_with_their_workflow_and_the_stuck_ones(
    page: Page, console_url: str, live_settings: Settings, output: Path
) -> None:
    admin = add_user(live_settings, Role.admin, password=PASSWORD)
    async with httpx.AsyncClient(base_url=console_url, headers=bearer(live_settings, admin)) as api:
        lead = await created(api, "/leads", topic="Lamps", last_name="Noether")
    await sign_in(page, console_url, admin.email)
    await page.get_by_role("link", name="Ops").click()
    running = page.get_by_role("region", name="Running deals")
    await expect(running.get_by_role("link", name=lead["deal_id"], exact=True)).to_be_visible()
    link = running.get_by_role("link", name=f"Temporal UI for {lead['deal_id']}")
    assert (await link.get_attribute("href") or "").endswith(
        f"/namespaces/default/workflows/{lead['deal_id']}"
    )
    assert await serious_accessibility_issues(page) == []
    await page.screenshot(path=output / "ops.png")
    await expect(page.get_by_test_id("stuck-unavailable")).to_have_count(0)
    stuck = page.get_by_role("region", name="Stuck deals")
    await expect(stuck.get_by_role("table")).to_be_visible()


async def test_the_ops_view_is_for_admins_only(
    page: Page, console_url: str, live_settings: Settings
) -> None:
    user = add_user(live_settings, Role.sales_manager, password=PASSWORD)
    await sign_in(page, console_url, user.email)
    await expect(page.get_by_role("link", name="Ops")).to_have_count(0)
    response = await page.goto(f"{console_url}/console/ops")
    assert response is not None and response.status == 403
    await expect(page.get_by_role("alert")).to_have_text("the ops view is for admins")
