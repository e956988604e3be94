from django.db import migrations


def remove(apps, schema_editor):
    """Follow-ups made for meetings that were never marked held: nothing was planned on them
    yet (state open, no follow-up meeting), and marking the meeting held makes them again."""
    FollowUp = apps.get_model("followup", "FollowUp")
    FollowUp.objects.filter(state="open", follow_up_meeting__isnull=True).exclude(meeting__status="held").delete()


class Migration(migrations.Migration):

    dependencies = [
        ("followup", "0003_followup_escalated_at"),
    ]

    operations = [
        migrations.RunPython(remove, migrations.RunPython.noop),
    ]
