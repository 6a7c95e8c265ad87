"""The `dealflow` command line through Typer's test runner, against the API served over real
HTTP (uvicorn in a thread) in front of a worker on a real dev server."""

import asyncio
import json
import socket
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager

import httpx
import pytest
import uvicorn
from temporalio.testing import WorkflowEnvironment
from typer.testing import CliRunner, Result

from api.app import create_app
from cli.main import app as cli
from core.settings import Settings
from models.user import Role
from tests.api.deals import new_lead
from tests.auth import add_user, bearer
from worker import build_worker


@contextmanager
def served(settings: Settings) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        threading.Event().wait(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture
async def cli_env(
    settings: Settings, dev_server: WorkflowEnvironment
) -> AsyncIterator[tuple[dict[str, str], httpx.AsyncClient]]:
    settings = settings.model_copy(
        update={"temporal_address": dev_server.client.service_client.config.target_host}
    )
    admin = add_user(settings, Role.admin)
    token = bearer(settings, admin)["Authorization"].removeprefix("Bearer ")
    async with build_worker(dev_server.client, settings):
        with served(settings) as url:
            async with httpx.AsyncClient(base_url=url, headers=bearer(settings, admin)) as api:
                yield {"DEALFLOW_API_URL": url, "DEALFLOW_TOKEN": token}, api


async def dealflow(env: dict[str, str], *args: str) -> Result:
    """The runner blocks: off the event loop, where the worker runs."""
    return await asyncio.to_thread(CliRunner().invoke, cli, list(args), env=env)


async def test_deals_deal_and_terminate_from_the_command_line(
    cli_env: tuple[dict[str, str], httpx.AsyncClient],
) -> None:
    env, api = cli_env
    lead = await new_lead(api, source="cli-test")
    deal_id = lead["deal_id"]

    async def listed() -> list[dict]:
        for _ in range(100):
            result = await dealflow(env, "deals", "--source", "cli-test", "--json")
            assert result.exit_code == 0, result.output
            if found := json.loads(result.output):
                return found
            await asyncio.sleep(0.1)
        raise AssertionError("never listed")

    assert [d["deal_id"] for d in await listed()] == [deal_id]
    table = await dealflow(env, "deals", "--source", "cli-test")
    assert (
        "DEAL_ID" in table.output and deal_id in table.output and "1 of 1 deal(s)" in table.output
    )

    shown = await dealflow(env, "deal", deal_id)
    assert shown.exit_code == 0, shown.output
    assert "stage Qualify" in shown.output and "create_lead" in shown.output
    assert "lead_follow_up" in shown.output  # its timer

    stuck = await dealflow(env, "stuck", "--json")
    assert stuck.exit_code == 0 and isinstance(json.loads(stuck.output), list)

    ended = await dealflow(env, "terminate", deal_id, "--reason", "opened twice")
    assert ended.exit_code == 0, ended.output
    assert "recorded: opened twice" in ended.output
    again = await dealflow(env, "retry", deal_id, "--reason", "no")
    assert again.exit_code == 1 and "409" in again.output

    nobody = await dealflow(
        {"DEALFLOW_API_URL": env["DEALFLOW_API_URL"], "DEALFLOW_CLI_CONFIG": "/nonexistent/x"},
        "stuck",
    )
    assert nobody.exit_code != 0 and "no credentials" in nobody.output
