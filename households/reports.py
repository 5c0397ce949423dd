"""Reports of people the lists missed ("Báo bị bỏ sót"): filed by anyone, routed to a ward, resolved there.

The public form is open to everyone, so what it may write is bounded here, where every way in passes: a few reports
per sender address an hour and per phone number a day. A report changes state only through these functions, each
one transaction with its history row.
"""

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import Household, MissedReport

MAX_PER_ADDRESS_HOUR = 5
MAX_PER_PHONE_DAY = 3
# No 0/O, 1/I/L: a code read out over the phone or copied by hand comes back right.
CODE_LETTERS = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
TOO_MANY = (
    "Đã nhận nhiều báo cáo từ %(what)s trong thời gian ngắn. Xin thử lại sau, hoặc gọi điện cho cán bộ nơi người đó ở."
)


def sender_of(address):
    """A one-way key of the sender's address: enough to count its reports, useless to find the person."""
    return salted_hmac("households.reports.sender", address or "").hexdigest() if address else ""


def _check_limits(sender, phones, now):
    if (
        sender
        and MissedReport.objects.filter(sender=sender, created_at__gte=now - datetime.timedelta(hours=1)).count()
        >= MAX_PER_ADDRESS_HOUR
    ):
        raise ValidationError(TOO_MANY, params={"what": "địa chỉ mạng này"}, code="too_many")
    for phone in filter(None, phones):
        same = Q(phone=phone) | Q(reporter_phone=phone)
        if (
            MissedReport.objects.filter(same, created_at__gte=now - datetime.timedelta(days=1)).count()
            >= MAX_PER_PHONE_DAY
        ):
            raise ValidationError(TOO_MANY, params={"what": "số điện thoại này"}, code="too_many")


@transaction.atomic
def report_missed(*, campaign, ward=None, channel=MissedReport.Channel.PUBLIC, sender="", created_by=None, **fields):
    """Record a report for ``campaign`` (``ward`` None: not known, the district routes it) and return it with its
    tracking code. ``fields`` are the report's own (name, phone, staying_at, category, situation, reporter_name,
    reporter_phone). Reports from the public page count against the sender's and the phones' limits."""
    if ward is not None and ward.district_id != campaign.district_id:
        raise ValidationError("Đơn vị này không thuộc chương trình.")
    if not campaign.is_open:
        raise ValidationError("Chương trình “%(name)s” đã đóng.", params={"name": campaign})
    now = timezone.now()
    if channel == MissedReport.Channel.PUBLIC:
        _check_limits(sender, [fields.get("phone"), fields.get("reporter_phone")], now)
    report = MissedReport(
        campaign=campaign,
        ward=ward,
        channel=channel,
        sender=sender,
        created_by=created_by,
        created_at=now,
        deadline=now + datetime.timedelta(days=campaign.report_days),
        **fields,
    )
    report._history_user = created_by
    for _ in range(5):
        report.code = "".join(secrets.choice(CODE_LETTERS) for _ in range(CODE_LENGTH))
        try:
            with transaction.atomic():
                report.save()
            return report
        except IntegrityError:
            if not MissedReport.objects.filter(code=report.code).exists():
                raise
    raise RuntimeError("No free tracking code after five draws.")


def _open(report):
    report = MissedReport.objects.select_for_update().get(pk=report.pk)
    if report.status != MissedReport.Status.OPEN:
        raise ValidationError("Báo cáo này đã được xử lý (%(status)s).", params={"status": report.get_status_display()})
    return report


def _resolve(report, by, status, **values):
    for name, value in values.items():
        setattr(report, name, value)
    report.status, report.resolved_by, report.resolved_at = status, by, timezone.now()
    report._history_user = by
    report.save()
    return report


@transaction.atomic
def report_route(*, report, ward, routed_by):
    """The district sends a report whose ward was not known (or was wrong) to ``ward``'s queue."""
    report = _open(report)
    if ward.district_id != report.campaign.district_id:
        raise ValidationError("Đơn vị này không thuộc chương trình.")
    report.ward = ward
    report._history_user = routed_by
    report.save()
    return report


@transaction.atomic
def report_register(*, report, household, registered_by):
    """The report became ``household``, registered from it (``household_create`` with the report prefilled).

    The officer registers it after verifying the report on the spot, so the household is approved at once and can
    receive a bag in the same visit: the promise is that nobody in difficulty waits for a list. Its history names
    the officer who approved it; the district sees it among the ward's households as any other.
    """
    report = _open(report)
    if household.ward_id != report.ward_id:
        raise ValidationError("Hộ vừa lập không thuộc đơn vị của báo cáo.")
    if household.status == Household.Status.PROPOSED:
        household.status = Household.Status.APPROVED
        household._history_user = registered_by
        household.save(update_fields=["status", "updated_at"])
    return _resolve(report, registered_by, MissedReport.Status.REGISTERED, household=household)


@transaction.atomic
def report_link(*, report, household, linked_by):
    """The person reported is already ``household`` of the report's ward: the report points at it and closes."""
    report = _open(report)
    if household.ward_id != report.ward_id:
        raise ValidationError("Hộ này không thuộc đơn vị của báo cáo.")
    return _resolve(report, linked_by, MissedReport.Status.LINKED, household=household)


@transaction.atomic
def report_close(*, report, reason, closed_by):
    """Close a report with a reason (not in need, moved away, a joke …) that the history keeps."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Hãy ghi lý do đóng báo cáo.")
    report = _open(report)
    return _resolve(report, closed_by, MissedReport.Status.CLOSED, close_reason=reason[:300])


def household_initial(report):
    """What the registration form starts from when an officer registers the household a report describes."""
    return {
        "head_name": report.name,
        "phone": report.phone,
        "address": report.staying_at,
        "categories": [report.category] if report.category_id else [],
        "source": Household.Source.SELF_REPORT,
        "notes": f"Từ báo bị bỏ sót {report.code}. {report.situation}".strip(),
    }


# What the reporter reads: whether someone looked, and whether it was settled, without saying how.
PUBLIC_WORDS = {
    MissedReport.Status.OPEN: "Đang chờ cán bộ địa phương xác minh",
    MissedReport.Status.REGISTERED: "Đã giải quyết",
    MissedReport.Status.LINKED: "Đã giải quyết",
    MissedReport.Status.CLOSED: "Đã đóng",
}


def public_status(code):
    """``{"status", "reported_on", "resolved_on"}`` of the report with tracking ``code``, or None: the words of
    its status and two dates, nothing personal, ever."""
    code = (code or "").strip().upper().replace(" ", "")
    found = MissedReport.objects.filter(code=code).values("status", "created_at", "resolved_at").first()
    if found is None:
        return None
    return {
        "status": PUBLIC_WORDS[found["status"]],
        "reported_on": found["created_at"],
        "resolved_on": found["resolved_at"],
    }
