from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):
    """The agency answering a finding is required (filled by 0016); the board's indexes and the closed-state
    constraint know the findings closed without corrective action."""

    dependencies = [
        ('audits', '0016_finding_responsible_agency'),
    ]

    operations = [
        migrations.AlterField(
            model_name='finding',
            name='responsible_agency',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='findings_to_answer', to='agencies.agency', verbose_name='agency answering'),
        ),
        migrations.RemoveConstraint(
            model_name='finding',
            name='finding_closed_iff_accepted',
        ),
        migrations.RemoveIndex(
            model_name='finding',
            name='finding_active_due_idx',
        ),
        migrations.RemoveIndex(
            model_name='finding',
            name='finding_board_idx',
        ),
        migrations.AddIndex(
            model_name='finding',
            index=models.Index(fields=['responsible_agency', 'status'], name='finding_responsible_idx'),
        ),
        migrations.AddIndex(
            model_name='finding',
            index=models.Index(condition=models.Q(models.Q(('status', 'accepted'), _negated=True), models.Q(('status', 'withdrawn'), _negated=True), ('record_signed', True)), fields=['due_on'], name='finding_active_due_idx'),
        ),
        migrations.AddIndex(
            model_name='finding',
            index=models.Index(condition=models.Q(models.Q(('status', 'accepted'), _negated=True), models.Q(('status', 'withdrawn'), _negated=True), ('due_on__isnull', False), ('record_signed', True)), fields=['responsible_agency', 'province'], include=('status', 'due_on', 'closed_on', 'record_signed'), name='finding_board_idx'),
        ),
        migrations.AddConstraint(
            model_name='finding',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('closed_on__isnull', False), ('status__in', ['accepted', 'withdrawn'])), models.Q(models.Q(('status__in', ['accepted', 'withdrawn']), _negated=True), ('closed_on__isnull', True)), _connector='OR'), name='finding_closed_iff_closed_state'),
        ),
        ]
