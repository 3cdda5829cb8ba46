"""Shared models: privately stored files, referenced by the apps' own records."""

import os
import uuid

from django.conf import settings
from django.db import models
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

from .generated import GeneratedDocument, Lifecycle


def _private_path(instance, filename):
    # The stored name never comes from the user: a UUID under the month folder.
    extension = os.path.splitext(filename)[1].lower()[:8]
    return f"files/{instance.uploaded_at:%Y/%m}/{uuid.uuid4().hex}{extension}"


class StoredFile(models.Model):
    """An immutable uploaded or generated file; downloads go through each app's permission-checked view."""

    file = models.FileField(_("file"), upload_to=_private_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=10)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")

    def __str__(self) -> str:
        return self.original_name

    @property
    def safe_name(self) -> str:
        return get_valid_filename(os.path.basename(self.original_name)) or f"file.{self.kind}"


class AuditEvent(models.Model):
    """One line of the audit log: who did what, when, from where. Written by the portal, never edited."""

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name=_("user"))
    username = models.CharField(_("user name"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=20, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object"), max_length=40, blank=True)
    summary = models.CharField(_("summary"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-pk"]


class JobStatus(models.TextChoices):
    """The states of a job the worker runs for one person: an import, an export."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


ImportStatus = JobStatus


class ImportJob(models.Model):
    """One import of a table (see qms_portal.imports): the rows read from the upload (within the import limits),
    whether it checks or applies them, its progress and its per-row report. Seen only by the person who made it."""

    kind = models.CharField(_("kind"), max_length=40)
    params = models.JSONField(_("parameters"), default=dict)
    file_name = models.CharField(_("file name"), max_length=255)
    rows = models.JSONField(default=list)
    apply = models.BooleanField(_("apply"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    report = models.JSONField(null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name}"

    @property
    def row_count(self) -> int:
        return max(len(self.rows) - 1, 0)


class TableWrite(models.Model):
    """A statement that wrote a watched table (`qms_portal.table_versions`), numbered from one sequence: the table's
    version is its highest number. Written by triggers only; each write removes the table's older rows."""

    version = models.BigIntegerField(primary_key=True)
    table = models.CharField(max_length=63)

    class Meta:
        db_table = "qms_portal_tablewrite"
        indexes = [models.Index(fields=["table", "version"], name="tablewrite_table_version_idx")]

    def __str__(self) -> str:
        return f"{self.table} {self.version}"


class ExportJob(GeneratedDocument):
    """A spreadsheet too big to be made in the request (see qms_portal.exports): what was asked (its kind and the
    checked filters, including the day it is as of), by whom, and the file once the worker has made it. Seen only by
    the person who asked; removed with its file after `EXPORT_KEEP_HOURS`."""

    lifecycle = Lifecycle(status="status", started="started_at", heartbeat="heartbeat_at", attempts="attempts",
                          error="error", error_length=500, finished="finished_at")

    kind = models.CharField(_("kind"), max_length=40)
    params = models.JSONField(_("parameters"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    error = models.CharField(_("error"), max_length=500, blank=True)
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("file"))
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["created_by", "kind", "status"], name="exportjob_owner_kind_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M}"
