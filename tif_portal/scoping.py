"""Role scoping: the one place that decides which municipalities a user may see.

Every model's ``QuerySet.visible_to(user)`` builds its filter here, so a rule
changes in one place. The tenant is the municipality: administrators see all,
county officers their county, coordinators and instructors the municipalities of
the working groups they belong to. Unknown objects then give 404, not 403.
"""

from django.db.models import Q


def _membership_municipalities(user):
    from municipalities.models import Membership

    return Membership.objects.filter(user=user).values("working_group__municipality_id")


def municipality_q(user, path: str) -> Q:
    """A filter on ``path`` (a lookup ending at a Municipality; "" for Municipality
    itself) for what ``user`` may see."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.is_contact:
        return Q(pk__in=[])
    if user.is_admin:
        # Not Q(): an empty Q vanishes when OR-ed with another condition.
        return Q(pk__isnull=False)
    if user.is_county_officer:
        return Q(**{f"{path}__county_id" if path else "county_id": user.county_id})
    return Q(**{f"{path or 'pk'}__in": _membership_municipalities(user)})


def personal_data_q(user, path: str) -> Q:
    """Like ``municipality_q``, for rows that name the agent staff (contacts, registrations,
    invitations, mail): only roles that manage see them. An instructor sees meetings and
    counts, never who the participants are."""
    if not can_manage(user):
        return Q(pk__in=[])
    return municipality_q(user, path)


def can_manage(user) -> bool:
    """Whether the user's role may change a working group's data (not only read it)."""
    return user.is_authenticated and (user.is_admin or user.is_county_officer or user.is_coordinator)


def contacts_of(user):
    """The Contact rows an agent contact signed in by magic link may see: their own."""
    from meetings.models import Contact

    if not getattr(user, "is_authenticated", False) or not user.is_contact:
        return Contact.objects.none()
    return Contact.objects.filter(user=user, erased_at__isnull=True).select_related("site__municipality")
