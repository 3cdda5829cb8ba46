"""The QMS file's tables renamed from agencies_* to qms_* (with the many-to-many table of `also_covers`), and
their content types moved to the `qms` app so that permissions and admin log entries follow them."""

from django.db import migrations

MODELS = [
    "internalaudit",
    "historicalprocedure",
    "historicalqmsrecord",
    "qmsrecord",
    "qmsdocument",
    "managementreview",
    "legalupdate",
    "internalcorrectiveaction",
    "improvement",
    "historicaltraining",
    "historicalqmsrecord_also_covers",
    "historicalqmsdocument",
    "historicalmanagementreview",
    "historicallegalupdate",
    "historicalinternalcorrectiveaction",
    "historicalinternalaudit",
    "historicalimprovement",
    "historicalcomplaint",
    "historicalannouncement",
    "complaint",
    "announcement",
    "training",
    "procedure",
]


def content_types_move(apps, schema_editor, *, old="agencies", new="qms"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def content_types_back(apps, schema_editor):
    content_types_move(apps, schema_editor, old="qms", new="agencies")


class Migration(migrations.Migration):
    dependencies = [("qms", "0001_initial"), ("contenttypes", "0002_remove_content_type_name")]

    operations = [
        migrations.AlterModelTable(name="internalaudit", table=None),
        migrations.AlterModelTable(name="historicalprocedure", table=None),
        migrations.AlterModelTable(name="historicalqmsrecord", table=None),
        migrations.AlterModelTable(name="qmsrecord", table=None),
        migrations.AlterModelTable(name="qmsdocument", table=None),
        migrations.AlterModelTable(name="managementreview", table=None),
        migrations.AlterModelTable(name="legalupdate", table=None),
        migrations.AlterModelTable(name="internalcorrectiveaction", table=None),
        migrations.AlterModelTable(name="improvement", table=None),
        migrations.AlterModelTable(name="historicaltraining", table=None),
        migrations.AlterModelTable(name="historicalqmsrecord_also_covers", table=None),
        migrations.AlterModelTable(name="historicalqmsdocument", table=None),
        migrations.AlterModelTable(name="historicalmanagementreview", table=None),
        migrations.AlterModelTable(name="historicallegalupdate", table=None),
        migrations.AlterModelTable(name="historicalinternalcorrectiveaction", table=None),
        migrations.AlterModelTable(name="historicalinternalaudit", table=None),
        migrations.AlterModelTable(name="historicalimprovement", table=None),
        migrations.AlterModelTable(name="historicalcomplaint", table=None),
        migrations.AlterModelTable(name="historicalannouncement", table=None),
        migrations.AlterModelTable(name="complaint", table=None),
        migrations.AlterModelTable(name="announcement", table=None),
        migrations.AlterModelTable(name="training", table=None),
        migrations.AlterModelTable(name="procedure", table=None),
        migrations.RunPython(content_types_move, content_types_back),
    ]
