"""Steps the browser tests share: signing in, as a person does."""

from playwright.async_api import Page, expect

PASSWORD = "a long test password"


async def sign_in(page: Page, base: str, email: str, password: str = PASSWORD) -> None:
    await page.goto(f"{base}/console/")
    await expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", name="Pipeline")).to_be_visible()
