"""Load the TT 26/2014 Art. 36 checklist (13 items) and the default finding classifications."""

from django.db import migrations


def load(apps, schema_editor):
    from audits.checklist_data import load_reference_data

    load_reference_data(ChecklistVersion=apps.get_model("audits", "ChecklistVersion"),
                        ChecklistItem=apps.get_model("audits", "ChecklistItem"),
                        FindingClass=apps.get_model("audits", "FindingClass"))


class Migration(migrations.Migration):
    dependencies = [("audits", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
