"""Registering and correcting households: the only code that writes them outside the admin and imports."""

from django.db import transaction

from .models import Household, PersonalDataView

# A change to who the household is sends an approved household back to the district for verification: otherwise
# an approved record could be edited into a different person and handed a bag nobody checked. The folded name is
# compared, so adding the diacritics to "Nguyen Van An" is a correction, not a new person.
IDENTITY_FIELDS = ("name_key", "national_id")
EDITABLE_FIELDS = (
    "head_name", "national_id", "head_birth_date", "head_sex", "phone", "address", "members", "residence", "notes",
)  # fmt: skip


@transaction.atomic
def household_register(
    *,
    ward,
    created_by,
    head_name,
    address,
    national_id="",
    head_birth_date=None,
    head_sex=None,
    phone="",
    members=1,
    residence=Household.Residence.PERMANENT,
    categories=(),
    notes="",
    source=Household.Source.WARD_SURVEY,
):
    """Add a household to ``ward``'s register as *proposed*: the district verifies lists and approves."""
    household = Household(
        ward=ward,
        head_name=head_name,
        address=address,
        national_id=national_id,
        head_birth_date=head_birth_date,
        head_sex=head_sex,
        phone=phone,
        members=members,
        residence=residence,
        notes=notes,
        source=source,
        status=Household.Status.PROPOSED,
        created_by=created_by,
    )
    household._history_user = created_by
    household.save()
    household.categories.set(categories)
    return household


@transaction.atomic
def household_update(*, household, updated_by, categories=None, **changes):
    """Correct a household's details; a new name or ID on an approved household makes it *proposed* again.

    Returns the household, with ``sent_back`` True when it went back to the district for approval.
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"household_update() cannot change {', '.join(sorted(unknown))}")
    household = Household.objects.select_for_update().get(pk=household.pk)
    before = {field: getattr(household, field) for field in IDENTITY_FIELDS}
    for field, value in changes.items():
        setattr(household, field, value)
    household.normalize()
    identity_changed = any(getattr(household, field) != value for field, value in before.items())
    household.sent_back = identity_changed and household.status == Household.Status.APPROVED
    if household.sent_back:
        household.status = Household.Status.PROPOSED
    household._history_user = updated_by
    household.save()
    if categories is not None:
        household.categories.set(categories)
    return household


def personal_data_shown_for_editing(*, viewer, household=None, report=None):
    """Record that ``viewer`` opened a form whose fields hold full numbers: a household's edit form (its national ID
    and phone, to correct), or the registration form started from a missed household's ``report`` (its phone)."""
    record = household or report
    fields = (
        (PersonalDataView.Field.NATIONAL_ID, PersonalDataView.Field.PHONE)
        if household
        else (PersonalDataView.Field.PHONE,)
    )
    PersonalDataView.objects.bulk_create(
        PersonalDataView(household=household, report=report, viewer=viewer, field=field)
        for field in fields
        if getattr(record, field)
    )


def personal_data_reveal(*, viewer, field, household=None, report=None):
    """Return the full number ``field`` of ``household`` (national ID or phone) or of a missed household's
    ``report`` (the person's or the reporter's phone), and record that ``viewer`` saw it, and when."""
    PersonalDataView.objects.create(household=household, report=report, viewer=viewer, field=field)
    return getattr(household or report, field)
