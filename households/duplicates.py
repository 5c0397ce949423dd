"""Likely duplicates of a household: the same person registered twice, in one ward or in two.

Three signals, strongest first: the same national ID anywhere in the district, the same phone anywhere in the
district, or a very similar name at a very similar address in the same ward (a typo, or a name typed without
diacritics once and with them once: the folded keys compare equal).
"""

from dataclasses import dataclass
from difflib import SequenceMatcher

from django.db.models import Q

from .models import Household

SIMILAR = 0.85


@dataclass(frozen=True)
class Duplicate:
    household: Household
    reason: str


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
                found[other.pk] = Duplicate(other, f"Trùng số CCCD với hộ ở {other.ward}")
            else:
                found[other.pk] = Duplicate(other, f"Trùng số điện thoại với hộ ở {other.ward}")
    household.normalize()
    first_word = household.name_key.split(" ")[0] if household.name_key else ""
    candidates = others.filter(ward_id=household.ward_id, name_key__startswith=first_word).exclude(pk__in=found)
    for other in candidates.only("pk", "head_name", "name_key", "address", "address_key", "ward")[: limit * 20]:
        if _similar(other.name_key, household.name_key) and _similar(other.address_key, household.address_key):
            found[other.pk] = Duplicate(other, "Tên và địa chỉ gần giống một hộ cùng phường")
        if len(found) >= limit:
            break
    return list(found.values())[:limit]
