"""In production every line is a JSON object, the standard library's too, carrying what the
code bound for the work at hand (a transition's deal, action and user)."""

import json
import logging

import pytest
import structlog

from core.logging import configure_logging
from core.settings import Settings


def test_every_line_is_json_with_the_transitions_context(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging(Settings(log_json=True))
    try:
        with structlog.contextvars.bound_contextvars(deal_id="deal-1", action="qualify", user="u"):
            structlog.get_logger().info("transition", stage="Develop")
            logging.getLogger("temporalio.activity").warning("retrying")
        captured = capsys.readouterr()
        lines = [json.loads(line) for line in (captured.out + captured.err).splitlines()]
    finally:
        configure_logging(Settings())
    assert [line["event"] for line in lines] == ["transition", "retrying"]
    for line in lines:
        assert (line["deal_id"], line["action"], line["user"]) == ("deal-1", "qualify", "u")
    assert lines[1]["logger"] == "temporalio.activity" and lines[1]["level"] == "warning"
