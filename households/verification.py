"""The district verifies household lists: approving or rejecting in bulk, and settling duplicates.

A duplicate here is the same CCCD or the same phone on two households that are not rejected, in two wards of a
district or twice in one ward. Finding them is one GROUP BY … HAVING COUNT(*) > 1 query per number, bounded.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone, translation
from simple_history.utils import bulk_update_with_history

from .models import Household

MAX_GROUPS = 50
MAX_MEMBERS = 1000


@dataclass
class DuplicateGroup:
    field: str  # "national_id" or "phone"
    label: str
    value: str
    households: list


def _repeated(households, field, limit):
    return list(
        households.exclude(**{field: ""})
        .values(field)
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .order_by("-n", field)
        .values_list(field, flat=True)[:limit]
    )


def duplicate_groups(user, *, limit=MAX_GROUPS):
    """Groups of households the user sees that share a CCCD or a phone, at most ``limit`` of each; three queries."""
    households = Household.objects.visible_to(user).exclude(status=Household.Status.REJECTED)
    ids, phones = _repeated(households, "national_id", limit), _repeated(households, "phone", limit)
    if not ids and not phones:
        return []
    members = (households.filter(national_id__in=ids) | households.filter(phone__in=phones)).select_related(
        "ward", "created_by"
    )
    groups = {}
    for field, label, values in (("national_id", "CCCD", ids), ("phone", "Số điện thoại", phones)):
        for value in values:
            groups[(field, value)] = DuplicateGroup(field, label, value, [])
    # A number shared by hundreds (a ward office's phone typed for every household) must not flood the page.
    for household in members.order_by("ward__code", "pk")[:MAX_MEMBERS]:
        for field in ("national_id", "phone"):
            group = groups.get((field, getattr(household, field)))
            if group is not None:
                group.households.append(household)
    return [group for group in groups.values() if len(group.households) > 1]


def duplicate_count(user):
    """How many numbers are shared by more than one household (capped at ``MAX_GROUPS`` each), for the home page."""
    households = Household.objects.visible_to(user).exclude(status=Household.Status.REJECTED)
    return len(_repeated(households, "national_id", MAX_GROUPS)) + len(_repeated(households, "phone", MAX_GROUPS))


def _note(household, text):
    return f"{household.notes}\n{text}".strip() if household.notes else text


def _organizer_note(household, text):
    """``text`` added to the notes under the organizing unit's level ("Quận: …", "Phường: …"), so the receiving
    unit reads who decided. Notes are records: written in Vietnamese whatever language the decider reads in."""
    with translation.override("vi"):
        return _note(household, f"{household.ward.district.level_label}: {text}")


def _locked_with_units(households):
    """The households locked for the change, each with its unit and that unit's organizer (their rows not locked)."""
    return households.select_related("ward__district").select_for_update(of=("self",))


@transaction.atomic
def household_verify(*, households, status, decided_by, reason=""):
    """Approve or reject ``households`` (a QuerySet the caller already scoped) and return how many changed.

    Rejecting needs a reason, kept in the household's notes so the ward sees why.
    """
    if status not in (Household.Status.APPROVED, Household.Status.REJECTED):
        raise ValidationError("Thao tác không hợp lệ.")
    reason = (reason or "").strip()
    if status == Household.Status.REJECTED and not reason:
        raise ValidationError("Hãy ghi lý do không duyệt.")
    changed = list(_locked_with_units(households).exclude(status=status))
    now = timezone.now()
    for household in changed:
        household.status, household.updated_at = status, now
        if reason:
            household.notes = _organizer_note(household, reason)
    bulk_update_with_history(
        changed, Household, ["status", "notes", "updated_at"], batch_size=500, default_user=decided_by
    )
    return len(changed)


@transaction.atomic
def duplicate_resolve(*, keep, others, decided_by):
    """Keep one household of a duplicate group and reject the others, each noting which household it repeats."""
    others = list(_locked_with_units(others).exclude(pk=keep.pk).exclude(status=Household.Status.REJECTED))
    if not others:
        raise ValidationError("Không còn hộ nào trùng với hộ được giữ.")
    now = timezone.now()
    for household in others:
        household.status, household.updated_at = Household.Status.REJECTED, now
        household.notes = _organizer_note(household, f"trùng với hộ #{keep.pk} {keep.head_name} ({keep.ward}).")
    bulk_update_with_history(
        others, Household, ["status", "notes", "updated_at"], batch_size=500, default_user=decided_by
    )
    return others
