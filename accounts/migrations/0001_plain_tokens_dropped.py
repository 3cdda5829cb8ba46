"""API tokens moved to django-rest-knox (hashed, expiring). The old table of DRF's authtoken held every token in
plain text and never expired: it is dropped, so those tokens stop working and their secrets are gone."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("knox", "0009_extend_authtoken_field")]

    operations = [migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", reverse_sql=migrations.RunSQL.noop)]
