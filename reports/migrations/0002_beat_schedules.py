"""Beat schedules of the reports, as database rows the administrator can edit (or disable) in the admin."""

from django.db import migrations

CRONTABS = [
    # name, task, (minute, hour, day_of_month, month_of_year), kwargs
    ("Nhắc hạn báo cáo định kỳ (hằng ngày)", "reports.send_reminders", ("15", "7", "*", "*"), "{}"),
    ("Lập báo cáo tổng hợp sau hạn báo cáo (hằng ngày)", "reports.generate_scheduled", ("0", "6", "*", "*"), "{}"),
    ("Tạo kỳ báo cáo của năm mới (01/01)", "reports.ensure_periods", ("30", "0", "1", "1"), "{}"),
]
INTERVALS = [
    ("Khôi phục báo cáo tổng hợp bị gián đoạn (5 phút)", "reports.requeue_stale", 5),
]


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, (minute, hour, day_of_month, month_of_year), kwargs in CRONTABS:
        schedule, _ = CrontabSchedule.objects.get_or_create(
            minute=minute, hour=hour, day_of_week="*", day_of_month=day_of_month, month_of_year=month_of_year,
            timezone="Asia/Ho_Chi_Minh")
        PeriodicTask.objects.get_or_create(task=task, defaults={"name": name, "crontab": schedule, "kwargs": kwargs})
    for name, task, minutes in INTERVALS:
        schedule, _ = IntervalSchedule.objects.get_or_create(every=minutes, period="minutes")
        PeriodicTask.objects.get_or_create(task=task, defaults={"name": name, "interval": schedule})


def remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    tasks = [task for _, task, _, _ in CRONTABS] + [task for _, task, _ in INTERVALS]
    PeriodicTask.objects.filter(task__in=tasks).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial"), ("django_celery_beat", "0019_alter_periodictasks_options")]

    operations = [migrations.RunPython(create, remove)]
