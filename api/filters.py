import django_filters as filters
from django.utils.translation import gettext_lazy as _

from decals.models import DecalOrder
from meetings.models import Contact, Meeting, Registration, Site
from municipalities.models import WorkingGroup


class WorkingGroupFilter(filters.FilterSet):
    municipality = filters.CharFilter(field_name="municipality__code", help_text=_("Kommunkod"))

    class Meta:
        model = WorkingGroup
        fields = ["municipality"]


class SiteFilter(filters.FilterSet):
    municipality = filters.CharFilter(field_name="municipality__code", help_text=_("Kommunkod"))

    class Meta:
        model = Site
        fields = ["municipality", "company", "external_id", "kind"]


class ContactFilter(filters.FilterSet):
    site = filters.NumberFilter(field_name="site_id")
    company = filters.CharFilter(field_name="site__company")
    site_external_id = filters.CharFilter(field_name="site__external_id")
    email = filters.CharFilter(field_name="email", lookup_expr="iexact")

    class Meta:
        model = Contact
        fields = ["site", "company", "site_external_id", "email", "in_network"]


class MeetingFilter(filters.FilterSet):
    municipality = filters.CharFilter(field_name="working_group__municipality__code", help_text=_("Kommunkod"))
    starts_after = filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="lt")

    class Meta:
        model = Meeting
        fields = ["working_group", "municipality", "kind", "status", "starts_after", "starts_before"]


class RegistrationFilter(filters.FilterSet):
    attended = filters.BooleanFilter(field_name="checked_in_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Registration
        fields = ["meeting", "status", "attended"]


class DecalOrderFilter(filters.FilterSet):
    municipality = filters.CharFilter(field_name="site__municipality__code", help_text=_("Kommunkod"))

    class Meta:
        model = DecalOrder
        fields = ["state", "site", "municipality"]
