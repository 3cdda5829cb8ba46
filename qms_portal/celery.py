"""Celery application. Workers write a heartbeat into the cache so /healthz can tell they are alive."""

import os

from celery import Celery, bootsteps
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qms_portal.settings.local")

app = Celery("qms_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class HeartbeatStep(bootsteps.StartStopStep):
    """Write `worker:heartbeat` into the shared cache every few seconds while the worker runs."""

    requires = {"celery.worker.components:Timer"}

    def __init__(self, worker, **kwargs):
        super().__init__(worker, **kwargs)
        self.tref = None

    def start(self, worker):
        from django.conf import settings

        from qms_portal.health import worker_heartbeat_write

        worker_heartbeat_write()
        self.tref = worker.timer.call_repeatedly(
            settings.WORKER_HEARTBEAT_SECONDS, worker_heartbeat_write, priority=10
        )

    def stop(self, worker):
        if self.tref is not None:
            self.tref.cancel()
            self.tref = None


app.steps["worker"].add(HeartbeatStep)


def _prepare_filesystem_broker() -> None:
    """The server-less broker keeps its queue in folders that must exist before anyone sends."""
    from pathlib import Path

    if app.conf.broker_url and app.conf.broker_url.startswith("filesystem://"):
        for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
            folder = (app.conf.broker_transport_options or {}).get(key)
            if folder:
                Path(folder).mkdir(parents=True, exist_ok=True)


app.on_after_configure.connect(lambda sender, **kwargs: _prepare_filesystem_broker(), weak=False)


class PublicAddressStep(bootsteps.StartStopStep):
    """A worker prints QR codes and writes e-mail links: in production it refuses to start without the portal's
    public address (an error in a step's start stops the worker; signal receivers' errors would only be logged)."""

    def start(self, worker):
        from qms_portal.public_address import require_portal_base_url

        require_portal_base_url()


app.steps["worker"].add(PublicAddressStep)


@worker_process_init.connect(weak=False)
def _freeze_loaded_objects(**kwargs) -> None:
    """Each pool process keeps what it loaded at start out of its garbage collections (`qms_portal.gc_freeze`)."""
    from qms_portal.gc_freeze import freeze_loaded_objects

    freeze_loaded_objects()
