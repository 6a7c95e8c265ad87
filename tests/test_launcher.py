"""`make run` runs in development mode with the documented local admin, unless configured, and
starts again, with backoff, a child that dies."""

import re
import sys
import time
from pathlib import Path

import pytest

from core.launcher import Backoff, Child, Supervisor, development_defaults
from core.settings import DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    for name in (
        "DEALFLOW_ENV",
        "DEALFLOW_ADMIN_EMAIL",
        "DEALFLOW_ADMIN_PASSWORD",
        "DEALFLOW_CONSOLE_SECURE_COOKIES",
        "DEALFLOW_WORKER_METRICS_PORT",
    ):
        monkeypatch.delenv(name, raising=False)


def test_make_run_defaults_to_development_with_the_documented_admin() -> None:
    assert development_defaults() == {
        "DEALFLOW_ENV": "development",
        "DEALFLOW_ADMIN_EMAIL": DEV_ADMIN_EMAIL,
        "DEALFLOW_ADMIN_PASSWORD": DEV_ADMIN_PASSWORD,
        "DEALFLOW_CONSOLE_SECURE_COOKIES": "false",
        "DEALFLOW_WORKER_METRICS_PORT": "9464",
    }


def test_a_configured_admin_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEALFLOW_ADMIN_PASSWORD", "my own long password")
    assert development_defaults() == {
        "DEALFLOW_ENV": "development",
        "DEALFLOW_ADMIN_EMAIL": DEV_ADMIN_EMAIL,
        "DEALFLOW_CONSOLE_SECURE_COOKIES": "false",
        "DEALFLOW_WORKER_METRICS_PORT": "9464",
    }


def test_production_gets_no_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("DEALFLOW_ENV=production\n")
    assert development_defaults() == {}


SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]


def supervise_until(supervisor: Supervisor, done: Child, restarts: int) -> None:
    deadline = time.monotonic() + 30
    while done.restarts < restarts:
        assert time.monotonic() < deadline, f"{done.name} started again {done.restarts} times"
        supervisor.check()
        time.sleep(0.01)


def test_a_child_that_dies_is_started_again_with_backoff_the_others_untouched(
    capsys: pytest.CaptureFixture[str],
) -> None:
    supervisor = Supervisor(Backoff(first=0.05, most=0.2, stable_after=60))
    try:
        crashing = supervisor.start("worker", [sys.executable, "-c", "raise SystemExit(3)"])
        steady = supervisor.start("api", SLEEPER)
        first_api = steady.process.pid
        supervise_until(supervisor, crashing, 4)
        assert steady.process.pid == first_api and steady.restarts == 0

        steady.process.kill()  # kill -9: started again too
        supervise_until(supervisor, steady, 1)
        assert steady.process.pid != first_api and steady.process.poll() is None
    finally:
        supervisor.stop()
    assert all(child.process.poll() is not None for child in supervisor.children)
    out = capsys.readouterr().out
    delays = re.findall(r"worker exited with 3 after [\d.]+s; starting it again in ([\d.]+)s", out)
    assert delays[:4] == ["0.05", "0.1", "0.2", "0.2"]
    assert "api exited with -9" in out and "api started again (1)" in out
    assert "dealflow: stopping api" in out


def test_a_child_that_had_stayed_up_a_while_starts_again_at_once(
    capsys: pytest.CaptureFixture[str],
) -> None:
    supervisor = Supervisor(Backoff(first=0.05, most=5, stable_after=0.2))
    try:
        child = supervisor.start("worker", [sys.executable, "-c", "import time; time.sleep(0.3)"])
        child.delay = 5  # as after many deaths in a row
        supervise_until(supervisor, child, 1)
    finally:
        supervisor.stop()
    assert "starting it again in 0.05s" in capsys.readouterr().out
