"""Handing a bag to a household, and cancelling a hand-out recorded in error.

One path on every database: the household is locked and read with its ward and the campaign, the rules are checked
in words, the slots it holds and a repeated one-time key are read, then the bag services move a bag and the hand-out
is recorded with its history. A repeated key is caught as every repeated submission is: the unique
``Distribution.request_key`` column, a savepoint, and ``relief.submissions.repeat_answered`` to tell the same request
from a key reused for another. The database keeps the rules whatever the timing: a bag is handed out once and a
household holds a slot once (``Distribution``'s partial unique constraints), and only a bag still in the ward's stock
moves (``relief.services.bag_hand_out``).
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from relief.models import Distribution
from relief.services import bag_hand_out, bag_return_to_stock
from relief.submissions import repeat_answered

from .models import Household

# A campaign that is not of the household's district, or none: what a ward officer's stale or edited form names.
FOREIGN_CAMPAIGN = "Chương trình này không thuộc đơn vị của anh/chị. Hãy tải lại trang."
# A one-time key already spent on a hand-out to another household or in another campaign, or on one since cancelled.
KEY_USED = "Biểu mẫu này đã được dùng. Hãy tải lại trang rồi thử lại."


def distribution_record(
    *, household, campaign, recorded_by, serial="", received_by="", request_key=None, handed_out_at=None
):
    """Hand one bag of the ward's stock to an approved household (a ``Household`` or its pk) in ``campaign`` (a
    ``Campaign`` or its pk, read afresh under the household's lock) and return the ``Distribution``, with the ward's
    stock once its bag left as ``stock_after``.

    ``handed_out_at`` defaults to now; a hand-out written up afterwards from a paper list gives its real time.

    ``Household.DoesNotExist`` when there is no such household, or when ``recorded_by`` is a ward officer and it
    is not of their ward. Refused with a message when the campaign is not one of the household's district or is
    closed, the household is not approved, it already holds the campaign's limit of bags, or the ward has no bag. A
    repeated ``request_key`` returns the hand-out already recorded, so a double tap or a retried request never hands
    out twice; a key whose hand-out was to another household or campaign, or was cancelled since, is refused.
    """
    pk, campaign_pk = getattr(household, "pk", household), getattr(campaign, "pk", campaign)
    hand_out = {
        "recorded_by": recorded_by,
        "serial": serial,
        "received_by": (received_by or "").strip(),
        "request_key": request_key,
        "handed_out_at": handed_out_at or timezone.now(),
    }
    try:
        with transaction.atomic():
            return _record(pk, campaign_pk, **hand_out)
    except IntegrityError:
        # A hand-out to the same household committed while this one waited for its lock, which its reads could
        # not see (``lock_for_hand_out``): the constraints refused it whole. Read again, now that it is visible.
        pass
    try:
        with transaction.atomic():
            return _record(pk, campaign_pk, **hand_out)
    except IntegrityError as exc:
        raise ValidationError("Hộ này vừa được ghi nhận nhận túi. Hãy tải lại trang.") from exc


def _record(pk, campaign_pk, *, recorded_by, serial, received_by, request_key, handed_out_at):
    # Locking the household serialises hand-outs to it. An officer hands out in their own ward only: another
    # ward's household is not found, as one that does not exist.
    household = Household.objects.lock_for_hand_out(
        pk, campaign_pk, ward_id=recorded_by.ward_id, request_key=request_key
    )
    if household is None:
        raise Household.DoesNotExist(f"No household {pk} in the ward of {recorded_by}.")
    campaign = household.hand_out_campaign
    if campaign is None or campaign.district_id != household.ward.district_id:
        raise ValidationError(FOREIGN_CAMPAIGN)
    if household.repeat is not None:
        return _repeated(household, campaign)
    _check_may_receive(household, campaign)
    free_slots = [n for n in range(1, campaign.household_limit + 1) if n not in household.held_slots]
    if not free_slots:
        raise ValidationError(
            "Hộ %(name)s đã nhận đủ %(limit)s túi của chương trình này.",
            params={"name": household.head_name, "limit": campaign.household_limit},
        )
    bag = bag_hand_out(campaign=campaign, ward=household.ward, user=recorded_by, serial=serial)
    if bag is None:
        raise ValidationError(
            "%(ward)s đã hết túi trong kho. Hãy đề nghị %(org)s bổ sung.",
            params={"ward": household.ward, "org": household.ward.district.level_word},
        )
    distribution = Distribution(
        bag=bag,
        household=household,
        campaign=campaign,
        ward=household.ward,
        slot=free_slots[0],
        handed_out_at=handed_out_at,
        received_by=received_by,
        recorded_by=recorded_by,
        request_key=request_key,
    )
    Distribution.objects.record(distribution, user=recorded_by)
    distribution.stock_after = household.stock - 1
    return distribution


def _repeated(household, campaign):
    """The hand-out recorded with the request's one-time key, if it answers this request: the same household and
    campaign, and still live. It is given the household, the campaign and the stock this read already holds, so
    answering a repeat reads only the hand-out."""

    def same(earlier):
        return (earlier.household_id, earlier.campaign_id) == (household.pk, campaign.pk) and not earlier.is_cancelled

    earlier = repeat_answered(Distribution.objects.get(pk=household.repeat), same, message=KEY_USED)
    earlier.household, earlier.campaign, earlier.stock_after = household, campaign, household.stock
    return earlier


def _check_may_receive(household, campaign):
    """Refuse, in words, a hand-out of ``campaign`` to ``household`` that no stock could allow."""
    if not campaign.is_open:
        raise ValidationError("Chương trình “%(name)s” đã đóng, không trao thêm túi.", params={"name": campaign})
    if household.status != Household.Status.APPROVED:
        raise ValidationError(
            "Hộ %(name)s chưa được duyệt nên chưa thể nhận túi.", params={"name": household.head_name}
        )


def distribution_can_be_cancelled_by(distribution, user):
    """Only the officer who recorded a hand-out may cancel it, and only on the day it was recorded."""
    return (
        not distribution.is_cancelled
        and distribution.recorded_by_id == user.pk
        and timezone.localdate(distribution.handed_out_at) == timezone.localdate()
    )


@transaction.atomic
def distribution_cancel(*, distribution, cancelled_by, reason):
    """Cancel a hand-out recorded in error: the bag goes back to the ward's stock, the record stays."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Hãy ghi lý do hủy lượt trao.")
    distribution = Distribution.objects.select_for_update().get(pk=distribution.pk)
    if not distribution_can_be_cancelled_by(distribution, cancelled_by):
        raise ValidationError("Chỉ người ghi nhận mới được hủy lượt trao, và chỉ trong ngày.")
    # The counters' triggers lock the household, then the ward's bag counters, then its served counters; taking
    # them in the order a hand-out does (household, bag, hand-out) keeps a cancel and a hand-out from deadlocking.
    # Only the household's row: with the model's ordering, FOR UPDATE would also lock its ward and district rows,
    # which every hand-out's foreign-key checks read at commit (a deadlock under load).
    Household.objects.select_for_update(of=("self",)).filter(pk=distribution.household_id).order_by().first()
    bag_return_to_stock(bag_pk=distribution.bag_id, user=cancelled_by)
    distribution.cancelled_at = timezone.now()
    distribution.cancelled_by = cancelled_by
    distribution.cancel_reason = reason
    distribution._history_user = cancelled_by
    distribution.save()
    return distribution
