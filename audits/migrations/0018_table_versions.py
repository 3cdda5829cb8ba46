"""Every write of these tables moves their version on (`qms_portal.table_versions`)."""

from django.db import migrations

from qms_portal.table_versions import watch


class Migration(migrations.Migration):

    dependencies = [
        ('audits', '0017_finding_responsible_agency_required'),
        ('qms_portal', '0004_table_version'),
    ]

    operations = [
        watch("audits_finding"),  # the findings board's table by agency is kept under its version
    ]
