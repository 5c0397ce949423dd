"""Likely duplicates of a household: the same person registered twice, in one ward or in two.

Three signals, strongest first: the same national ID anywhere in the district, the same phone anywhere in the
district, or a very similar name at a very similar address in the same ward (a typo, or a name typed without
diacritics once and with them once: the folded keys compare equal).

``duplicates_of`` finds them all; ``duplicates_shown`` is the one place that decides what a viewer sees of them.
A ward officer sees nothing of a household in another ward (invariant 5): only that the number is registered
elsewhere and that the district resolves it. District staff see every household of their district.
"""

from dataclasses import dataclass
from difflib import SequenceMatcher

from django.db.models import Q

from .models import Household, PersonalDataView

SIMILAR = 0.85
# Said in the household's own levels: "ở phường khác; quận sẽ …" in 2021, "ở khu phố khác; phường sẽ …" today.
ELSEWHERE = {
    PersonalDataView.Field.NATIONAL_ID: "Số CCCD này đã được đăng ký ở {unit} khác; {org} sẽ đối chiếu và giải quyết.",
    PersonalDataView.Field.PHONE: "Số điện thoại này đã được đăng ký ở {unit} khác; {org} sẽ đối chiếu và giải quyết.",
}


@dataclass(frozen=True)
class Duplicate:
    """A likely duplicate: the household (None when the viewer may not see it), why, and which number matched."""

    household: Household | None
    reason: str
    number: str = ""

    @property
    def needs_decision(self):
        """A national ID belongs to one person: a match on it is not waved through by the officer's "not a
        duplicate" tick. The number is corrected, or the district corrects or rejects the other household. A shared
        phone or a similar name at a similar address can be another family, so the officer may save past those."""
        return self.number == PersonalDataView.Field.NATIONAL_ID


def _similar(a, b):
    return a == b or SequenceMatcher(None, a, b).ratio() >= SIMILAR


def duplicates_of(household, *, limit=10):
    """Households that are probably the same as ``household`` (saved or not), with why; rejected ones are left out.

    A bounded number of queries: one for ID or phone matches in the district, one for name matches in the ward.
    """
    district_id = household.ward.district_id
    others = Household.objects.exclude(status=Household.Status.REJECTED).select_related("ward")
    if household.pk:
        others = others.exclude(pk=household.pk)
    found = {}
    same_number = Q()
    if household.national_id:
        same_number |= Q(national_id=household.national_id)
    if household.phone:
        same_number |= Q(phone=household.phone)
    if same_number:
        for other in others.filter(same_number, ward__district_id=district_id)[:limit]:
            if household.national_id and other.national_id == household.national_id:
                found[other.pk] = Duplicate(other, f"Trùng số CCCD với hộ ở {other.ward}", "national_id")
            else:
                found[other.pk] = Duplicate(other, f"Trùng số điện thoại với hộ ở {other.ward}", "phone")
    household.normalize()
    first_word = household.name_key.split(" ")[0] if household.name_key else ""
    candidates = others.filter(ward_id=household.ward_id, name_key__startswith=first_word).exclude(pk__in=found)
    for other in candidates.only("pk", "head_name", "name_key", "address", "address_key", "ward")[: limit * 20]:
        if _similar(other.name_key, household.name_key) and _similar(other.address_key, household.address_key):
            found[other.pk] = Duplicate(other, f"Tên và địa chỉ gần giống một hộ cùng {household.ward.level_word}")
        if len(found) >= limit:
            break
    return list(found.values())[:limit]


def duplicates_shown(household, *, viewer, limit=10):
    """The duplicates of ``household`` as ``viewer`` may see them, each look at another household's number recorded.

    A household outside the viewer's scope is not named: it becomes one line saying the number is registered
    elsewhere and the district resolves it (once per number, so not even how many households share it shows). A
    visible household matched by its number tells the viewer that household's number: that is written to
    ``PersonalDataView``, as a press of "Hiện số đầy đủ" is.
    """
    found = duplicates_of(household, limit=limit)
    visible = set(
        Household.objects.visible_to(viewer).filter(pk__in=[d.household.pk for d in found]).values_list("pk", flat=True)
    )
    shown, hidden = [], {}
    ward = household.ward
    for duplicate in found:
        if duplicate.household.pk in visible:
            shown.append(duplicate)
        elif duplicate.number:
            elsewhere = ELSEWHERE[duplicate.number].format(unit=ward.level_word, org=ward.district.level_word)
            hidden.setdefault(duplicate.number, Duplicate(None, elsewhere, duplicate.number))
    PersonalDataView.objects.bulk_create(
        PersonalDataView(household=duplicate.household, viewer=viewer, field=duplicate.number)
        for duplicate in shown
        if duplicate.number
    )
    return shown + list(hidden.values())
