import pytest
from django.db.models import Count

from municipalities.models import County, Municipality
from municipalities.services import municipalities_load

EXPECTED_PER_COUNTY = {
    "01": 26, "03": 8, "04": 9, "05": 13, "06": 13, "07": 8, "08": 12, "09": 1, "10": 5, "12": 33, "13": 6,
    "14": 49, "17": 16, "18": 12, "19": 10, "20": 15, "21": 10, "22": 7, "23": 8, "24": 15, "25": 14,
}  # fmt: skip


def test_all_21_counties_and_290_municipalities_are_loaded_by_migration(db):
    assert County.objects.count() == 21
    assert Municipality.objects.count() == 290


def test_every_county_has_its_number_of_municipalities(db):
    counts = dict(County.objects.annotate(n=Count("municipalities")).values_list("code", "n"))
    assert counts == EXPECTED_PER_COUNTY


def test_each_municipality_belongs_to_the_county_its_code_names(db):
    for code, county_code in Municipality.objects.values_list("code", "county__code"):
        assert code[:2] == county_code


def test_known_municipalities_have_their_official_codes(db):
    known = {"0180": "Stockholm", "1480": "Göteborg", "1280": "Malmö", "2281": "Sundsvall", "2280": "Härnösand",
             "2584": "Kiruna", "0980": "Gotland", "2284": "Örnsköldsvik", "2023": "Malung-Sälen"}  # fmt: skip
    assert dict(Municipality.objects.filter(code__in=known).values_list("code", "name")) == known
    assert County.objects.get(code="25").name == "Norrbottens län"


def test_loading_again_changes_nothing(db):
    before = list(Municipality.objects.order_by("code").values_list("code", "name", "county__code"))
    assert municipalities_load() == (21, 290)
    assert list(Municipality.objects.order_by("code").values_list("code", "name", "county__code")) == before


@pytest.mark.parametrize(
    "name, official",
    [
        ("Sundsvall", "Sundsvalls kommun"),
        ("Härnösand", "Härnösands kommun"),
        ("Umeå", "Umeå kommun"),
        ("Kramfors", "Kramfors kommun"),
        ("Överkalix", "Överkalix kommun"),
        ("Uppsala", "Uppsala kommun"),
        ("Malmö", "Malmö stad"),
        ("Göteborg", "Göteborgs stad"),
        ("Västerås", "Västerås stad"),
        ("Falun", "Falu kommun"),
        ("Gotland", "Region Gotland"),
        ("Upplands Väsby", "Upplands Väsby kommun"),
        ("Dals-Ed", "Dals-Eds kommun"),
    ],
)
def test_a_municipality_is_named_as_in_a_letter(db, name, official):
    assert Municipality.objects.get(name=name).official_name == official
