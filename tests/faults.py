"""Real processes the fault tests start and stop themselves (never the shared services)."""

import os
import shutil
import signal
import socket
import subprocess
import sys
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
