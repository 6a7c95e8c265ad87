"""Reminders reach people: a real HTTP receiver and a real SMTP server, both on loopback."""

import asyncio
import json
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import Engine
from temporalio.client import WorkflowExecutionStatus
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment, WorkflowEnvironment
from temporalio.worker import Replayer

from activities import build_activities
from activities.notify import EmailNotifier, Notifiers, WebhookNotifier
from activities.reminders import ReminderActivities
from core.settings import Settings
from models.notification import Delivery, Notification
from tests.workflows.test_reminders import (
    DAY,
    POLICY,
    RecordingNotifier,
    eventually,
    open_lead,
    tasks,
)
from worker import build_worker
from workflows.client import Deals
from workflows.deal import DealWorkflow

NOTIFICATION = Notification(
    deal_id="deal-1",
    kind="lead_follow_up",
    subject="Follow up the lead (1 of 3)",
    owner_id=None,
    record="lead",
    record_id=None,
    due_at=datetime(2026, 11, 26, 9, tzinfo=UTC),
)


class Receiver(BaseHTTPRequestHandler):
    bodies: list[dict[str, Any]]
    status = 204

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        self.server.bodies.append(json.loads(self.rfile.read(length)))  # type: ignore[attr-defined]
        self.send_response(self.server.status)  # type: ignore[attr-defined]
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def webhook() -> Iterator[HTTPServer]:
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    server.bodies = []  # type: ignore[attr-defined]
    server.status = 204  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


def url_of(server: HTTPServer) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/hooks/dealflow"


async def test_the_webhook_receives_the_notification_as_json(webhook: HTTPServer) -> None:
    await WebhookNotifier(url_of(webhook)).send(NOTIFICATION)
    assert webhook.bodies == [NOTIFICATION.model_dump(mode="json")]  # type: ignore[attr-defined]


async def test_a_failing_webhook_raises_so_the_activity_retries(webhook: HTTPServer) -> None:
    webhook.status = 503  # type: ignore[attr-defined]
    with pytest.raises(httpx.HTTPStatusError):
        await WebhookNotifier(url_of(webhook)).send(NOTIFICATION)


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


class BusyMailbox(Mailbox):
    """An SMTP server that answers every message "try again later", counting the attempts."""

    attempts = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.attempts += 1
        return "451 try again later"


def free_port() -> int:
    with socket.socket() as probe:  # aiosmtpd cannot start on port 0
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def test_the_owner_gets_an_email_over_smtp() -> None:
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings = Settings(
            smtp_host="127.0.0.1", smtp_port=port, notify_email_to="sales@example.com"
        )
        owned = NOTIFICATION.model_copy(update={"owner_email": "owner@example.com"})
        await EmailNotifier(settings).send(owned)
        await asyncio.sleep(0.1)
    finally:
        controller.stop()
    (message,) = mailbox.messages
    assert message["To"] == "owner@example.com, sales@example.com"
    assert message["Subject"] == "[dealflow] Follow up the lead (1 of 3)"
    assert "deal-1" in message.get_payload()


def test_channels_are_on_only_when_configured(webhook: HTTPServer) -> None:
    assert Notifiers.from_settings(Settings()).channels == {}
    both = Notifiers.from_settings(
        Settings(notify_webhook_url=url_of(webhook), smtp_host="127.0.0.1")
    )
    assert {name: type(c) for name, c in both.channels.items()} == {
        "webhook": WebhookNotifier,
        "email": EmailNotifier,
    }


async def test_a_failing_smtp_server_never_posts_the_webhook_again(
    webhook: HTTPServer,
    time_skipping_server: WorkflowEnvironment,
    settings: Settings,
    engine: Engine,
) -> None:
    """A lead's follow-up, with the mail server refusing every try: the webhook gets it once
    while the email is retried on its own, and the deal goes on."""
    mailbox = BusyMailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    channels = settings.model_copy(
        update={
            "notify_webhook_url": url_of(webhook),
            "smtp_host": "127.0.0.1",
            "smtp_port": port,
            "notify_email_to": "sales@example.com",
        }
    )
    activities = build_activities(engine, Notifiers.from_settings(channels))
    deals = Deals(time_skipping_server.client, settings.task_queue, POLICY)
    try:
        async with build_worker(time_skipping_server.client, settings, activities=activities):
            deal_id = await open_lead(deals)
            await time_skipping_server.sleep(DAY + timedelta(minutes=1))
            await eventually(lambda: tasks(engine, deal_id) and mailbox.attempts >= 3)
            await time_skipping_server.sleep(timedelta(hours=1))
            await eventually(lambda: mailbox.attempts >= 5)
            handle = time_skipping_server.client.get_workflow_handle(deal_id)
            assert (await handle.describe()).status is WorkflowExecutionStatus.RUNNING
            replayer = Replayer(workflows=[DealWorkflow], data_converter=pydantic_data_converter)
            await replayer.replay_workflow(await handle.fetch_history())  # deterministic
    finally:
        controller.stop()
    (posted,) = webhook.bodies  # type: ignore[attr-defined]
    assert posted["deal_id"] == deal_id and posted["kind"] == "lead_follow_up"
    assert mailbox.messages == []


async def test_each_channel_is_delivered_alone_and_old_runs_still_reach_every_channel(
    engine: Engine,
) -> None:
    webhook, email = RecordingNotifier(), RecordingNotifier()
    reminders = ReminderActivities(engine, Notifiers({"webhook": webhook, "email": email}))
    env = ActivityEnvironment()
    assert await env.run(reminders.notification_channels) == ["webhook", "email"]

    await env.run(
        reminders.deliver_notification, Delivery(channel="email", notification=NOTIFICATION)
    )
    assert (len(webhook.sent), len(email.sent)) == (0, 1)
    with pytest.raises(ApplicationError) as refused:
        await env.run(
            reminders.deliver_notification, Delivery(channel="sms", notification=NOTIFICATION)
        )
    assert refused.value.non_retryable

    await env.run(reminders.send_notification, NOTIFICATION)  # as runs that began before
    assert (len(webhook.sent), len(email.sent)) == (1, 2)
