"""Moving bags: from the district to a ward, from a ward's stock to a hand-out and back, and written off.

Every change of a bag's state after it is made (``donations.funding`` makes bags) is one of these functions. Counts
are never read and then written: a bag changes state through a conditional UPDATE on its current state, so two
officers racing for the last bag cannot both get it.
"""

from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from .history import copy_to_history
from .models import Allocation, Bag, Campaign, Recall, WardRequest, WriteOff
from .rows import columns, models_from_row


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


def bag_hand_out(*, campaign, ward, user, serial=""):
    """Move a bag of ``campaign`` from ``ward``'s stock to "handed out", write its history row as ``user``'s, and
    return it: the bag printed with ``serial`` when one is given, else the lowest-numbered bag in stock (None when
    the stock is empty). Run inside the hand-out's transaction.

    One statement picks, locks and moves the bag: ``UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED) RETURNING``
    (``update()`` returns no rows, hence the SQL). Concurrent hand-outs in one ward each take a different bag
    instead of queueing on one, and only a bag still in the ward's stock can move.
    """
    if serial:
        return _hand_out_by_serial(campaign, ward, serial, user)
    db = router.db_for_write(Bag)
    connection = connections[db]
    quote = connection.ops.quote_name
    lock = " FOR UPDATE SKIP LOCKED" if connection.features.has_select_for_update_skip_locked else ""
    table = quote(Bag._meta.db_table)
    sql = (
        f"UPDATE {table} SET state = %s WHERE state = %s AND id = ("
        f"SELECT id FROM {table} WHERE campaign_id = %s AND ward_id = %s AND state = %s"
        f" ORDER BY number LIMIT 1{lock}) RETURNING {', '.join(columns(Bag, None, quote))}"
    )
    allocated = Bag.State.ALLOCATED
    with connection.cursor() as cursor:
        cursor.execute(sql, [Bag.State.HANDED_OUT, allocated, campaign.pk, ward.pk, allocated])
        row = cursor.fetchone()
    if row is None:
        return None
    (bag,) = models_from_row(db, row, Bag)
    copy_to_history(Bag, bag.pk, user=user, kind="~")
    return bag


def _hand_out_by_serial(campaign, ward, serial, user):
    serial = campaign.typed_serial(serial)
    # No ordering: the model's ("campaign", …) would join the campaign and lock its row too.
    bag = Bag.objects.select_for_update().filter(serial=serial).order_by().first()
    if bag is None or bag.campaign_id != campaign.pk:
        raise ValidationError("Không có túi mã %(serial)s trong chương trình này.", params={"serial": serial})
    if bag.ward_id != ward.pk or bag.state != Bag.State.ALLOCATED:
        raise ValidationError(
            "Túi %(serial)s không nằm trong kho của %(ward)s: %(why)s.",
            params={"serial": bag.serial, "ward": ward, "why": _why_not_in_stock(bag, ward, campaign)},
        )
    # The guard the database keeps whatever the locks did (SQLite has none): only a bag still in this ward's
    # stock moves.
    stock = Bag.objects.filter(pk=bag.pk, campaign=campaign, ward=ward, state=Bag.State.ALLOCATED)
    if stock.update(state=Bag.State.HANDED_OUT) != 1:
        raise ValidationError("Túi %(serial)s vừa được trao cho hộ khác. Hãy thử lại.", params={"serial": bag.serial})
    bag.state = Bag.State.HANDED_OUT
    # The UPDATE already changed the row; saving the bag only to have its history written would repeat it.
    copy_to_history(Bag, bag.pk, user=user, kind="~")
    return bag


def _why_not_in_stock(bag, ward, campaign):
    """Why a bag named by its serial is not in ``ward``'s stock, in words; another ward's bag is said to be
    another's and nothing more (invariant 5)."""
    if bag.state == Bag.State.VOID:
        return "túi đã bị hủy (mất, hỏng), không trao được"
    if bag.state == Bag.State.AT_DISTRICT:
        return f"túi còn ở kho của {campaign.district}, chưa phân bổ"
    if bag.ward_id != ward.pk:
        return "đây là túi của đơn vị khác"
    return "túi đã được trao rồi, mỗi túi chỉ trao một lần"


def bag_return_to_stock(*, bag_pk, user):
    """Put a handed-out bag back in its ward's stock (its hand-out was cancelled) and return it. Run inside the
    cancel's transaction, after the household's lock (the order every hand-out takes its locks in)."""
    bag = Bag.objects.select_for_update().get(pk=bag_pk)
    if bag.state != Bag.State.HANDED_OUT:
        raise ValidationError("Túi %(serial)s không ở trạng thái đã trao.", params={"serial": bag.serial})
    bag.state = Bag.State.ALLOCATED
    bag._history_user = user
    bag.save()
    return bag


def bags_unfund(*, bags, reason, user):
    """Void ``bags`` (locked by the caller, at the district or already void) because the money that paid for them
    was reversed: they were never really funded. A bag already lost keeps where and why it was lost. Run inside the
    reversal's transaction."""
    for bag in bags:
        if bag.state != Bag.State.VOID:
            bag.state, bag.ward, bag.allocation, bag.void_reason = Bag.State.VOID, None, None, reason
        bag.unfunded = True
        bag._history_user = user
        bag.save()


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


@transaction.atomic
def bags_recall(*, campaign, ward, quantity, reason, created_by, to_ward=None, submission_key=None):
    """Take ``quantity`` bags of ``campaign`` out of ``ward``'s stock, highest serial numbers first, back to the
    district, or on to ``to_ward`` of the same district (a transfer: a new allocation to it carries them), and
    return the ``Recall``.

    The bags are locked before they move. A hand-out racing in the ward takes its bag with ``SKIP LOCKED`` and so
    picks another one; a bag a hand-out took first is no longer in stock when the recall reads it under its lock,
    so no bag is both handed out and recalled. A bag the ward has proposed writing off stays where it is: its
    proposal waits for the district about a bag in that ward's stock, and moving the bag would let an approval void
    another ward's bag. ``submission_key`` is the form's one-time key (``relief.submissions``).
    """
    reason = (reason or "").strip()
    if quantity is None or quantity <= 0:
        raise ValidationError("Số túi thu hồi phải là số nguyên dương.")
    if not reason:
        raise ValidationError("Hãy ghi lý do thu hồi túi.")
    _check_ward_in_campaign(campaign, ward)
    if to_ward is not None:
        _check_ward_in_campaign(campaign, to_ward)
        if to_ward.pk == ward.pk:
            raise ValidationError("Đơn vị nhận phải khác đơn vị bị thu hồi.")
    in_stock = Bag.objects.filter(campaign=campaign, ward=ward, state=Bag.State.ALLOCATED)
    waiting = WriteOff.objects.filter(bag=OuterRef("pk"), status=WriteOff.Status.WAITING)
    bags = list(in_stock.filter(~Exists(waiting)).select_for_update().order_by("-number")[:quantity])
    if len(bags) < quantity:
        held = in_stock.filter(Exists(waiting)).count()
        raise ValidationError(
            "%(ward)s chỉ còn %(stock)s túi trong kho%(held)s, không đủ %(quantity)s túi để thu hồi.",
            params={
                "ward": ward,
                "stock": len(bags),
                "held": f" (không kể {held} túi đang chờ quận duyệt hủy)" if held else "",
                "quantity": quantity,
            },
        )
    transfer = None
    if to_ward is not None:
        transfer = Allocation(
            campaign=campaign,
            ward=to_ward,
            quantity=quantity,
            note=f"Chuyển từ {ward}: {reason}"[:300],
            created_by=created_by,
        )
        transfer._history_user = created_by
        transfer.save()
    recall = Recall(
        campaign=campaign,
        ward=ward,
        quantity=quantity,
        reason=reason,
        transfer=transfer,
        created_by=created_by,
        submission_key=submission_key,
    )
    recall._history_user = created_by
    recall.save()
    for bag in bags:
        if transfer is None:
            bag.state, bag.ward, bag.allocation = Bag.State.AT_DISTRICT, None, None
        else:
            bag.ward, bag.allocation = to_ward, transfer
    bulk_update_with_history(bags, Bag, ["state", "ward", "allocation"], batch_size=1000, default_user=created_by)
    return recall


def _in_stock_of(bag, user):
    """Whether ``bag`` is in the stock ``user`` may write off from: their ward's, or any ward's for a user of no
    ward."""
    return bag.state == Bag.State.ALLOCATED and (not user.ward_id or bag.ward_id == user.ward_id)


@transaction.atomic
def write_off_propose(*, bag, reason, proposed_by):
    """A ward proposes writing off a bag of its stock that was lost, damaged or spoiled; the district decides."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Hãy ghi lý do (mất, hỏng, …).")
    bag = Bag.objects.select_for_update().get(pk=bag.pk)
    if not _in_stock_of(bag, proposed_by):
        raise ValidationError(
            "Túi %(serial)s không còn trong kho của đơn vị (trạng thái: %(state)s).",
            params={"serial": bag.serial, "state": bag.get_state_display()},
        )
    if bag.write_offs.filter(status=WriteOff.Status.WAITING).exists():
        raise ValidationError("Túi %(serial)s đã có đề xuất hủy đang chờ duyệt.", params={"serial": bag.serial})
    write_off = WriteOff(bag=bag, reason=reason, proposed_by=proposed_by)
    write_off._history_user = proposed_by
    write_off.save()
    return write_off


@transaction.atomic
def write_off_decide(*, write_off, decided_by, approve, note=""):
    """Approve a proposed write-off (the bag is voided with the ward's reason) or refuse it with a note.

    Only a bag still in the proposing ward's stock is written off: one handed out since, or moved by a recall that
    raced with the proposal, is no longer the bag the ward said was lost, and voiding it would take it from a
    household's record or from another ward's stock.
    """
    write_off = WriteOff.objects.select_for_update().get(pk=write_off.pk)
    if write_off.status != WriteOff.Status.WAITING:
        raise ValidationError("Đề xuất này đã được quyết định.")
    note = (note or "").strip()
    if approve:
        bag = Bag.objects.select_for_update().get(pk=write_off.bag_id)
        if not _in_stock_of(bag, write_off.proposed_by):
            raise ValidationError(
                "Túi %(serial)s không còn trong kho của %(ward)s (trạng thái: %(state)s), không duyệt hủy được. "
                "Hãy từ chối đề xuất kèm lý do.",
                params={
                    "serial": bag.serial,
                    "ward": write_off.proposed_by.ward or "đơn vị đề xuất",
                    "state": bag.get_state_display(),
                },
            )
        bag_void(bag=bag, voided_by=decided_by, reason=f"{write_off.reason} (đã duyệt hủy)"[:300])
        write_off.status = WriteOff.Status.APPROVED
    else:
        if not note:
            raise ValidationError("Từ chối đề xuất thì phải ghi lý do.")
        write_off.status = WriteOff.Status.REFUSED
    write_off.decision_note, write_off.decided_by, write_off.decided_at = note, decided_by, timezone.now()
    write_off._history_user = decided_by
    write_off.save()
    return write_off
