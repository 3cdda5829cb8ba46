"""The production WSGI module (`qms_portal.wsgi`: its start-up checks and `gc_freeze`) under the bench settings."""

import os

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

from qms_portal.wsgi import application  # noqa: E402

__all__ = ["application"]
