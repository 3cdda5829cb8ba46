"""Beat schedule of the dashboard warming, as a database row the administrator can edit (or disable)."""

from django.db import migrations

NAME = "Tính sẵn số liệu bảng điều khiển (1 phút)"
TASK = "agencies.dashboards_warm"


def create(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(task=TASK, defaults={"name": NAME, "interval": schedule})


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [("agencies", "0004_procedure_uncovered_index"),
                    ("django_celery_beat", "0019_alter_periodictasks_options")]

    operations = [migrations.RunPython(create, remove)]
