"""Beat schedules for the finding reminders, as database rows the administrator can edit in the admin."""

from django.db import migrations

SCHEDULES = [
    # name, task, crontab (minute, hour, day_of_week), kwargs
    ("Nhắc hạn khắc phục tồn tại (hằng ngày)", "audits.send_due_reminders", ("0", "7", "*"), "{}"),
    ("Tổng hợp tồn tại quá hạn (hằng tuần)", "audits.send_overdue_digest", ("30", "7", "1"), "{}"),
]


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, (minute, hour, day_of_week), kwargs in SCHEDULES:
        schedule, _ = CrontabSchedule.objects.get_or_create(
            minute=minute, hour=hour, day_of_week=day_of_week, day_of_month="*", month_of_year="*",
            timezone="Asia/Ho_Chi_Minh")
        PeriodicTask.objects.get_or_create(task=task, defaults={"name": name, "crontab": schedule, "kwargs": kwargs})


def remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task__in=[task for _, task, _, _ in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("audits", "0002_checklist_tt26_and_finding_classes"),
                    ("django_celery_beat", "0019_alter_periodictasks_options")]

    operations = [migrations.RunPython(create, remove)]
