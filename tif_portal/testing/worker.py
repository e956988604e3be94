"""A real Celery worker for tests: a separate process group on the test database,
which a test can kill with SIGKILL and start again.

    @pytest.mark.services
    @pytest.mark.django_db(transaction=True)
    def test_...(celery_worker_process, deliver_by_smtp):
        ...
        celery_worker_process.kill()
        celery_worker_process.start()

The test process itself then queues real tasks on the broker (not eagerly).
"""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


def database_url() -> str:
    """The URL of the database the tests run on (test_<name>), for other processes."""
    db = settings.DATABASES["default"]
    if not db["ENGINE"].endswith("postgresql"):
        raise RuntimeError("A worker process needs PostgreSQL: SQLite test databases live in memory")
    user = quote(db.get("USER") or "")
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


def closed_port() -> int:
    """A local port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def celery_executable() -> str:
    candidate = Path(sys.executable).with_name("celery")
    return str(candidate if candidate.exists() else BASE_DIR / ".venv" / "bin" / "celery")


def _reset_producers(app) -> None:
    """Forget the pooled producers so the next publish uses the current broker_url.

    The pools are shared per URL (kombu keeps them globally), so they are dropped, not closed.
    """
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def broker_down():
    """Point this process's producer at a closed port, as if Redis were down.

    The shared Redis server keeps running for everyone else.
    """
    from tif_portal.celery import app

    eager, url = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager = False
    app.conf.broker_url = f"redis://127.0.0.1:{closed_port()}/0"
    _reset_producers(app)
    try:
        yield
    finally:
        app.conf.broker_url = url
        app.conf.task_always_eager = eager
        _reset_producers(app)


class WorkerProcess:
    """``celery -A tif_portal worker`` in its own process group."""

    def __init__(self, env: dict, *, concurrency: int = 2, log_dir: str | None = None, beat: bool = False):
        self.env = env
        self.concurrency = concurrency
        self.beat = beat
        self.log_dir = Path(log_dir or tempfile.mkdtemp(prefix="celery-worker-"))
        self.process: subprocess.Popen | None = None
        self.starts = 0

    @property
    def log_path(self) -> Path:
        return self.log_dir / f"worker-{self.starts}.log"

    def start(self, timeout: float = 60) -> "WorkerProcess":
        self.starts += 1
        name = f"tif-test-{uuid.uuid4().hex[:8]}@%h"
        log = self.log_path
        self.process = subprocess.Popen(
            [
                celery_executable(), "-A", "tif_portal", "worker",
                "--concurrency", str(self.concurrency), "-P", "prefork",
                "--loglevel", "INFO", "--without-gossip", "--without-mingle", "--without-heartbeat",
                "-n", name, "--logfile", str(log),
                # The periodic tasks (the outbox sweep) run inside the worker, on the real schedule.
                *(["-B", "--schedule", str(self.log_dir / "beat-schedule")] if self.beat else []),
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so kill() takes the pool children too
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the worker exited with {self.process.returncode}:\n{self.log()}")
            if log.exists() and " ready." in log.read_text(errors="replace"):
                return self
            time.sleep(0.2)
        self.kill()
        raise RuntimeError(f"the worker did not start within {timeout} s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL the whole process group: main process and pool children, no clean shutdown."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=30)
        self.process = None

    def restart(self) -> "WorkerProcess":
        self.kill()
        return self.start()


def worker_env(*, smtp_host: str, smtp_port: int, claim_seconds: int | None = 5, **extra) -> dict:
    """The worker's environment; ``claim_seconds=None`` keeps the production claim time."""
    # Without the xdist worker name: settings would move REDIS_URL to another database again.
    env = {
        **{key: value for key, value in os.environ.items() if not key.startswith("PYTEST_XDIST_")},
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "EMAIL_HOST": smtp_host,
        "EMAIL_PORT": str(smtp_port),
        "OUTBOX_RETRY_BASE_SECONDS": "1",
        "OUTBOX_TASK_SECONDS": "20",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "DJANGO_CONN_MAX_AGE": "0",
        "DJANGO_SETTINGS_MODULE": "tif_portal.settings",
        "PYTHONUNBUFFERED": "1",
    }
    if claim_seconds is not None:
        env["OUTBOX_CLAIM_SECONDS"] = str(claim_seconds)
    else:
        env.pop("OUTBOX_CLAIM_SECONDS", None)
    env.update({key: str(value) for key, value in extra.items()})
    return env


@pytest.fixture
def real_celery(settings):
    """This process publishes to the real broker; tasks no longer run eagerly here."""
    from tif_portal.celery import app

    app.conf.task_always_eager = False
    app.conf.task_eager_propagates = False
    _reset_producers(app)
    app.control.purge()  # leftovers of earlier tests in this Redis database
    yield app
    app.conf.task_always_eager = True


@pytest.fixture
def celery_worker_process(real_celery, deliver_by_smtp, settings, tmp_path):
    """A real worker (2 prefork processes) on the test database, delivering to the SMTP sink."""
    settings.OUTBOX_CLAIM_SECONDS = 5
    worker = WorkerProcess(
        worker_env(smtp_host=deliver_by_smtp.host, smtp_port=deliver_by_smtp.port), log_dir=str(tmp_path)
    )
    worker.start()
    yield worker
    worker.kill()
    real_celery.control.purge()


def wait_until(condition, *, timeout: float, interval: float = 0.5, every=None, message: str = ""):
    """Poll ``condition`` until true; ``every`` runs on each poll (e.g. the outbox sweep)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if every:
            every()
        time.sleep(interval)
    raise AssertionError((message() if callable(message) else message) or "condition not met in time")
