"""Checklist answers prefilled with the rule facts before `procedures_uncovered` existed get it from the two counts
they kept (active procedures minus those covered), so the coverage rule reads them as it read them then."""

from django.db import migrations

BATCH = 1000


def add_uncovered(apps, schema_editor):
    Answer = apps.get_model("audits", "AgencyChecklistAnswer")
    changed = []
    for answer in Answer.objects.filter(prefill__has_key="procedures_total").exclude(
            prefill__has_key="procedures_uncovered").only("pk", "prefill").iterator(chunk_size=BATCH):
        total, covered = answer.prefill.get("procedures_total"), answer.prefill.get("procedures_covered")
        answer.prefill["procedures_uncovered"] = (total or 0) - (covered or 0)
        changed.append(answer)
        if len(changed) >= BATCH:
            Answer.objects.bulk_update(changed, ["prefill"])
            changed = []
    Answer.objects.bulk_update(changed, ["prefill"])


class Migration(migrations.Migration):
    dependencies = [("audits", "0010_finding_board_index")]

    operations = [migrations.RunPython(add_uncovered, migrations.RunPython.noop, elidable=True)]
