"""Signing in and out of the console in a browser, with the API's accounts."""

from playwright.async_api import Page, expect

from core.settings import Settings
from models.user import Role
from tests.auth import add_user
from tests.browser.helpers import PASSWORD, sign_in


async def test_a_salesperson_signs_in_with_their_password_and_out_again(
    page: Page, console_url: str, live_settings: Settings
) -> None:
    user = add_user(live_settings, Role.salesperson, password=PASSWORD)
    await page.goto(f"{console_url}/console/")
    await page.get_by_label("Email").fill(user.email)
    await page.get_by_label("Password").fill("not the password")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("alert")).to_have_text("Wrong email or password.")

    await sign_in(page, console_url, user.email)
    cookies = {c["name"]: c for c in await page.context.cookies()}
    session = cookies["dealflow_session"]
    assert session["httpOnly"] and session["sameSite"] == "Lax"
    await expect(page.locator("section.column h2")).to_have_text(
        ["Qualify", "Develop", "Propose", "Close", "Fulfill"]
    )

    await page.get_by_role("button", name="Sign out").click()
    await expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    await page.goto(f"{console_url}/console/")
    await expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


async def test_signing_in_and_opening_a_page_work_from_the_keyboard_alone(
    page: Page, console_url: str, live_settings: Settings
) -> None:
    user = add_user(live_settings, Role.salesperson, password=PASSWORD)
    await page.goto(f"{console_url}/console/")
    await page.keyboard.press("Tab")
    await expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    await page.keyboard.press("Tab")
    await expect(page.get_by_label("Email")).to_be_focused()
    await page.keyboard.type(user.email)
    await page.keyboard.press("Tab")
    await page.keyboard.type(PASSWORD)
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", name="Pipeline")).to_be_visible()
    for _ in range(4):  # the skip link, then the console's navigation: Pipeline, New lead, ...
        await page.keyboard.press("Tab")
    await expect(page.get_by_role("link", name="My reminders")).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", name="My reminders")).to_be_visible()
