"""Beat schedule of the export jobs' tidying (lost jobs sent again, old ones removed with their files), as a database
row the administrator can edit in the admin."""

from django.db import migrations

TASK = "qms_portal.exports_tidy"
NAME = "Dọn các tệp xuất Excel (15 phút một lần)"


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="*/15", hour="*", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Ho_Chi_Minh")
    PeriodicTask.objects.get_or_create(task=TASK, defaults={"name": NAME, "crontab": schedule, "kwargs": "{}"})


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [("qms_portal", "0005_export_job"), ("django_celery_beat", "0019_alter_periodictasks_options")]

    operations = [migrations.RunPython(create, remove)]
