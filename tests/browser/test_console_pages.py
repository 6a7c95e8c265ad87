"""My reminders and goals in a browser; every console page passes axe-core's audit with no
serious or critical issue."""

from datetime import UTC, datetime, timedelta
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
