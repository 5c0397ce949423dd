"""Moving bags: from the district to a ward, from a ward to a household, and back when a mistake is corrected.

Each function is one transaction. Counts are never read and then written: a bag changes state through a
conditional UPDATE on its current state, so two officers racing for the last bag cannot both get it.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from . import hand_out_sql
from .history import copy_to_history
from .models import Allocation, Bag, Campaign, Distribution, WardRequest


def _check_ward_in_campaign(campaign, ward):
    if ward.district_id != campaign.district_id:
        raise ValidationError(
            "%(ward)s không thuộc %(district)s của chương trình này.",
            params={"ward": ward, "district": campaign.district},
        )


@transaction.atomic
def allocation_create(*, campaign, ward, quantity, created_by, request=None, note="", submission_key=None):
    """Send ``quantity`` bags from the district's stock to ``ward``, lowest serial numbers first.

    ``submission_key`` is the form's one-time key (``relief.submissions``), stored in the allocation's unique column.
    """
    if quantity is None or quantity <= 0:
        raise ValidationError("Số túi phân bổ phải là số nguyên dương.")
    _check_ward_in_campaign(campaign, ward)
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    bags = list(
        Bag.objects.select_for_update()
        .filter(campaign=campaign, state=Bag.State.AT_DISTRICT)
        .order_by("number")[:quantity]
    )
    if len(bags) < quantity:
        raise ValidationError(
            "%(organizer)s chỉ còn %(stock)s túi, không đủ %(quantity)s túi để phân bổ cho %(ward)s.",
            params={"organizer": campaign.district.level_label, "stock": len(bags), "quantity": quantity, "ward": ward},
        )
    allocation = Allocation(
        campaign=campaign,
        ward=ward,
        quantity=quantity,
        request=request,
        note=note,
        created_by=created_by,
        submission_key=submission_key,
    )
    allocation._history_user = created_by
    allocation.save()
    for bag in bags:
        bag.state, bag.ward, bag.allocation = Bag.State.ALLOCATED, ward, allocation
    bulk_update_with_history(bags, Bag, ["state", "ward", "allocation"], batch_size=1000, default_user=created_by)
    return allocation


@transaction.atomic
def ward_request_create(*, campaign, ward, quantity, reason, created_by):
    """A ward asks the district for more bags, in writing, with a reason."""
    if quantity is None or quantity <= 0:
        raise ValidationError("Số túi đề nghị phải là số nguyên dương.")
    if not (reason or "").strip():
        raise ValidationError("Hãy ghi lý do đề nghị.")
    _check_ward_in_campaign(campaign, ward)
    ward_request = WardRequest(
        campaign=campaign, ward=ward, quantity=quantity, reason=reason.strip(), created_by=created_by
    )
    ward_request._history_user = created_by
    ward_request.save()
    return ward_request


@transaction.atomic
def ward_request_decide(*, ward_request, decided_by, approved_quantity, note=""):
    """Approve a request in full or in part (allocating the bags at once), or refuse it with ``approved_quantity``
    of 0 and a note saying why."""
    ward_request = WardRequest.objects.select_for_update().get(pk=ward_request.pk)
    if ward_request.status != WardRequest.Status.WAITING:
        raise ValidationError("Đề nghị này đã được quyết định.")
    if approved_quantity is None or not 0 <= approved_quantity <= ward_request.quantity:
        raise ValidationError("Số túi duyệt phải từ 0 đến %(quantity)s.", params={"quantity": ward_request.quantity})
    note = (note or "").strip()
    if approved_quantity == 0:
        if not note:
            raise ValidationError("Từ chối đề nghị thì phải ghi lý do.")
        ward_request.status = WardRequest.Status.REFUSED
    elif approved_quantity == ward_request.quantity:
        ward_request.status = WardRequest.Status.APPROVED
    else:
        ward_request.status = WardRequest.Status.PARTLY_APPROVED
    ward_request.approved_quantity = approved_quantity
    ward_request.decision_note = note
    ward_request.decided_by = decided_by
    ward_request.decided_at = timezone.now()
    ward_request._history_user = decided_by
    ward_request.save()
    if approved_quantity:
        allocation_create(
            campaign=ward_request.campaign,
            ward=ward_request.ward,
            quantity=approved_quantity,
            created_by=decided_by,
            request=ward_request,
        )
    return ward_request


def _take_bag_by_serial(campaign, ward, serial, recorded_by):
    """Move the bag with ``serial`` from the ward's stock to "handed out" and return it (the usual case, the
    lowest-numbered bag in stock, is ``Bag.objects.take_next_in_stock``)."""
    serial = serial.strip().upper()
    # The number printed big on a bag is enough: "125" means the campaign's bag Q5-2021-T000125.
    digits = serial.removeprefix("T")
    if digits.isdigit():
        serial = campaign.bag_serial(int(digits))
    # No ordering: the model's ("campaign", …) would join the campaign and lock its row too.
    bag = Bag.objects.select_for_update().filter(serial=serial).order_by().first()
    if bag is None or bag.campaign_id != campaign.pk:
        raise ValidationError("Không có túi mã %(serial)s trong chương trình này.", params={"serial": serial})
    if bag.ward_id != ward.pk or bag.state != Bag.State.ALLOCATED:
        raise ValidationError(
            "Túi %(serial)s không nằm trong kho của %(ward)s (trạng thái: %(state)s).",
            params={"serial": bag.serial, "ward": ward, "state": bag.get_state_display()},
        )
    # The guard the database keeps whatever the locks did (SQLite has none): only a bag still in this ward's
    # stock moves.
    stock = Bag.objects.filter(pk=bag.pk, campaign=campaign, ward=ward, state=Bag.State.ALLOCATED)
    if stock.update(state=Bag.State.HANDED_OUT) != 1:
        raise ValidationError("Túi %(serial)s vừa được trao cho hộ khác. Hãy thử lại.", params={"serial": bag.serial})
    bag.state = Bag.State.HANDED_OUT
    # The UPDATE already changed the row; saving the bag only to have its history written would repeat it, so the
    # history row is written directly, as ``save`` would have written it.
    copy_to_history(Bag, bag.pk, user=recorded_by, kind="~")
    return bag


# A campaign that is not of the household's district, or none: what a ward officer's stale or edited form names.
FOREIGN_CAMPAIGN = "Chương trình này không thuộc quận của anh/chị. Hãy tải lại trang."


@transaction.atomic
def distribution_record(
    *, household, campaign, recorded_by, serial="", received_by="", request_key=None, handed_out_at=None
):
    """Hand one bag of the ward's stock to an approved household (a ``Household`` or its pk) in ``campaign`` (a
    ``Campaign`` or its pk, read afresh under the household's lock) and return the ``Distribution``.

    ``handed_out_at`` defaults to now; a hand-out written up afterwards from a paper list gives its real time.

    ``Household.DoesNotExist`` when there is no such household, or when ``recorded_by`` is a ward officer and it
    is not of their ward. Refused with a message when the campaign is not one of the household's district or is
    closed, the household is not approved, it already holds the campaign's limit of bags, or the ward has no bag. A
    repeated ``request_key`` returns the hand-out already recorded, so a double tap or a retried request never hands
    out twice.
    """
    from households.models import Household

    pk, campaign_pk = getattr(household, "pk", household), getattr(campaign, "pk", campaign)
    received_by, handed_out_at = (received_by or "").strip(), handed_out_at or timezone.now()
    try:
        if not serial:
            # On PostgreSQL the steps below are one call (``relief.hand_out_sql``); elsewhere it answers None.
            answer = Distribution.objects.hand_out_next_bag(
                household=pk,
                campaign=campaign_pk,
                recorded_by=recorded_by,
                request_key=request_key,
                received_by=received_by,
                handed_out_at=handed_out_at,
            )
            if answer is not None:
                return _hand_out_answered(*answer, pk=pk, recorded_by=recorded_by)
        # Locking the household serialises hand-outs to it, so what is read next is settled. An officer hands out
        # in their own ward only: another ward's household is not found, as one that does not exist.
        household = Household.objects.lock_for_hand_out(pk, campaign_pk, ward_id=recorded_by.ward_id)
        if household is None:
            raise Household.DoesNotExist(f"No household {pk} in the ward of {recorded_by}.")
        campaign = household.hand_out_campaign
        foreign = _foreign_campaign(household, campaign)
        if foreign is not None:
            raise foreign
        refusal = _hand_out_refusal(household, campaign)
        # A separate statement, after the lock: a statement that waited for a row lock still reads what was
        # committed when it began, so it would miss the hand-out that the transaction holding the lock had just
        # committed.
        taken, repeat = Distribution.objects.held_and_repeat(
            household=household, campaign=campaign, request_key=request_key
        )
        if repeat is not None:
            return Distribution.objects.get(pk=repeat)
        if refusal is not None:
            raise refusal
        free_slots = [n for n in range(1, campaign.household_limit + 1) if n not in taken]
        if not free_slots:
            raise _household_full(household, campaign)
        distribution = Distribution(
            household=household,
            campaign=campaign,
            ward=household.ward,
            slot=free_slots[0],
            handed_out_at=handed_out_at,
            received_by=received_by,
            recorded_by=recorded_by,
            request_key=request_key,
        )
        if serial:
            bag = _take_bag_by_serial(campaign, household.ward, serial, recorded_by)
        else:
            bag = Bag.objects.take_next_in_stock(campaign=campaign, ward=household.ward, user=recorded_by)
            if bag is None:
                raise _ward_out_of_stock(household)
        distribution.bag = bag
        Distribution.objects.record(distribution, user=recorded_by)
    except IntegrityError as exc:
        # No savepoint of its own: the error leaves this function, and its transaction rolls back whole.
        raise ValidationError("Hộ này vừa được ghi nhận nhận túi. Hãy tải lại trang.") from exc
    return distribution


def _foreign_campaign(household, campaign):
    """The refusal of a campaign that is none, or not of the household's district, as a ``ValidationError`` to
    raise; None if the campaign is the household's."""
    if campaign is None or campaign.district_id != household.ward.district_id:
        return ValidationError(FOREIGN_CAMPAIGN)
    return None


def _hand_out_refusal(household, campaign):
    """Why ``household`` may not receive a bag of ``campaign`` whatever the stock holds, as a ``ValidationError``
    to raise; None if it may."""
    from households.models import Household

    if not campaign.is_open:
        return ValidationError("Chương trình “%(name)s” đã đóng, không trao thêm túi.", params={"name": campaign})
    if household.status != Household.Status.APPROVED:
        return ValidationError(
            "Hộ %(name)s chưa được duyệt nên chưa thể nhận túi.", params={"name": household.head_name}
        )
    return None


def _household_full(household, campaign):
    return ValidationError(
        "Hộ %(name)s đã nhận đủ %(limit)s túi của chương trình này.",
        params={"name": household.head_name, "limit": campaign.household_limit},
    )


def _ward_out_of_stock(household):
    return ValidationError("%(ward)s đã hết túi trong kho. Hãy đề nghị quận bổ sung.", params={"ward": household.ward})


def _hand_out_answered(outcome, distribution, household, *, pk, recorded_by):
    """The hand-out ``relief_hand_out_next_bag`` recorded or found, or the refusal its ``outcome`` means, in the
    service's words. The service's rules are held over the function's: a hand-out they refuse is raised, so its
    transaction rolls back, and a refusal they do not make is a fault of the function, not the officer's."""
    from households.models import Household

    if household is None:
        raise Household.DoesNotExist(f"No household {pk} in the ward of {recorded_by}.")
    campaign = household.hand_out_campaign
    foreign = _foreign_campaign(household, campaign)
    refusal = foreign if foreign is not None else _hand_out_refusal(household, campaign)
    said = {hand_out_sql.FOREIGN: foreign, hand_out_sql.REFUSED: refusal}
    if outcome in said and said[outcome] is None:
        raise RuntimeError(f"{hand_out_sql.NAME} refused ({outcome}) a hand-out the service's rules allow.")
    if foreign is not None:
        raise foreign
    if outcome == hand_out_sql.REPEAT:
        return Distribution.objects.get(pk=distribution)
    if refusal is not None:
        raise refusal
    if outcome == hand_out_sql.FULL:
        raise _household_full(household, campaign)
    if outcome == hand_out_sql.EMPTY:
        raise _ward_out_of_stock(household)
    return distribution


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
    from households.models import Household

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
    bag = Bag.objects.select_for_update().get(pk=distribution.bag_id)
    bag.state = Bag.State.ALLOCATED
    bag._history_user = cancelled_by
    bag.save()
    distribution.cancelled_at = timezone.now()
    distribution.cancelled_by = cancelled_by
    distribution.cancel_reason = reason
    distribution._history_user = cancelled_by
    distribution.save()
    return distribution


@transaction.atomic
def bag_void(*, bag, voided_by, reason):
    """Write off a bag that was lost or damaged before it was handed out. Its money stays spent on it."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Hãy ghi lý do hủy túi (mất, hỏng, …).")
    bag = Bag.objects.select_for_update().get(pk=bag.pk)
    if bag.state not in (Bag.State.AT_DISTRICT, Bag.State.ALLOCATED):
        raise ValidationError(
            "Túi %(serial)s đang ở trạng thái “%(state)s”, không hủy được.",
            params={"serial": bag.serial, "state": bag.get_state_display()},
        )
    bag.state, bag.void_reason = Bag.State.VOID, reason
    bag._history_user = voided_by
    bag.save()
    return bag
