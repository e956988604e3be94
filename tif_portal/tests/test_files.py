"""Files that name people live in a private storage reached only through a scoped view; public
pictures (logos, knowledge pages) are served to anyone, in production too."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import override_settings
from django.urls import reverse

from tif_portal.storage import private_storage

pytestmark = pytest.mark.django_db


def test_a_finished_letter_file_is_in_the_private_storage_and_no_media_address_reaches_it(client, job_harnosand, bo_harnosand):
    name = job_harnosand.result.name
    assert private_storage.exists(name) and not default_storage.exists(name)
    assert client.get(f"/media/{name}").status_code == 404
    client.force_login(bo_harnosand)
    assert client.get(reverse("job_download", args=[job_harnosand.pk])).status_code == 200


def test_an_instructor_of_the_municipality_gets_no_letter_file(client, job_harnosand, tove_customs):
    client.force_login(tove_customs)
    assert client.get(reverse("job_download", args=[job_harnosand.pk])).status_code == 403
    assert client.get(reverse("job_detail", args=[job_harnosand.pk])).status_code == 403


@override_settings(DEBUG=False)
def test_public_pictures_are_served_in_production_and_nothing_else_under_media(client):
    default_storage.save("logos/2281-abc.png", ContentFile(b"\x89PNG logo"))
    default_storage.save("jobs/old-letters.pdf", ContentFile(b"%PDF-1.7 letters"))
    response = client.get("/media/logos/2281-abc.png")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"\x89PNG logo"
    assert response["Content-Type"] == "image/png" and "max-age" in response["Cache-Control"]
    assert client.get("/media/jobs/old-letters.pdf").status_code == 404, "only the public folders are served"
    assert client.get("/media/logos/../jobs/old-letters.pdf").status_code == 404
    assert client.get("/media/logos/none.png").status_code == 404


def test_moving_to_the_private_storage_takes_old_letter_files_out_of_the_media_folder(job_harnosand):
    import importlib

    from django.apps import apps

    name = "jobs/left-behind.pdf"
    default_storage.save(name, ContentFile(b"%PDF-1.7 old"))
    type(job_harnosand).objects.filter(pk=job_harnosand.pk).update(result=name)
    migration = importlib.import_module("tif_portal.migrations.0003_job_results_in_private_storage")
    migration.move_results_to_private_storage(apps, None)
    assert not default_storage.exists(name)
    with private_storage.open(name, "rb") as moved:
        assert moved.read() == b"%PDF-1.7 old"
