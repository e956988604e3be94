import csv
import secrets
from pathlib import Path

from django.contrib.auth.forms import PasswordResetForm
from django.core.files.storage import default_storage
from django.db import transaction

from accounts.models import User
from municipalities.models import County, Membership, Municipality, WorkingGroup

DATA_FILE = Path(__file__).resolve().parent / "data" / "municipalities.csv"

# The portal role a new person gets from the seat they take in a group.
# The agency a seat tells about a new person. A seat says where someone comes from, never what
# they may do in the portal: that is the account role, chosen on its own (see ``member_add``).
AGENCY_FOR_SEAT = {Membership.Role.POLICE: User.Agency.POLICE, Membership.Role.CUSTOMS: User.Agency.CUSTOMS}
# What a coordinator may give a new person; county officers and administrators are made elsewhere.
GRANTABLE_ROLES = (User.Role.MEMBER, User.Role.INSTRUCTOR, User.Role.COORDINATOR)


def municipalities_load(*, county_model=County, municipality_model=Municipality) -> tuple[int, int]:
    """Create or update all counties and municipalities from the shipped data file.

    The models are parameters so a migration can pass its historical models.
    """
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    counties = {}
    for row in rows:
        if row["county_code"] not in counties:
            counties[row["county_code"]], _ = county_model.objects.update_or_create(
                code=row["county_code"], defaults={"name": row["county_name"]}
            )
    for row in rows:
        municipality_model.objects.update_or_create(
            code=row["municipality_code"],
            defaults={"name": row["municipality_name"], "county": counties[row["county_code"]]},
        )
    return len(counties), len(rows)


@transaction.atomic
def working_group_create(*, municipality: Municipality, name: str, created_by: User, **fields) -> WorkingGroup:
    group = WorkingGroup.objects.create(municipality=municipality, name=name, **fields)
    if created_by.is_coordinator:
        Membership.objects.create(working_group=group, user=created_by, role=Membership.Role.COORDINATOR)
    return group


@transaction.atomic
def member_add(
    *, group: WorkingGroup, email: str, name: str, role: str, phone: str = "", account_role: str = User.Role.MEMBER,
    request=None,
) -> tuple[Membership, bool]:
    """Seat a person in the group; a new person gets an account with ``account_role`` and a
    set-password mail. The seat (``role``) grants nothing: an existing account keeps its role.

    Returns the membership and whether a new account was made.
    """
    if account_role not in GRANTABLE_ROLES:
        raise ValueError(account_role)
    email = email.strip().lower()
    user = User.objects.filter(email=email).first()
    created = user is None
    if created:
        user = User.objects.create_user(
            email, None, name=name, phone=phone, role=account_role, agency=AGENCY_FOR_SEAT.get(role, User.Agency.NONE)
        )
    membership, _ = Membership.objects.update_or_create(working_group=group, user=user, defaults={"role": role})
    if created:
        _send_set_password_mail(user, request)
    return membership, created


def _send_set_password_mail(user: User, request) -> None:
    form = PasswordResetForm({"email": user.email})
    if form.is_valid():
        # Unusable passwords are skipped by the form; a new account needs the link all the same.
        form.get_users = lambda email: [user]
        form.save(
            request=request,
            subject_template_name="emails/account_created_subject.txt",
            email_template_name="emails/account_created.txt",
            use_https=request.is_secure() if request else False,
            domain_override=None if request else "127.0.0.1:8000",
        )


def member_remove(*, membership: Membership) -> None:
    membership.delete()


@transaction.atomic
def leadership_report_send(*, group: WorkingGroup, year: int, sent_by: User) -> int:
    """Queue the yearly report (the PDF, made when the mail goes) to the leadership's address.

    Sending again the same day queues nothing new; a later day sends a fresh copy.
    """
    from django.utils import timezone

    from municipalities import emails
    from tif_portal import outbox

    return outbox.enqueue([emails.leadership_report_mail(group, year, sent_by, timezone.localdate())])


_LOGO_EXTENSIONS = {"PNG": ".png", "JPEG": ".jpg", "GIF": ".gif", "WEBP": ".webp"}


@transaction.atomic
def municipality_logo_replace(*, municipality, upload, image_format: str) -> None:
    """Store a checked image as the municipality's logo; the old file goes once this commits."""
    old = municipality.logo.name
    name = f"{municipality.code}-{secrets.token_hex(6)}{_LOGO_EXTENSIONS[image_format]}"
    municipality.logo.save(name, upload, save=False)
    municipality.save(update_fields=["logo"])
    if old:
        transaction.on_commit(lambda: default_storage.delete(old))
