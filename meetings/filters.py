import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meetings.models import Meeting, Site
from municipalities.models import Municipality


def _bootstrap(form):
    for field in form.fields.values():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs["class"] = css


class SiteFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Sök"), method="search", help_text=_("Namn, adress, ort eller id"))
    company = django_filters.ChoiceFilter(label=_("Företag"), choices=[], empty_label=_("Alla företag"))
    kind = django_filters.ChoiceFilter(label=_("Typ"), choices=Site.Kind.choices, empty_label=_("Alla typer"))
    municipality = django_filters.ModelChoiceFilter(
        label=_("Kommun"), queryset=Municipality.objects.none(), empty_label=_("Alla kommuner")
    )

    class Meta:
        model = Site
        fields = ["q", "company", "kind", "municipality"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["municipality"].queryset = Municipality.objects.visible_to(user)
        companies = self.queryset.order_by().values_list("company", flat=True).distinct()
        self.filters["company"].extra["choices"] = [(c, c) for c in sorted(companies)]
        _bootstrap(self.form)

    def search(self, queryset, name, value):
        q = Q()
        for word in value.split():
            q &= (
                Q(name__icontains=word)
                | Q(street__icontains=word)
                | Q(city__icontains=word)
                | Q(postal_code__icontains=word)
                | Q(external_id__iexact=word)
                | Q(contacts__name__icontains=word)
            )
        # Contacts can match several times: keep one row per site.
        return queryset.filter(pk__in=Site.objects.filter(q).values("pk")) if value.strip() else queryset


class MeetingFilter(django_filters.FilterSet):
    when = django_filters.ChoiceFilter(
        label=_("Visa"),
        choices=[("upcoming", _("Kommande")), ("past", _("Tidigare")), ("all", _("Alla"))],
        method="filter_when",
        empty_label=None,
        widget=forms.Select,
    )

    class Meta:
        model = Meeting
        fields = ["when"]

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        data.setdefault("when", "upcoming")
        super().__init__(data, *args, **kwargs)
        _bootstrap(self.form)

    def filter_when(self, queryset, name, value):
        from django.utils import timezone

        now = timezone.now()
        if value == "upcoming":
            return queryset.filter(ends_at__gte=now).order_by("starts_at")
        if value == "past":
            return queryset.filter(ends_at__lt=now).order_by("-starts_at")
        return queryset.order_by("-starts_at")
