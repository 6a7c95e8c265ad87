"""The console in a real browser: Debian's Chromium driven by Playwright for Python, against
the API app served by uvicorn on loopback, with a worker on a Temporal dev server.

Playwright never downloads a browser here (`playwright install` is not run): it launches the
system's Chromium by its path. Without it the browser tests are skipped, saying why; `make test`
installs Debian's `chromium` package first when apt is there.
"""

import os
import shutil
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from core.postgres import free_port
from core.settings import Settings

if TYPE_CHECKING:
    import uvicorn
    from playwright.async_api import Browser, Page
    from temporalio.testing import WorkflowEnvironment

CHROMIUM = os.environ.get("DEALFLOW_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# Root needs --no-sandbox; the rest keep Chromium from calling out to a network that is closed.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Screenshots and traces of a run, git-ignored.
OUTPUT = Path(__file__).resolve().parent / "output"
VIEWPORT = {"width": 1280, "height": 800}
HOST = "127.0.0.1"


@pytest.fixture(scope="session")
def chromium() -> str:
    if not Path(CHROMIUM).exists():
        pytest.skip(
            f"BROWSER TESTS SKIPPED: no Chromium at {CHROMIUM} (install Debian's `chromium` "
            "package, as `make test` does with apt as root or through sudo)"
        )
    return CHROMIUM


@pytest.fixture(scope="session")
def output() -> Path:
    OUTPUT.mkdir(exist_ok=True)
    return OUTPUT


@pytest.fixture
def live_settings(settings: Settings, dev_server: "WorkflowEnvironment") -> Settings:
    return settings.model_copy(
        update={
            "temporal_address": dev_server.client.service_client.config.target_host,
            "console_secure_cookies": False,  # plain HTTP on loopback
        }
    )


@pytest.fixture
async def console_url(
    live_settings: Settings, dev_server: "WorkflowEnvironment"
) -> AsyncIterator[str]:
    """The whole app on a free loopback port (its own thread and event loop, as uvicorn runs
    it), and a worker on this test's task queue."""
    import uvicorn

    from api.app import create_app
    from worker import build_worker

    app = create_app(live_settings)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host=HOST, port=port, log_level="warning"))
    async with build_worker(dev_server.client, live_settings):
        with _serving(server):
            yield f"http://{HOST}:{port}"


@contextmanager
def _serving(server: "uvicorn.Server") -> Iterator[None]:
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(timeout=15)


@pytest.fixture
async def browser(chromium: str) -> AsyncIterator["Browser"]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield launched
        await launched.close()


@pytest.fixture
async def page(browser: "Browser") -> AsyncIterator["Page"]:
    context = await browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
    context.set_default_timeout(20_000)
    opened = await context.new_page()
    yield opened
    await context.close()
