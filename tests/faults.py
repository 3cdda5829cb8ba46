"""Real processes the fault tests start and stop themselves (never the shared services)."""

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.conftest import require_services

PROJECT_DIR = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    """A throw-away redis-server on its own port, which a test may stop and start again."""

    def __init__(self):
        if not shutil.which("redis-server"):
            require_services("redis-server is not installed")
        self.port = free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


def _postgres_bindir() -> Path | None:
    """The newest /usr/lib/postgresql/<version>/bin holding initdb and pg_ctl (Debian layout), else PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda path: int(Path(path).parts[-3]) if Path(path).parts[-3].isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb and shutil.which("pg_ctl") else None


class PrivatePostgres:
    """A throw-away PostgreSQL cluster in a temporary directory, on its own port and socket directory, which a
    test may restart for real (`pg_ctl restart -m fast`). Run as the `postgres` OS user when we are root
    (initdb refuses root, and CI runs as root)."""

    def __init__(self):
        self.bindir = _postgres_bindir()
        if self.bindir is None:
            require_services("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
        if os.geteuid() == 0 and not shutil.which("runuser"):
            require_services("running initdb as root needs runuser to switch to the postgres user")
        self.port = free_port()
        self.root: Path | None = None

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def log_path(self) -> Path:
        return self.root / "postgresql.log"

    def _run(self, program: str, *args: str, timeout: float = 90) -> None:
        command = [str(self.bindir / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=self.root)
        if result.returncode != 0:
            raise RuntimeError(f"{program} {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n"
                               f"{result.stderr}\n{self.log_tail()}")

    def _pg_ctl(self, action: str, *extra: str) -> None:
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c full_page_writes=off -c synchronous_commit=off")
        self._run("pg_ctl", action, "-D", str(self.data_dir), "-l", str(self.log_path), "-w", "-t", "60",
                  "-o", options, *extra)

    def start(self):
        if self.root is None:
            self.root = Path(tempfile.mkdtemp(prefix="qms-pg-"))
            if os.geteuid() == 0:
                shutil.chown(self.root, "postgres", "postgres")
            self._run("initdb", "-D", str(self.data_dir), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                      "--no-locale", "--no-sync")
        self._pg_ctl("start")
        return self

    def restart(self) -> None:
        """A real restart: every backend ends, the postmaster stops and starts again on the same port."""
        self._pg_ctl("restart", "-m", "fast")

    def stop(self) -> None:
        """Stop the server (immediately) and remove its directory."""
        if self.root is None:
            return
        try:
            if (self.data_dir / "postmaster.pid").exists():
                try:
                    self._run("pg_ctl", "stop", "-D", str(self.data_dir), "-m", "immediate", "-w", "-t", "30",
                              timeout=60)
                except (RuntimeError, subprocess.TimeoutExpired):
                    self._kill_postmaster()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None

    def _kill_postmaster(self) -> None:
        try:
            pid = int((self.data_dir / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except (OSError, TypeError):
            return ""


class WorkerProcess:
    """A real `celery -A qms_portal worker --pool=solo` process which a test may SIGKILL and start again.

    `env` is added to this process's environment (DATABASE_URL, REDIS_URL, DJANGO_SETTINGS_MODULE...).
    `cache` is where the worker's heartbeat appears once it runs (the Django default cache unless given).
    """

    def __init__(self, *, env: dict, log_path: Path, cache=None):
        self.env = {**os.environ, **env}
        self.log_path = Path(log_path)
        self.cache = cache
        self.process: subprocess.Popen | None = None
        self._log = None
        self._started = False

    @property
    def pid(self) -> int:
        return self.process.pid

    def _cache(self):
        if self.cache is None:
            from django.core.cache import cache

            return cache
        return self.cache

    def start(self, timeout: float = 90):
        """Start a fresh worker and wait for its first heartbeat (written when it starts consuming)."""
        from qms_portal.health import HEARTBEAT_KEY

        assert self.process is None, "this worker is already running"
        self._cache().delete(HEARTBEAT_KEY)  # a heartbeat left by a killed worker must not count
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("ab" if self._started else "wb")  # a restart adds to the same log
        self._started = True
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "qms_portal", "worker", "--pool=solo", "--loglevel=info",
             "--without-gossip", "--without-mingle"],
            env=self.env, stdout=self._log, stderr=subprocess.STDOUT, cwd=PROJECT_DIR)
        deadline = time.monotonic() + timeout
        while self._cache().get(HEARTBEAT_KEY) is None:
            if self.process.poll() is not None or time.monotonic() > deadline:
                tail = self.log_tail()
                self.stop()
                pytest.fail("the Celery worker did not start:\n" + tail)
            time.sleep(0.2)
        return self

    def kill(self) -> None:
        """SIGKILL: no shutdown, no acknowledgement, no rollback by the worker itself."""
        if self.process is not None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
            self._closed()

    def stop(self, timeout: float = 20) -> None:
        """A warm shutdown (SIGTERM), then SIGKILL if it does not end in time."""
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)
            self._closed()

    def _closed(self) -> None:
        self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""
