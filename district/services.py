"""The district's own state changes: sending bags to every ward at once from one allocation plan."""

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction

from relief.models import Allocation, Bag, Campaign, Recall
from relief.services import allocation_create, bags_recall
from relief.submissions import submit_once

# The allocations of a plan carry keys derived from the plan's one-time key and their place in the plan, so the
# first allocation of any plan posted with the same key collides with the first one recorded.
PLAN_KEYS = uuid.UUID("6f1d0c52-3f0a-4a49-9a57-1f6a0d5b2c11")


class PlanAlreadyApplied(Exception):
    """The plan with this one-time key was saved before (a double click, a resubmitted form): nothing was done."""


def district_stock(campaign):
    """Bags of ``campaign`` still at the district, ready to be allocated."""
    return Bag.objects.filter(campaign=campaign, state=Bag.State.AT_DISTRICT).count()


@transaction.atomic
def allocation_plan_apply(*, campaign, quantities, created_by, plan_key, note=""):
    """Allocate ``quantities`` ({ward: bags}) all together, or nothing at all; return the allocations made.

    The district's stock is checked against the plan's total before any bag moves, so the refusal names both
    figures. ``plan_key`` is the form's one-time key: each allocation stores a key made of it and its place in the
    plan in the unique ``submission_key`` column (``relief.submissions``), so the same plan posted twice allocates
    once and the second call raises ``PlanAlreadyApplied``.
    """
    plan = {ward: quantity for ward, quantity in quantities.items() if quantity}
    if not plan:
        raise ValidationError(
            "Hãy nhập số túi cho ít nhất một %(unit)s.", params={"unit": campaign.district.units_label.lower()}
        )
    if any(quantity < 0 for quantity in plan.values()):
        raise ValidationError("Số túi phân bổ không được âm.")
    for ward in plan:
        if ward.district_id != campaign.district_id:
            raise ValidationError(
                "%(ward)s không thuộc %(organizer)s của chương trình.",
                params={"ward": ward, "organizer": campaign.district.level_word},
            )
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    wards = sorted(plan, key=lambda ward: ward.code)
    keys = {ward: uuid.uuid5(PLAN_KEYS, f"{plan_key}:{place}") for place, ward in enumerate(wards)}
    allocations = []

    def apply():
        total, stock = sum(plan.values()), district_stock(campaign)
        if total > stock:
            raise ValidationError(
                "%(organizer)s chỉ còn %(stock)s túi, kế hoạch cần %(total)s túi. "
                "Chưa phân bổ túi nào; hãy giảm số túi.",
                params={
                    "organizer": campaign.district.level_label,
                    "stock": f"{stock:,}".replace(",", "."),
                    "total": f"{total:,}".replace(",", "."),
                },
            )
        allocations.extend(
            allocation_create(
                campaign=campaign,
                ward=ward,
                quantity=plan[ward],
                created_by=created_by,
                note=note,
                submission_key=keys[ward],
            )
            for ward in wards
        )
        return allocations[0]

    def same(earlier):
        return earlier.campaign_id == campaign.pk

    _, created = submit_once(Allocation, key=keys[wards[0]], same=same, create=apply)
    if not created:
        raise PlanAlreadyApplied
    return allocations


def recall_once(*, campaign, ward, quantity, reason, created_by, to_ward=None, submission_key=None):
    """``(recall, created)``: ``bags_recall`` run once per form key, so a double click recalls once."""
    return submit_once(
        Recall,
        key=submission_key,
        same=lambda earlier: (earlier.ward_id, earlier.quantity) == (ward.pk, quantity),
        create=lambda: bags_recall(
            campaign=campaign,
            ward=ward,
            quantity=quantity,
            reason=reason,
            created_by=created_by,
            to_ward=to_ward,
            submission_key=submission_key,
        ),
    )
