"""A whole deal in the console, by clicks only: lead → qualify → product → quote → accept →
fulfill → invoice → paid, the board and the deal page checked after each step; a refused
transition shows the API's message where it was asked; screenshots of the board and the page."""

from pathlib import Path

from playwright.async_api import Page, expect

from core.settings import Settings
from models.user import Role
from tests.auth import add_user
from tests.browser.helpers import PASSWORD, sign_in


async def on_board(page: Page, base: str, stage: str, title: str) -> None:
    """The deal's card is in `stage`'s column, and only there."""
    await page.goto(f"{base}/console/")
    column = page.locator(f'section.column[data-stage="{stage}"]')
    await expect(column.get_by_role("link", name=title)).to_be_visible()
    await expect(page.get_by_role("link", name=title)).to_have_count(1)


async def open_deal(page: Page, base: str, title: str, stage: str) -> None:
    await on_board(page, base, stage, title)
    await page.get_by_role("link", name=title).click()
    await expect(page.get_by_test_id("stage")).to_have_text(stage)


async def test_a_lead_becomes_a_paid_invoice_by_clicks(
    page: Page, console_url: str, live_settings: Settings, output: Path
) -> None:
    base = console_url
    user = add_user(live_settings, Role.salesperson, password=PASSWORD)
    await sign_in(page, base, user.email)

    await page.get_by_role("link", name="New lead").click()
    await page.get_by_label("Topic").fill("20 standing desks")
    await page.get_by_label("First name").fill("Grace")
    await page.get_by_label("Last name").fill("Hopper")
    await page.get_by_label("Company").fill("Cobol Inc")
    await page.get_by_label("Email").fill("grace@cobol.example")
    await page.get_by_role("button", name="Create lead").click()
    await expect(page.get_by_test_id("stage")).to_have_text("Qualify")
    deal_url = page.url
    # Only what the rules allow on an open lead: no quote, no payment.
    await expect(page.get_by_role("button", name="Qualify", exact=True)).to_be_visible()
    await expect(page.get_by_role("button", name="Create quote")).to_have_count(0)
    await on_board(page, base, "Qualify", "20 standing desks")

    await page.goto(deal_url)
    step = page.locator('[data-step="purchase_timeframe"]')
    await expect(step).to_contain_text("to do")
    await page.get_by_label("Estimated budget").fill("12000")
    await page.get_by_label("Purchase timeframe").select_option("this_quarter")
    await page.get_by_label("Purchase process").select_option("committee")
    await page.get_by_label("Decision maker identified").check()
    await page.get_by_role("button", name="Save lead details").click()
    await expect(step).to_contain_text("done")
    await expect(page.locator('[data-step="identify_decision_maker"]')).to_contain_text("done")
    await on_board(page, base, "Qualify", "20 standing desks")
    column = page.locator('section.column[data-stage="Qualify"]')
    await expect(column.locator('[data-figure="value"]')).to_have_text("12,000.00")

    await page.goto(deal_url)
    await page.get_by_role("button", name="Qualify", exact=True).click()
    await expect(page.get_by_test_id("stage")).to_have_text("Develop")
    await expect(page.get_by_test_id("lead-state")).to_have_text("Qualified")
    await expect(page.get_by_role("button", name="Qualify", exact=True)).to_have_count(0)
    await open_deal(page, base, "20 standing desks", "Develop")

    await page.get_by_label("Write-in description").fill("Standing desk")
    await page.get_by_label("Write-in price").fill("450")
    await page.get_by_label("Quantity").fill("20")
    await page.get_by_role("button", name="Add product").click()
    await expect(page.get_by_test_id("opportunity-total")).to_have_text("9,000.00")
    await open_deal(page, base, "20 standing desks", "Develop")

    await page.get_by_role("button", name="Create quote").click()
    await expect(page.get_by_test_id("stage")).to_have_text("Propose")
    await expect(page.get_by_test_id("quote-state")).to_have_text("Draft")
    await open_deal(page, base, "20 standing desks", "Propose")

    await page.get_by_role("button", name="Activate quote").click()
    await expect(page.get_by_test_id("stage")).to_have_text("Close")
    await expect(page.get_by_test_id("quote-state")).to_have_text("Active")
    await expect(page.get_by_role("button", name="Activate quote")).to_have_count(0)
    await open_deal(page, base, "20 standing desks", "Close")
    await page.screenshot(path=output / "deal.png")

    # A second tab still shows the active quote's Accept; once the first has accepted it, the
    # second's click is refused, and the API's 409 shows beside the button.
    stale = await page.context.new_page()
    await stale.goto(deal_url)
    await page.get_by_role("button", name="Accept quote").click()
    await expect(page.get_by_test_id("stage")).to_have_text("Fulfill")
    await expect(page.get_by_test_id("opportunity-state")).to_have_text("Won")
    await stale.get_by_role("button", name="Accept quote").click()
    refusal = stale.get_by_role("alert")
    await expect(refusal).to_contain_text("cannot accept quote")
    await expect(refusal).to_have_attribute("data-status", "409")
    await stale.close()
    await on_board(page, base, "Fulfill", "20 standing desks")
    await page.screenshot(path=output / "board.png")

    await page.goto(deal_url)
    await page.get_by_label("Fulfilment").select_option("complete")
    await page.get_by_role("button", name="Fulfill order").click()
    await expect(page.get_by_test_id("order-state")).to_have_text("Fulfilled")
    await page.get_by_role("button", name="Create invoice").click()
    await expect(page.get_by_test_id("invoice-state")).to_have_text("Active")
    await expect(page.get_by_test_id("balance-due")).to_have_text("9,000.00")
    await on_board(page, base, "Fulfill", "20 standing desks")

    await page.goto(deal_url)
    await page.get_by_label("Amount").fill("9999")
    await page.get_by_role("button", name="Record payment").click()
    await expect(page.get_by_role("alert")).to_contain_text("exceeds the balance due")
    await page.get_by_label("Amount").fill("4000")
    await page.get_by_role("button", name="Record payment").click()
    await expect(page.get_by_test_id("balance-due")).to_have_text("5,000.00")
    await page.get_by_role("button", name="Record payment").click()
    await expect(page.get_by_test_id("invoice-state")).to_have_text("Paid")
    await expect(page.get_by_test_id("stage")).to_have_text("Done")
    await expect(page.get_by_test_id("outcome")).to_have_text("Won")
    await expect(page.get_by_role("button", name="Record payment")).to_have_count(0)
    await page.goto(f"{base}/console/")
    await expect(page.get_by_role("link", name="20 standing desks")).to_have_count(0)
