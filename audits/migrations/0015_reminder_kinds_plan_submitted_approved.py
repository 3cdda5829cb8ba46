from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audits', '0014_reminder_kind_record_signed'),
    ]

    operations = [
        migrations.AlterField(
            model_name='reminderlog',
            name='kind',
            field=models.CharField(choices=[('due_soon', 'Due soon'), ('due_today', 'Due today'), ('overdue_digest', 'Weekly overdue digest'), ('report_request', 'Request to report'), ('plan_returned', 'Inspection plan returned'), ('record_signed', 'Inspection record signed'), ('plan_submitted', 'Inspection plan submitted for approval'), ('plan_approved', 'Inspection plan approved'), ('inspection_planned', 'Inspection planned (to the agency)')], max_length=20, verbose_name='kind'),
        ),
    ]
