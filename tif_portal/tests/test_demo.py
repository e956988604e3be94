from django.core.management import call_command

from accounts.models import User
from meetings.models import Meeting


def test_demo_data_loads_every_role_and_can_be_loaded_again(db, capsys):
    call_command("seed_demo")
    first = (User.objects.count(), Meeting.objects.count())
    call_command("seed_demo")
    assert (User.objects.count(), Meeting.objects.count()) == first
    assert set(User.objects.values_list("role", flat=True)) >= {"admin", "county_officer", "coordinator", "instructor"}
    assert "samordnare.sundsvall@tif.example" in capsys.readouterr().out
    assert all(m.checklist.exists() for m in Meeting.objects.all())
