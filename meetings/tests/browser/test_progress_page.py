"""A progress page follows the work in its live region, without reloading itself."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tif_portal.models import BackgroundJob

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_live_region_tells_when_the_job_is_done_and_the_page_stays_where_it_was(
    page, live_server, browser_login, anna_sundsvall, meeting_sundsvall
):
    job = BackgroundJob.objects.create(
        kind=BackgroundJob.Kind.INVITATION_LETTERS, params={"meeting_id": meeting_sundsvall.pk, "contact_ids": []},
        municipality=meeting_sundsvall.working_group.municipality, created_by=anna_sundsvall,
        state=BackgroundJob.State.RUNNING, total=50, done=0,
    )
    browser_login(page, anna_sundsvall)
    page.goto(reverse("job_detail", args=[job.pk]))
    status = page.get_by_role("status")
    expect(status).to_contain_text("0 av 50 klara")
    page.evaluate("window.stayedOnThePage = true")
    BackgroundJob.objects.filter(pk=job.pk).update(done=50, state=BackgroundJob.State.DONE)
    expect(status).to_contain_text("50 av 50 klara (100 %)", timeout=20000)
    expect(status).to_contain_text("Klart.")
    assert page.evaluate("window.stayedOnThePage") is True, "the page reloaded"
    assert page.locator("progress").evaluate("bar => bar.value") == 100
