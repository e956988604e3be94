"""The yearly report to the leadership: real figures, a tagged PDF, a mail with the PDF."""

import io
from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from decals.models import DecalIssue
from followup.models import SeizureFeedback, SurveyResponse
from meetings.models import Meeting, Registration
from municipalities import plans
from municipalities.report import group_year_report
from tif_portal.models import OutboundEmail
from tif_portal.outbox import delivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_of_work(group_sundsvall, anna_sundsvall, per_police, make_meeting, make_site, make_contact, sundsvall):
    """Two held meetings this year with five people from three workplaces, one from last year."""
    this_year = timezone.localdate().year
    sites = [make_site(sundsvall) for _ in range(3)]
    people = [make_contact(sites[n % 3]) for n in range(5)]
    held = []
    for month in (2, 4):
        start = timezone.make_aware(timezone.datetime(this_year, month, 10, 18))
        meeting = make_meeting(group_sundsvall, title=f"Samverkansmöte {month}", starts_at=start, ends_at=start + timedelta(hours=2))
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)
        held.append(meeting)
    for person in people[:4]:
        Registration.objects.create(meeting=held[0], contact=person, checked_in_at=held[0].starts_at)
    Registration.objects.create(meeting=held[1], contact=people[4], checked_in_at=held[1].starts_at)
    Registration.objects.create(meeting=held[1], contact=people[0], checked_in_at=held[1].starts_at)
    Registration.objects.create(meeting=held[1], contact=make_contact(sites[0]))  # registered, never came
    DecalIssue.objects.create(meeting=held[0], site=sites[0], quantity=3, recorded_by=anna_sundsvall)
    DecalIssue.objects.create(meeting=held[1], site=sites[1], quantity=2, recorded_by=anna_sundsvall)
    old_start = timezone.make_aware(timezone.datetime(this_year - 1, 5, 5, 18))
    old = make_meeting(group_sundsvall, title="Förra året", starts_at=old_start, ends_at=old_start + timedelta(hours=2))
    Meeting.objects.filter(pk=old.pk).update(status=Meeting.Status.HELD)
    SeizureFeedback.objects.create(working_group=group_sundsvall, period_start=date(this_year, 1, 1),
                                   period_end=date(this_year, 3, 31), summary="Sju beslag av dopningsmedel.", recorded_by=per_police)
    plans.plan_item_create(kind="action", group=group_sundsvall, created_by=anna_sundsvall, what="Besök Instabox-skåpen",
                           owner=anna_sundsvall, due_date=date(this_year, 1, 15))
    plans.plan_item_create(kind="goal", group=group_sundsvall, created_by=anna_sundsvall, what="Alla ombud nås",
                           measure="Andel ombud på möte", target_value=80, target_date=date(this_year, 12, 31))
    for safety in (3, 4, 4, 5, 4):
        SurveyResponse.objects.create(meeting=held[0], phase="after", safety=safety, knows_contact=True, would_report=True)
    group_sundsvall.decision_date, group_sundsvall.decided_by = date(this_year - 1, 9, 1), "Kommunstyrelsen"
    group_sundsvall.decision_reference, group_sundsvall.leadership_email = "KS 2025/77", "ks@sundsvall.example"
    group_sundsvall.save()
    return this_year


def test_the_report_counts_the_years_meetings_participants_workplaces_and_decals(group_sundsvall, year_of_work, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        data = group_year_report(group_sundsvall, year_of_work)
    figures = data["figures"]
    assert (figures.meetings_held, figures.participants, figures.workplaces, figures.decals_issued) == (2, 5, 3, 5)
    assert [m.present for m in data["meetings"]] == [4, 2]
    assert [f.summary for f in data["feedback"]] == ["Sju beslag av dopningsmedel."]
    assert data["overdue"] == 1
    after = next(row for row in data["survey"] if row["phase"] == "after")
    assert after["n"] == 5 and after["safety"] == 4
    assert group_year_report(group_sundsvall, year_of_work - 1)["figures"].meetings_held == 1


def test_the_report_pdf_is_tagged_with_its_language_and_shows_the_figures(client, anna_sundsvall, group_sundsvall, year_of_work):
    client.force_login(anna_sundsvall)
    response = client.get(reverse("municipalities:report_pdf", args=[group_sundsvall.pk, year_of_work]))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "sv" and catalog["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in catalog
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for shown in ("Årsrapport", "Sju beslag av dopningsmedel.", "Besök Instabox", "Alla ombud nås", "Deltagare 5", "KS 2025/77"):
        assert shown in text, shown
    html = client.get(reverse("municipalities:report", args=[group_sundsvall.pk]) + f"?ar={year_of_work}").content.decode()
    assert "Arbetsplatser som nåddes" in html and "Samverkansmöte 4" in html


def test_the_report_goes_to_the_leadership_with_the_pdf_once_a_day(client, anna_sundsvall, per_police, group_sundsvall, year_of_work):
    url = reverse("municipalities:report_send", args=[group_sundsvall.pk, year_of_work])
    client.force_login(per_police)
    assert client.post(url).status_code == 403
    client.force_login(anna_sundsvall)
    client.post(url)
    client.post(url)
    assert OutboundEmail.objects.filter(purpose="leadership_report").count() == 1
    delivery.deliver_batch()
    [message] = mail.outbox
    assert message.to == ["ks@sundsvall.example"] and "KS 2025/77" in message.body
    [(name, content, mimetype)] = message.attachments
    assert mimetype == "application/pdf" and content.startswith(b"%PDF")


def test_a_year_without_meetings_has_no_report_and_others_get_404(client, bo_harnosand, group_sundsvall, year_of_work):
    client.force_login(bo_harnosand)
    assert client.get(reverse("municipalities:report", args=[group_sundsvall.pk])).status_code == 404
