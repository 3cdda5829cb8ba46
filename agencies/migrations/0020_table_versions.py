"""Every write of these tables moves their version on (`qms_portal.table_versions`)."""

from django.db import migrations

from qms_portal.table_versions import watch


class Migration(migrations.Migration):

    dependencies = [
        ('agencies', '0019_unused_indexes'),
        ('qms_portal', '0004_table_version'),
    ]

    operations = [
        watch("agencies_agency"),  # the names of the findings board's table by agency
        watch("agencies_province"),  # the names of the findings board's table by agency
    ]
