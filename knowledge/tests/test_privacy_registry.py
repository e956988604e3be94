"""Every field that looks personal is either in the personal-data registry or explained as not personal."""

import re

from django.apps import apps

from tif_portal.privacy import LOCAL_APPS, NOT_PERSONAL, REGISTRY, registered_fields

PERSONAL_WORDS = {
    "name",
    "names",
    "email",
    "mail",
    "phone",
    "mobile",
    "telephone",
    "address",
    "street",
    "postal",
    "zip",
    "city",
    "ip",
    "dietary",
    "diet",
    "note",
    "notes",
    "comment",
    "comments",
    "message",
    "ssn",
    "birth",
    "personnummer",
}


def looks_personal(field_name: str) -> bool:
    words = set(re.split(r"[_\W]+", field_name.lower()))
    return bool(words & PERSONAL_WORDS)


def own_models():
    for model in apps.get_models():
        if model._meta.app_label not in LOCAL_APPS:
            continue
        if model.__name__.startswith("Historical") or hasattr(model, "instance_type"):
            continue
        yield model


def test_every_personal_looking_field_is_registered_or_explained():
    known = registered_fields() | set(NOT_PERSONAL)
    missing = [
        f"{model._meta.label}.{field.name}"
        for model in own_models()
        for field in model._meta.concrete_fields
        if not field.is_relation and looks_personal(field.name) and f"{model._meta.label}.{field.name}" not in known
    ]
    assert missing == [], "add these to tif_portal/privacy.py REGISTRY (purpose, retention) or NOT_PERSONAL (why)"


def test_the_word_test_catches_the_usual_suspects_and_spares_lookalikes():
    assert all(
        looks_personal(n)
        for n in ["name", "contact_email", "delivery_address", "postal_code", "ip_address", "dietary_needs", "notes"]
    )
    assert not any(looks_personal(n) for n in ["description", "shipped_at", "renderer", "recipient_count"])


def test_every_registry_entry_names_a_real_field_with_purpose_and_retention():
    for entry in REGISTRY:
        app_label, model_name, field_name = entry.field.split(".")
        model = apps.get_model(app_label, model_name)
        model._meta.get_field(field_name)
        assert str(entry.purpose) and str(entry.retention) and str(entry.who)
