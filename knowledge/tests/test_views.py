import io
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.urls import reverse

from accounts.models import User
from knowledge.models import AccessibilityReport, Page, PageImage
from municipalities.models import Membership
from tif_portal.testing.queries import assert_queries_do_not_grow

PAGE_SLUGS = [
    "om-metoden",
    "illegala-varor",
    "informationsdelning",
    "kontakta-polis-och-tull",
    "hotfulla-kunder",
    "efter-ett-beslag",
]


def _english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})


def _links(html):
    return re.findall(r'href="([^"]+)"', html)


@pytest.mark.django_db
def test_every_knowledge_page_is_linked_from_the_start_page_and_opens_without_login(client):
    start = client.get(reverse("home")).content.decode()
    for slug in PAGE_SLUGS:
        url = reverse("knowledge:page_detail", args=[slug])
        assert url in _links(start)
        response = client.get(url)
        assert response.status_code == 200
    assert reverse("knowledge:page_list") in _links(start)


@pytest.mark.django_db
def test_the_pages_cover_what_staff_need_to_know(client):
    text = " ".join(client.get(reverse("knowledge:page_detail", args=[slug])).content.decode() for slug in PAGE_SLUGS)
    for needle in [
        "114 14",
        "112",
        "Tullverket",
        "2 januari 2023",
        "dopningsmedel",
        "vapendelar",
        "id-handlingar",
        "sprängämnen",
        "påverkade",
    ]:
        assert needle.lower() in text.lower(), needle


@pytest.mark.django_db
def test_pages_show_the_english_text_when_the_interface_is_english(client):
    _english(client)
    start = client.get(reverse("home")).content.decode()
    assert "Illegal goods in the parcel flow" in start
    page = client.get(reverse("knowledge:page_detail", args=["informationsdelning"])).content.decode()
    assert "on your own initiative" in page and "på eget initiativ" not in page
    assert '<html lang="en">' in page


@pytest.mark.django_db
def test_the_main_menu_links_the_knowledge_pages_for_everyone(client, anna_sundsvall):
    assert reverse("knowledge:page_list") in _links(client.get(reverse("knowledge:privacy_notice")).content.decode())
    client.force_login(anna_sundsvall)
    assert reverse("knowledge:page_list") in _links(client.get(reverse("home")).content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name",
    ["home", "knowledge:page_list", "knowledge:privacy_notice", "knowledge:accessibility_statement", "contact:my_page"],
)
def test_every_page_footer_links_the_accessibility_statement_and_privacy_notice(client, url_name):
    html = client.get(reverse(url_name)).content.decode()
    footer = html.split("<footer", 1)[1]
    assert reverse("knowledge:accessibility_statement") in footer
    assert reverse("knowledge:privacy_notice") in footer


@pytest.mark.django_db
def test_search_finds_pages_in_either_language(client):
    html = client.get(reverse("knowledge:page_search"), {"q": "dopning"}).content.decode()
    assert reverse("knowledge:page_detail", args=["illegala-varor"]) in html
    html = client.get(reverse("knowledge:page_search"), {"q": "counterfeit identity"}).content.decode()
    assert reverse("knowledge:page_detail", args=["illegala-varor"]) in html
    html = client.get(reverse("knowledge:page_search"), {"q": "zzzzqqq"}).content.decode()
    assert "0 sidor" in html


@pytest.mark.django_db
def test_search_finds_swedish_inflections_ranks_them_and_shows_an_excerpt_with_the_words_marked(client):
    html = client.get(reverse("knowledge:page_search"), {"q": "beslagen"}).content.decode()
    assert reverse("knowledge:page_detail", args=["efter-ett-beslag"]) in html
    excerpts = re.findall(r'<p class="mb-0 small search-excerpt">(.*?)</p>', html, re.S)
    assert excerpts and all("<mark>" in e for e in excerpts) and "<mark>beslag" in html.lower()
    assert "<p>" not in "".join(excerpts) and "&lt;p&gt;" not in "".join(excerpts), "the excerpt is text, not the page's HTML"


@pytest.mark.django_db
def test_search_shows_no_draft_to_a_visitor():
    from knowledge import search
    from knowledge.models import Page

    Page.objects.create(slug="utkast", title_sv="Utkast om beslagen", body_sv="<p>Beslagen</p>", published=False)
    assert not search.pages_search(Page.objects.visible_to(AnonymousUser()), "beslagen", "sv").filter(slug="utkast")


@pytest.mark.django_db
def test_the_simple_search_without_postgresql_takes_swedish_endings_off_and_marks_an_excerpt():
    from knowledge import search
    from knowledge.models import Page

    found = list(search._simple(Page.objects.all(), "beslagen"))
    page = next(p for p in found if p.slug == "efter-ett-beslag")
    excerpt = search._simple_excerpt(page, "beslagen")
    assert search.START + "beslag" in excerpt.lower() or search.START + "Beslag" in excerpt
    assert search._stem("paketen") == "paket" and search._stem("ombud") == "ombud"


def _edit(client, page, **changes):
    data = {
        f: getattr(page, f)
        for f in ["title_sv", "title_en", "summary_sv", "summary_en", "body_sv", "body_en", "slug", "position"]
    }
    data["published"] = "on"
    data.update(changes)
    return client.post(reverse("knowledge:page_update", args=[page.slug]), data)


@pytest.mark.django_db
def test_editing_keeps_every_version_with_who_and_when(client, karin_county):
    page = Page.objects.get(slug="om-metoden")
    client.force_login(karin_county)
    assert _edit(client, page, body_sv="<p>Version två</p>").status_code == 302
    assert _edit(client, page, body_sv="<p>Version tre</p>").status_code == 302
    versions = list(page.history.order_by("history_date"))
    assert len(versions) == 3
    assert [v.history_user for v in versions[1:]] == [karin_county, karin_county]
    history = client.get(reverse("knowledge:page_history", args=[page.slug])).content.decode()
    assert "Karin Nordlund" in history
    old = client.get(reverse("knowledge:page_version", args=[page.slug, versions[1].history_id])).content.decode()
    assert "Version två" in old
    first = client.get(reverse("knowledge:page_version", args=[page.slug, versions[0].history_id])).content.decode()
    assert "Länsstyrelsen Västernorrland" in first
    assert "Version tre" in client.get(page.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_a_script_injection_is_stored_and_shown_harmlessly(client, admin_user):
    page = Page.objects.get(slug="om-metoden")
    client.force_login(admin_user)
    attack = (
        '<p>Hej<script>alert(1)</script></p><img src="/x.png" alt="x" onerror="alert(2)">'
        '<a href="javascript:alert(3)">klicka</a><p onclick="alert(4)">text</p><iframe src="https://evil.example"></iframe>'
    )
    assert _edit(client, page, body_sv=attack).status_code == 302
    page.refresh_from_db()
    for stored in (page.body_sv, page.history.latest().body_sv):
        assert "<script" not in stored and "onerror" not in stored and "javascript:" not in stored
        assert "onclick" not in stored and "iframe" not in stored
    assert "Hej" in page.body_sv and '<img src="/x.png" alt="x">' in page.body_sv
    html = client.get(page.get_absolute_url()).content.decode()
    assert "alert(" not in html and "javascript:" not in html


@pytest.mark.django_db
def test_unsafe_markup_written_past_the_editor_is_still_shown_harmlessly(client):
    Page.objects.filter(slug="om-metoden").update(
        body_sv="<p>ok</p><script>alert(1)</script><img src=x onerror=alert(2) alt=y>"
    )
    html = client.get(reverse("knowledge:page_detail", args=["om-metoden"])).content.decode()
    assert "alert(" not in html


@pytest.mark.django_db
def test_an_image_without_alt_text_is_rejected(client, karin_county):
    page = Page.objects.get(slug="om-metoden")
    client.force_login(karin_county)
    response = _edit(client, page, body_sv='<p>Bild</p><img src="/media/knowledge/a.png">')
    assert response.status_code == 200
    assert "alternativtext" in response.content.decode()
    response = _edit(client, page, body_en='<img src="/media/knowledge/a.png" alt="  ">')
    assert response.status_code == 200


@pytest.mark.django_db
def test_an_uploaded_image_needs_alt_text(client, karin_county, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    png = buffer.getvalue()
    client.force_login(karin_county)
    url = reverse("knowledge:image_list")
    response = client.post(url, {"image": SimpleUploadedFile("a.png", png, "image/png"), "alt_sv": " "})
    assert response.status_code == 200 and "alternativtext" in response.content.decode()
    response = client.post(url, {"image": SimpleUploadedFile("a.png", png, "image/png"), "alt_sv": "Ett paket"})
    assert response.status_code == 302
    assert 'alt="Ett paket"' in client.get(url).content.decode().replace("&quot;", '"')


@pytest.mark.django_db
def test_only_county_officers_and_administrators_edit_pages(client, anna_sundsvall, per_police):
    url = reverse("knowledge:page_update", args=["om-metoden"])
    assert client.get(url).status_code == 302  # to the login page
    for person in (anna_sundsvall, per_police):
        client.force_login(person)
        assert client.get(url).status_code == 403
        assert client.get(reverse("knowledge:page_history", args=["om-metoden"])).status_code == 403


@pytest.mark.django_db
def test_the_contact_sheet_shows_only_published_members(client, anna_sundsvall, per_police, group_sundsvall):
    per_police.phone = "010-123 45 67"
    per_police.save()
    url = reverse("knowledge:contact_sheet", args=[group_sundsvall.pk])
    assert "Per Ström" not in client.get(url).content.decode()
    client.force_login(anna_sundsvall)
    police = Membership.objects.get(user=per_police)
    response = client.post(
        reverse("knowledge:contact_sheet_choose", args=[group_sundsvall.pk]), {"members": [police.pk]}
    )
    assert response.status_code == 302
    client.logout()
    html = client.get(url).content.decode()
    assert "Per Ström" in html and "010-123 45 67" in html and "per@polisen.example" in html
    assert "Anna Åkesson" not in html
    assert police.history.count() == 2
    client.force_login(anna_sundsvall)
    client.post(reverse("knowledge:contact_sheet_choose", args=[group_sundsvall.pk]), {})
    assert "Per Ström" not in client.get(url).content.decode()


@pytest.mark.django_db
def test_the_contact_sheet_prints_as_a_pdf(client, per_police, group_sundsvall):
    import io

    from pypdf import PdfReader

    Membership.objects.filter(user=per_police).update(publish_contact=True)
    response = client.get(reverse("knowledge:contact_sheet_pdf", args=[group_sundsvall.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Per Ström" in text and "114 14" in text


@pytest.mark.django_db
def test_instructors_cannot_choose_who_is_published(client, per_police, group_sundsvall):
    client.force_login(per_police)
    assert client.get(reverse("knowledge:contact_sheet_choose", args=[group_sundsvall.pk])).status_code == 403


@pytest.mark.django_db
def test_the_privacy_notice_lists_every_registered_field(client):
    from tif_portal.privacy import REGISTRY, entry_label

    html = client.get(reverse("knowledge:privacy_notice")).content.decode()
    for entry in REGISTRY:
        assert entry_label(entry) in html.replace("&#x27;", "'")


@pytest.mark.django_db
def test_the_accessibility_statement_follows_diggs_model(client):
    html = client.get(reverse("knowledge:accessibility_statement")).content.decode()
    for needle in [
        "delvis förenlig",
        "WCAG 2.1",
        "https://www.digg.se/tdosanmalan",
        "axe-core",
        "tangentbord",
        "skärmläsare",
        "PDF",
        "Senaste bedömningen gjordes",
    ]:
        assert needle in html, needle


@pytest.fixture
def fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def test_accessibility_reports_are_rate_limited(client, db, fresh_rate_limits):
    statuses = [
        client.post(reverse("knowledge:accessibility_report"), {"message": "Texten är för liten."}).status_code
        for _ in range(11)
    ]
    assert statuses[:10] == [302] * 10 and statuses[10] == 429


@pytest.mark.django_db
@pytest.mark.usefixtures("fresh_rate_limits")
def test_an_accessibility_report_is_stored_and_mailed_to_every_administrator(
    client, admin_user, karin_county, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("knowledge:accessibility_report"),
            {
                "page_url": "/moten/",
                "message": "Knappen går inte att nå med tangentbordet.",
                "email": "besok@example.se",
            },
        )
    assert response.url == reverse("knowledge:accessibility_report_sent")
    report = AccessibilityReport.objects.get()
    assert report.email == "besok@example.se"
    assert [m.to for m in mail.outbox] == [[admin_user.email]]
    assert "tangentbordet" in mail.outbox[0].body


@pytest.mark.django_db
@pytest.mark.usefixtures("fresh_rate_limits")
def test_an_empty_accessibility_report_says_what_to_fix(client):
    response = client.post(reverse("knowledge:accessibility_report"), {"message": ""})
    assert response.status_code == 400
    assert AccessibilityReport.objects.count() == 0


@pytest.mark.django_db
def test_the_page_list_query_count_does_not_grow(client):
    def grow():
        for n in range(60):
            Page.objects.create(slug=f"sida-{n}", title_sv=f"Sidan nummer {n}", body_sv="<p>x</p>")

    assert_queries_do_not_grow(
        client, reverse("knowledge:page_list"), grow=grow, budget=6,
        shows=["Illegala varor i paketflödet"], shows_after_growth=["Sidan nummer 0", "Sidan nummer 59"],
    )
    assert_queries_do_not_grow(client, reverse("home"), grow=lambda: None, budget=6, shows=["Sidan nummer 0"])


@pytest.fixture
def sara_signed_in(client, contact_sundsvall, meeting_sundsvall):
    from meetings.models import Registration
    from meetings.services.network import network_join

    user = User.objects.create_user(contact_sundsvall.email, None, name=contact_sundsvall.name, role=User.Role.CONTACT)
    contact_sundsvall.user = user
    contact_sundsvall.save()
    Registration.objects.create(meeting=meeting_sundsvall, contact=contact_sundsvall)
    network_join(contact=contact_sundsvall, method="my_page")
    client.force_login(user)
    return contact_sundsvall


@pytest.mark.django_db
def test_erasure_needs_the_confirmation_box(client, sara_signed_in):
    response = client.post(reverse("contact:my_data_erase"), {})
    assert response.status_code == 200 and "Kryssa i rutan" in response.content.decode()
    sara_signed_in.refresh_from_db()
    assert sara_signed_in.erased_at is None
    response = client.post(reverse("contact:my_data_erase"), {"confirm": "on"}, follow=True)
    assert "Dina uppgifter är raderade" in response.content.decode()
    sara_signed_in.refresh_from_db()
    assert sara_signed_in.erased_at is not None
    assert client.get(reverse("contact:my_data")).status_code == 302


@pytest.mark.django_db
def test_personal_data_pages_are_only_for_signed_in_contacts(client, anna_sundsvall):
    for name in ["contact:my_data", "contact:my_data_json", "contact:my_data_csv", "contact:my_data_erase"]:
        assert client.get(reverse(name)).url == reverse("contact:my_page")
    client.force_login(anna_sundsvall)
    assert client.get(reverse("contact:my_data_json")).url == reverse("contact:my_page")
    assert client.post(reverse("contact:network_leave")).url == reverse("contact:my_page")


@pytest.mark.django_db
def test_the_contacts_page_shows_registrations_local_contacts_network_and_data(
    client, sara_signed_in, per_police, meeting_sundsvall
):
    Membership.objects.filter(user=per_police).update(publish_contact=True)
    html = client.get(reverse("contact:my_page")).content.decode()
    assert meeting_sundsvall.title in html
    from knowledge.contact_page import _url

    registration = meeting_sundsvall.registrations.get()
    change = _url("meetings:registration_change", registration.token)
    assert not change or change in html
    assert "Per Ström" in html
    assert "Lämna det lokala nätverket" in html
    assert reverse("contact:my_data_json") in html and reverse("contact:my_data_erase") in html
    client.post(reverse("contact:network_leave"))
    assert "Du har lämnat det lokala nätverket" in client.get(reverse("contact:my_page")).content.decode()


@pytest.mark.django_db
def test_the_contacts_page_query_count_does_not_grow(
    client, sara_signed_in, make_meeting, group_sundsvall, django_assert_max_num_queries
):
    from meetings.models import Registration

    def measure():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("contact:my_page")).status_code == 200
        return len(ctx.captured_queries)

    few = measure()
    for n in range(20):
        meeting = make_meeting(group_sundsvall, days=20 + n, title=f"Möte {n}")
        Registration.objects.create(meeting=meeting, contact=sara_signed_in)
    assert measure() == few


def _picture(n: int):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (n, 80, 160)).save(buffer, "PNG")
    return SimpleUploadedFile(f"bild-{n}.png", buffer.getvalue(), content_type="image/png")


@pytest.mark.django_db
def test_the_image_list_keeps_its_query_count(client, karin_county, settings, tmp_path):
    from knowledge.services import page_image_add

    settings.MEDIA_ROOT = tmp_path

    def add(numbers):
        for n in numbers:
            page_image_add(image=_picture(n), alt_sv=f"Beslagtaget paket {n}", alt_en=f"Seized parcel {n}", uploaded_by=karin_county)

    add([1])
    client.force_login(karin_county)
    assert_queries_do_not_grow(
        client, reverse("knowledge:image_list"), grow=lambda: add(range(2, 20)), budget=6,
        shows=["Beslagtaget paket 1"], shows_after_growth=["Beslagtaget paket 1", "Beslagtaget paket 19"],
    )


@pytest.mark.django_db
def test_the_image_list_goes_on_to_a_second_page(client, karin_county):
    # Rows with a stored name only: the list shows the file's URL and needs no file.
    PageImage.objects.bulk_create(
        PageImage(image=f"knowledge/bild-{n}.png", alt_sv=f"Bild nummer {n:02d}", uploaded_by=karin_county)
        for n in range(51)
    )
    client.force_login(karin_county)
    first = client.get(reverse("knowledge:image_list")).content.decode()
    assert "Sida 1 av 2" in first and "?page=2" in first
    second = client.get(reverse("knowledge:image_list") + "?page=2").content.decode()
    assert second.count("<tr><td><img") == 1


@pytest.mark.django_db
def test_the_page_history_keeps_its_query_count(client, karin_county):
    from knowledge.services import page_save

    page = Page.objects.get(slug="illegala-varor")

    def edit(numbers):
        for n in numbers:
            page_save(page=page, data={"title_sv": f"Illegala varor, version {n}"}, edited_by=karin_county)

    edit([1])
    client.force_login(karin_county)
    assert_queries_do_not_grow(
        client, reverse("knowledge:page_history", args=[page.slug]), grow=lambda: edit(range(2, 20)), budget=6,
        shows=["Illegala varor, version 1", "Karin Nordlund"], shows_after_growth=["Illegala varor, version 19"],
    )


@pytest.mark.django_db
def test_the_page_of_all_my_data_names_every_field_and_kind_of_record_in_words(client, sara_signed_in, meeting_sundsvall):
    from django.apps import apps
    from django.utils.text import capfirst

    from meetings.models import Invitation
    from tif_portal import outbox

    Invitation.objects.create(meeting=meeting_sundsvall, contact=sara_signed_in)
    outbox.enqueue([outbox.Mail(key="test:invitation", to=sara_signed_in.email, purpose="invitation", subject="")])
    html = client.get(reverse("contact:my_data")).content.decode()
    labels = re.findall(r"<dt[^>]*>([^<]*)</dt>", html) + re.findall(r'<h2 class="h4"[^>]*>([^<]*)</h2>', html)
    assert "Med i lokala nätverket" in labels and "Anmälningar" in labels and "Inbjudningar" in labels
    code_names = {capfirst(f.name.replace("_", " ")) for m in apps.get_models() for f in m._meta.fields} | {
        capfirst(str(m._meta.verbose_name_plural)) for m in apps.get_models() if "verbose_name_plural" not in m._meta.original_attrs
    }
    codes = [label for label in labels if "_" in label or "." in label or label in code_names - {"ID", "Status"}]
    assert not codes, f"codes shown to people: {codes}"
    assert ">Ja<" in html and "True" not in html
    assert "Inbjudan" in html and ">invitation<" not in html
