"""The findings board's tables are kept under the versions of every table they show (`audits.views.BOARD_TABLES`)."""

from django.db import migrations

from qms_portal.table_versions import watch


class Migration(migrations.Migration):

    dependencies = [
        ('audits', '0018_table_versions'),
    ]

    operations = [
        watch("audits_findingclass"),
        watch("audits_inspectionrecord"),
    ]
