"""PostgreSQL for tests and the bench: a throwaway cluster on loopback, and databases of their own.

Never used by the service itself: production points `DEALFLOW_DATABASE_URL` at a real server.
"""

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
from sqlalchemy import Engine, create_engine, make_url, text

HOST = "127.0.0.1"
SUPERUSER = "postgres"
START_TIMEOUT = 60.0
STOP_TIMEOUT = 30.0
# Debian and Ubuntu install each major version here, without pg_config on the PATH.
DEBIAN_BINDIRS = "/usr/lib/postgresql/*/bin"
SETTINGS = {
    # Speed over durability: the cluster is thrown away, so a crash may lose it.
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
    # Not UTC, as many servers are: dealflow must answer in UTC whatever the server's zone.
    "timezone": "America/New_York",
}


class PostgresMissing(RuntimeError):
    """No PostgreSQL server binaries (initdb, postgres) on this machine."""


def find_bindir() -> Path:
    """Where initdb and postgres are: `pg_config --bindir`, else the newest Debian-style folder."""
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        found = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        candidates.append(Path(found.stdout.strip()))
    debian = Path("/").glob(DEBIAN_BINDIRS.lstrip("/"))
    candidates += sorted(debian, key=lambda p: _major(p.parent.name), reverse=True)
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "postgres").is_file():
            return folder
    raise PostgresMissing(
        "PostgreSQL server binaries (initdb, postgres) not found: neither `pg_config --bindir` "
        f"nor {DEBIAN_BINDIRS} has them. Install the PostgreSQL server package, or point "
        "DEALFLOW_TEST_POSTGRES_URL (tests) / --postgres-url (bench) at a running server."
    )


def _major(version: str) -> int:
    return int(version) if version.isdigit() else -1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


class ThrowawayCluster:
    """initdb into a temporary folder, `postgres` on a free loopback port, all removed by stop().

    PostgreSQL refuses to run as root, so under root it runs as the `postgres` user if there is
    one, else `nobody` (the folder is theirs, outside any root-only temporary folder).
    """

    def __init__(self) -> None:
        self.bindir = find_bindir()
        user = _unprivileged_user()
        self.uid: int | None = user.pw_uid if user else None
        self.gid: int | None = user.pw_gid if user else None
        self.folder = Path(tempfile.mkdtemp(prefix="dealflow-postgres-"))
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The superuser's URL on the `postgres` database: where databases are created."""
        return f"postgresql+psycopg://{SUPERUSER}@{HOST}:{self.port}/postgres"

    def start(self, log: Path | None = None) -> "ThrowawayCluster":
        """Create the cluster and wait until it answers; `log` gets the server's output."""
        try:
            if self.uid is not None and self.gid is not None:
                os.chown(self.folder, self.uid, self.gid)
            self._run(
                "initdb", "-D", str(self.folder / "data"), "-U", SUPERUSER, "--auth=trust",
                "--encoding=UTF8", "--no-locale", "--no-sync",
            )  # fmt: skip
            with open(log or os.devnull, "wb") as output:
                self.process = subprocess.Popen(
                    self._command(),
                    stdout=output,
                    stderr=subprocess.STDOUT,
                    user=self.uid,
                    group=self.gid,
                    start_new_session=True,  # Ctrl-C reaches only our process, which stops it
                )
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _command(self) -> list[str]:
        settings = [f"--{name}={value}" for name, value in SETTINGS.items()]
        return [
            str(self.bindir / "postgres"), "-D", str(self.folder / "data"),
            "-h", HOST, "-p", str(self.port), "-k", str(self.folder), *settings,
        ]  # fmt: skip

    def stop(self) -> None:
        """Fast shutdown (open sessions are ended), then the folder goes."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _run(self, program: str, *args: str) -> None:
        done = subprocess.run(
            [str(self.bindir / program), *args],
            capture_output=True,
            text=True,
            user=self.uid,
            group=self.gid,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{program} failed ({done.returncode}):\n{done.stderr[-2000:]}")

    def _wait_until_ready(self) -> None:
        conninfo = f"host={HOST} port={self.port} user={SUPERUSER} dbname=postgres"
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if self.process is None:
                raise RuntimeError("postgres was not started")
            if self.process.poll() is not None:
                raise RuntimeError(f"postgres exited with {self.process.returncode} at start")
            try:
                psycopg.connect(conninfo, connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)


def _unprivileged_user() -> pwd.struct_passwd | None:
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise PostgresMissing("running as root, and there is no `postgres` or `nobody` user to run as")


class Databases:
    """Databases of our own on a server we may create them on (CREATEDB); dropped when done."""

    def __init__(self, server_url: str) -> None:
        self.server_url = server_url
        self._engine: Engine = create_engine(server_url, isolation_level="AUTOCOMMIT")

    def url(self, name: str) -> str:
        return make_url(self.server_url).set(database=name).render_as_string(hide_password=False)

    def create(self, prefix: str, template: str | None = None) -> str:
        """A new, uniquely named database (a copy of `template` if given); its URL."""
        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        clause = f" TEMPLATE {self._quote(template)}" if template else ""
        with self._engine.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {self._quote(name)}{clause}"))
        return self.url(name)

    def drop(self, url: str) -> None:
        """Drop the database of `url`, ending any session still connected to it."""
        name = make_url(url).database
        if not name:
            raise ValueError(f"no database named in {url}")
        with self._engine.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {self._quote(name)} WITH (FORCE)"))

    def close(self) -> None:
        self._engine.dispose()

    def _quote(self, name: str) -> str:
        return self._engine.dialect.identifier_preparer.quote(name)
