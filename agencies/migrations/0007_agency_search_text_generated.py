"""An agency's search text is computed by the database (a stored generated column over an IMMUTABLE SQL function
equal to `qms_portal.text.fold`), so every save path keeps it: the service, the API, the admin, imports,
bulk_create, bulk_update and queryset.update(). Existing rows get it when the column is added."""

from django.db import migrations, models

import agencies.models.organisations
from qms_portal.text import fold_sql_function


class Migration(migrations.Migration):

    dependencies = [
        ('agencies', '0006_qms_models_to_qms_app'),
    ]

    operations = [
        migrations.RunSQL(fold_sql_function(), reverse_sql="DROP FUNCTION IF EXISTS qms_fold(text);"),
        migrations.RemoveField(model_name='agency', name='search_text'),
        migrations.AddField(
            model_name='agency',
            name='search_text',
            field=models.GeneratedField(
                db_index=True, db_persist=True,
                expression=agencies.models.organisations.SearchText('name', 'short_code'),
                output_field=models.CharField(max_length=300)),
        ),
    ]
