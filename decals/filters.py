import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from decals.models import DecalOrder
from municipalities.models import Municipality


def _municipalities(request):
    return Municipality.objects.visible_to(request.user) if request else Municipality.objects.none()


class OrderFilter(django_filters.FilterSet):
    """The county's order queue: by state, municipality, company and date placed."""

    state = django_filters.ChoiceFilter(choices=DecalOrder.State.choices, label=_("Status"), empty_label=_("Alla"))
    municipality = django_filters.ModelChoiceFilter(
        field_name="site__municipality", queryset=_municipalities, label=_("Kommun"), empty_label=_("Alla")
    )
    company = django_filters.CharFilter(field_name="site__company", lookup_expr="iexact", label=_("Företag"))
    placed_from = django_filters.DateFilter(
        field_name="placed_at",
        lookup_expr="date__gte",
        label=_("Beställd från"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    placed_to = django_filters.DateFilter(
        field_name="placed_at",
        lookup_expr="date__lte",
        label=_("Beställd till"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = DecalOrder
        fields = ["state", "municipality", "company", "placed_from", "placed_to"]
