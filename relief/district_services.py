"""The district's own state changes: sending bags to every ward at once from one allocation plan."""

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Allocation, Bag, Campaign
from .services import allocation_create

PLAN_REASON = "Kế hoạch phân bổ {key}"


class PlanAlreadyApplied(Exception):
    """The plan with this one-time key was saved before (a double click, a resubmitted form): nothing was done."""


def district_stock(campaign):
    """Bags of ``campaign`` still at the district, ready to be allocated."""
    return Bag.objects.filter(campaign=campaign, state=Bag.State.AT_DISTRICT).count()


@transaction.atomic
def allocation_plan_apply(*, campaign, quantities, created_by, plan_key, note=""):
    """Allocate ``quantities`` ({ward: bags}) all together, or nothing at all; return the allocations made.

    The district's stock is checked against the plan's total before any bag moves, so the refusal names both
    figures. ``plan_key`` is the form's one-time key: it is written as the change reason of the allocations'
    history rows and checked under the campaign's lock, so the same plan posted twice allocates once and the
    second call raises ``PlanAlreadyApplied``.
    """
    plan = {ward: quantity for ward, quantity in quantities.items() if quantity}
    if not plan:
        raise ValidationError("Hãy nhập số túi cho ít nhất một phường.")
    if any(quantity < 0 for quantity in plan.values()):
        raise ValidationError("Số túi phân bổ không được âm.")
    for ward in plan:
        if ward.district_id != campaign.district_id:
            raise ValidationError("%(ward)s không thuộc quận của chương trình.", params={"ward": ward})
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    reason = PLAN_REASON.format(key=plan_key)
    if Allocation.history.filter(campaign_id=campaign.pk, history_change_reason=reason).exists():
        raise PlanAlreadyApplied
    total, stock = sum(plan.values()), district_stock(campaign)
    if total > stock:
        raise ValidationError(
            "Quận chỉ còn %(stock)s túi, kế hoạch cần %(total)s túi. Chưa phân bổ túi nào; hãy giảm số túi.",
            params={"stock": f"{stock:,}".replace(",", "."), "total": f"{total:,}".replace(",", ".")},
        )
    allocations = [
        allocation_create(campaign=campaign, ward=ward, quantity=quantity, created_by=created_by, note=note)
        for ward, quantity in sorted(plan.items(), key=lambda item: item[0].code)
    ]
    Allocation.history.filter(id__in=[a.pk for a in allocations], history_type="+").update(history_change_reason=reason)
    return allocations
