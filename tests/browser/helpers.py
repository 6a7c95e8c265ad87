"""Steps the browser tests share: signing in as a person does, and the accessibility audit."""

from pathlib import Path

import axe_playwright_python
from playwright.async_api import Page, expect

PASSWORD = "a long test password"


async def sign_in(page: Page, base: str, email: str, password: str = PASSWORD) -> None:
    await page.goto(f"{base}/console/")
    await expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", name="Pipeline")).to_be_visible()


AXE = Path(axe_playwright_python.__file__).parent / "axe.min.js"
SERIOUS = ("serious", "critical")


async def serious_accessibility_issues(page: Page) -> list[str]:
    """axe-core's audit of the page as shown (WCAG 2 A and AA rules): its serious and critical
    violations, each with the elements it found."""
    await page.add_script_tag(content=AXE.read_text())
    results = await page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', "
        "'best-practice']}})"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in results["violations"]
        if v["impact"] in SERIOUS
    ]
