"""The ward officer's pages: their ward's figures, its household register, hand-outs and requests to the district.

Every page is for ward officers only (anyone else gets 403) and every object is fetched through one
``_get_<object>_for_user`` helper, so another ward's household, bag, hand-out or request is a 404 whatever the URL.
The one exception is the hand-out itself, whose household is read once, under the service's lock, which takes only
a household of the officer's own ward (``_record_hand_out``).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from relief.access import officer_required
from relief.history import record_history
from relief.levels import words_for
from relief.models import Bag, Distribution, Recall, WardRequest, WriteOff
from relief.qr_photo import photos_in_memory
from relief.services import ward_request_create, write_off_propose

from . import selectors
from .cccd_qr import looks_like_cccd, parse_cccd
from .duplicates import duplicates_of, duplicates_shown
from .forms import (
    CancelForm,
    CccdScanForm,
    HandOutForm,
    HouseholdFilterForm,
    HouseholdForm,
    QueueSearchForm,
    ReportResolveForm,
    ReportRevealForm,
    RevealForm,
    ScanForm,
    StaffMissedReportForm,
    WardRequestForm,
    WriteOffForm,
)
from .hand_outs import distribution_can_be_cancelled_by, distribution_cancel, distribution_record
from .models import Household, MissedReport
from .reports import household_initial, report_close, report_link, report_missed, report_register
from .services import (
    household_register,
    household_update,
    personal_data_reveal,
    personal_data_shown_for_editing,
)

CAMPAIGN_SESSION_KEY = "ward_campaign"


def _posted(request):
    """The form data of a POST, even an empty one (``request.POST or None`` would show an empty POST a blank form)."""
    return request.POST if request.method == "POST" else None


def _get_household_for_user(request, pk):
    return get_object_or_404(Household.objects.visible_to(request.user).select_related("ward"), pk=pk)


def _get_distribution_for_user(request, pk):
    distributions = Distribution.objects.visible_to(request.user).select_related(
        "bag", "household", "campaign", "recorded_by", "cancelled_by"
    )
    return get_object_or_404(distributions, pk=pk)


def _get_bag_for_user(request, pk):
    return get_object_or_404(Bag.objects.visible_to(request.user).select_related("campaign", "ward"), pk=pk)


def _get_ward_request_for_user(request, pk):
    requests = WardRequest.objects.visible_to(request.user).select_related("campaign", "created_by", "decided_by")
    return get_object_or_404(requests, pk=pk)


def _campaign(request):
    """The campaign the officer works on: the one picked (remembered for the session), else the most recent open one."""
    wanted = request.GET.get("campaign") or request.session.get(CAMPAIGN_SESSION_KEY)
    campaign, campaigns = selectors.campaign_choice(request.user, wanted)
    if campaign is not None and "campaign" in request.GET:
        request.session[CAMPAIGN_SESSION_KEY] = campaign.pk
    return campaign, campaigns


@officer_required
@require_GET
def home(request):
    campaign, campaigns = _campaign(request)
    context = {
        "section": "home",
        "campaign": campaign,
        "campaigns": campaigns,
        "home": selectors.ward_home(request.user, campaign),
        "reports": selectors.open_reports(request.user),
    }
    return render(request, "ward/home.html", context)


@officer_required
@require_GET
def household_list(request):
    campaign, _ = _campaign(request)
    filters = HouseholdFilterForm(request.GET)
    page = selectors.household_page(request.user, campaign=campaign, **filters.filters())
    query = request.GET.copy()
    query.pop("after", None)
    context = {
        "section": "households",
        "campaign": campaign,
        "filters": filters,
        "page": page,
        "query": query.urlencode(),
        "stock": selectors.ward_stock(request.user, campaign),
    }
    if request.htmx and request.htmx.target == "results":
        return render(request, "ward/partials/household_results.html", context)
    return render(request, "ward/household_list.html", context)


def _household_form_page(request, form, household, duplicates):
    context = {
        "section": "households",
        "form": form,
        "household": household,
        "duplicates": duplicates,
        "needs_decision": any(duplicate.needs_decision for duplicate in duplicates),
    }
    return render(request, "ward/household_form.html", context)


def _duplicates_block_save(form, viewer):
    """Likely duplicates of the household as typed, unless the officer has confirmed it is someone else and none
    of them shares its national ID (``Duplicate.needs_decision``)."""
    confirmed = form.cleaned_data.get("confirm_duplicates")
    if confirmed and not any(duplicate.needs_decision for duplicate in duplicates_of(form.instance)):
        return []
    return duplicates_shown(form.instance, viewer=viewer)


def _is_scan(request):
    """Whether a registration form was sent to read a CCCD's code (a photo or a code read on the phone) rather
    than to be saved."""
    return request.method == "POST" and bool(
        request.POST.get("scan") or request.POST.get("code") or request.FILES.get("photo")
    )


def _household_scanned(request):
    """The registration form again, filled from the CCCD's code over what the officer had typed, with the usual
    duplicate warnings; or with the reason the code could not be read. Nothing is saved."""
    scan = CccdScanForm(request.POST, request.FILES)
    typed = {name: request.POST.get(name) for name in HouseholdForm.Meta.fields if name in request.POST}
    typed["categories"] = request.POST.getlist("categories")
    household = Household(ward=request.user.ward)
    duplicates = []
    if scan.is_valid():
        card = scan.cleaned_data["card"]
        typed.update(card.form_initial())
        household.head_name, household.national_id, household.address = card.full_name, card.national_id, card.address
        duplicates = duplicates_shown(household, viewer=request.user)
    form = HouseholdForm(initial=typed, instance=household)
    context = {"section": "households", "form": form, "household": None, "duplicates": duplicates, "scan": scan}
    return render(request, "ward/household_form.html", context)


@sensitive_post_parameters("code")
@officer_required
@require_http_methods(["GET", "POST"])
@photos_in_memory
def household_create(request):
    if _is_scan(request):
        return _household_scanned(request)
    # Registering the household a report describes: the form starts from the report, and the report is resolved
    # with the household in the same transaction.
    report = _get_open_report_for_user(request, request.GET.get("bao")) if request.GET.get("bao") else None
    initial = household_initial(report) if report else None
    form = HouseholdForm(_posted(request), instance=Household(ward=request.user.ward), initial=initial)
    if request.method == "POST" and form.is_valid():
        duplicates = _duplicates_block_save(form, request.user)
        if not duplicates:
            with transaction.atomic():
                household = household_register(ward=request.user.ward, created_by=request.user, **form.service_fields())
                if report is not None:
                    report_register(report=report, household=household, registered_by=request.user)
            if report is not None:
                messages.success(
                    request, f"Đã thêm hộ {household.head_name} từ báo cáo đã xác minh; có thể trao túi ngay."
                )
            else:
                org = words_for(request.user).org
                messages.success(
                    request, f"Đã thêm hộ {household.head_name}. Hộ ở trạng thái “Đề xuất”, chờ {org} duyệt."
                )
            return redirect("ward:household", pk=household.pk)
        return _household_form_page(request, form, None, duplicates)
    if request.method == "GET" and report is not None:
        personal_data_shown_for_editing(report=report, viewer=request.user)
    return _household_form_page(request, form, None, [])


@officer_required
@require_http_methods(["GET", "POST"])
def household_edit(request, pk):
    household = _get_household_for_user(request, pk)
    form = HouseholdForm(_posted(request), instance=household, initial={"categories": list(household.categories.all())})
    if request.method == "POST" and form.is_valid():
        duplicates = _duplicates_block_save(form, request.user)
        if not duplicates:
            household = household_update(household=household, updated_by=request.user, **form.service_fields())
            messages.success(request, f"Đã lưu hộ {household.head_name}.")
            if household.sent_back:
                messages.warning(
                    request,
                    "Họ tên hoặc CCCD đã đổi nên hộ trở lại trạng thái “Đề xuất”, "
                    f"chờ {words_for(request.user).org} duyệt.",
                )
            return redirect("ward:household", pk=household.pk)
        return _household_form_page(request, form, household, duplicates)
    if request.method == "GET":
        personal_data_shown_for_editing(household=household, viewer=request.user)
    return _household_form_page(request, form, household, [])


@officer_required
@require_GET
def household_detail(request, pk):
    return _household_page(request, _get_household_for_user(request, pk), revealed={})


@officer_required
@require_POST
def household_reveal(request, pk):
    """Show one full number on the household's page, once, and record who saw it; lists keep it masked."""
    household = _get_household_for_user(request, pk)
    revealed = _revealed(request, RevealForm, household=household)
    if revealed is None:
        return redirect("ward:household", pk=household.pk)
    return _household_page(request, household, revealed=revealed)


def _revealed(request, form_class, **record):
    """``{field: its full number}`` of the one number the posted ``form_class`` asks to see on ``record`` (a
    household or a report), its look recorded; None, with the form's message, when the post names no such number."""
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["field"]))
        return None
    field = form.cleaned_data["field"]
    return {field: personal_data_reveal(viewer=request.user, field=field, **record)}


def _household_page(request, household, revealed):
    campaign, _ = _campaign(request)
    item = selectors.household_for_item(request.user, household.pk, campaign)
    hand_outs = selectors.household_hand_outs(household)
    for distribution in hand_outs:
        distribution.cancellable = distribution_can_be_cancelled_by(distribution, request.user)
    context = {
        "section": "households",
        "household": item,
        "campaign": campaign,
        "hand_outs": hand_outs,
        "duplicates": duplicates_shown(household, viewer=request.user),
        "stock": selectors.ward_stock(request.user, campaign),
        "revealed": revealed,
        "changes": selectors.household_changes(household),
    }
    return render(request, "ward/household_detail.html", context)


def _record_hand_out(request, pk, form):
    """Record the hand-out the form asks for to household ``pk``; return ``(distribution, error message)``, one of
    them None.

    The household is not read beforehand: the service reads it under its lock, and takes it only from the
    officer's own ward (another ward's is a 404), so that one read is the access check (a second read would repeat
    it on the busiest request). Without a hand-out, the view reads it through ``_get_household_for_user``.
    """
    if not form.is_valid():
        return None, " ".join(message for messages_ in form.errors.values() for message in messages_)
    data = form.cleaned_data
    try:
        distribution = distribution_record(
            household=pk,
            campaign=data["campaign"],
            recorded_by=request.user,
            serial=data["serial"],
            received_by=data["received_by"],
            request_key=data["request_key"],
        )
    except Household.DoesNotExist:
        raise Http404("Không tìm thấy hộ này trong đơn vị của anh/chị.") from None
    except ValidationError as error:
        return None, " ".join(error.messages)
    return distribution, None


def _stock(request, distribution, campaign):
    """The ward's stock to show once a hand-out was answered: as the hand-out left it, else read."""
    if distribution is not None and distribution.stock_after is not None:
        return distribution.stock_after
    return selectors.ward_stock(request.user, campaign)


def _posted_campaign(request, form):
    """The campaign a refused hand-out form named, if the officer may see it, else the one they work on."""
    return selectors.campaign_visible_to(request.user, form.cleaned_data.get("campaign")) or _campaign(request)[0]


@sensitive_post_parameters("serial")
@officer_required
@require_POST
@photos_in_memory
def hand_out(request, pk):
    form = HandOutForm(request.POST, request.FILES)
    distribution, error = _record_hand_out(request, pk, form)
    household = distribution.household if distribution else _get_household_for_user(request, pk)
    if request.htmx:
        campaign = distribution.campaign if distribution else _posted_campaign(request, form)
        context = {
            "household": selectors.household_for_item(request.user, household.pk, campaign, handed_out=distribution),
            "campaign": campaign,
            "just_done": distribution,
            "error": error,
            "queue": request.POST.get("mode") == "queue",
            "stock": _stock(request, distribution, campaign),
        }
        return render(request, "ward/partials/hand_out_result.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"Đã trao túi {distribution.bag.serial} cho hộ {household.head_name}.")
    return redirect("ward:household", pk=household.pk)


@officer_required
@require_GET
def queue(request):
    """Quick mode for a queue: search a person, hand out, next person, without leaving the page.

    The search box asks htmx for the results only; without JavaScript the same URL renders the whole page.
    """
    campaign, _ = _campaign(request)
    text = QueueSearchForm(request.GET).text()
    rows = selectors.household_page(request.user, campaign=campaign, text=text).rows[:10] if text else []
    context = {"section": "queue", "campaign": campaign, "rows": rows, "text": text, "queue": True}
    if request.htmx and request.htmx.target == "queue-results":
        return render(request, "ward/partials/queue_results.html", context)
    context["stock"] = selectors.ward_stock(request.user, campaign)
    return render(request, "ward/queue.html", context)


BAG_BEFORE_PERSON = (
    "Đây là nhãn túi. Hãy tìm người nhận trước (gõ tên, hoặc quét CCCD), rồi bấm “Quét nhãn túi” trên thẻ của hộ."
)


@sensitive_post_parameters("code")
@officer_required
@require_POST
@photos_in_memory
def scan(request):
    """The queue's scanner: a CCCD's code finds its household in the officer's ward, as a search for its number
    would (the same scope and masking); a bag's label is handed out from a household's card instead."""
    campaign, _ = _campaign(request)
    form = ScanForm(request.POST, request.FILES)
    rows, message = [], ""
    if not form.is_valid():
        message = " ".join(message for messages_ in form.errors.values() for message in messages_)
    elif not looks_like_cccd(form.cleaned_data["text"]):
        message = BAG_BEFORE_PERSON
    else:
        try:
            card = parse_cccd(form.cleaned_data["text"])
        except ValidationError as error:
            message = " ".join(error.messages)
        else:
            rows, message = selectors.households_scanned(request.user, campaign, card.national_id)
    context = {"section": "queue", "campaign": campaign, "rows": rows, "queue": True, "scan_message": message}
    if request.htmx:
        return render(request, "ward/partials/queue_results.html", context)
    context["stock"] = selectors.ward_stock(request.user, campaign)
    return render(request, "ward/queue.html", context)


@officer_required
@require_http_methods(["GET", "POST"])
def cancel_hand_out(request, pk):
    distribution = _get_distribution_for_user(request, pk)
    allowed = distribution_can_be_cancelled_by(distribution, request.user)
    form = CancelForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            distribution_cancel(
                distribution=distribution, cancelled_by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"Đã hủy lượt trao túi {distribution.bag.serial}; túi đã trở lại kho {words_for(request.user).unit}.",
            )
            return redirect("ward:household", pk=distribution.household_id)
    context = {"section": "households", "distribution": distribution, "form": form, "allowed": allowed}
    return render(request, "ward/cancel.html", context)


@officer_required
@require_GET
def bag_detail(request, pk):
    bag = _get_bag_for_user(request, pk)
    hand_outs = selectors.bag_hand_outs(request.user, bag)
    for distribution in hand_outs:  # a bag changes hands a few times at most: one history read per hand-out
        distribution.changes = record_history(distribution)
    context = {"section": "home", "bag": bag, "hand_outs": hand_outs, "changes": record_history(bag)}
    return render(request, "ward/bag_detail.html", context)


@officer_required
@require_http_methods(["GET", "POST"])
def ward_requests(request):
    campaign, _ = _campaign(request)
    figures = selectors.ward_figures_of(request.user, campaign, with_reports=True)
    initial = {"campaign": campaign.pk, "quantity": figures.suggested_bags or None} if campaign else {}
    form = WardRequestForm(_posted(request), user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ward_request = ward_request_create(
                campaign=data["campaign"],
                ward=request.user.ward,
                quantity=data["quantity"],
                reason=data["reason"],
                created_by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Đã gửi đề nghị {ward_request.quantity} túi lên {words_for(request.user).org}.")
            return redirect("ward:requests")
    requests = selectors.ward_requests_of(request.user)
    context = {"section": "requests", "campaign": campaign, "form": form, "requests": requests, "figures": figures}
    return render(request, "ward/requests.html", context)


@officer_required
@require_GET
def ward_request_detail(request, pk):
    ward_request = _get_ward_request_for_user(request, pk)
    context = {"section": "requests", "ward_request": ward_request, "changes": record_history(ward_request)}
    return render(request, "ward/request_detail.html", context)


@officer_required
@require_http_methods(["GET", "POST"])
def write_offs(request):
    """Propose writing off a lost or damaged bag of the ward's stock; the ward's proposals and the bags the district
    took back from it, with the reasons."""
    campaign, _ = _campaign(request)
    initial = {"campaign": campaign.pk} if campaign else {}
    form = WriteOffForm(_posted(request), user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            write_off = write_off_propose(
                bag=form.cleaned_data["bag"], reason=form.cleaned_data["reason"], proposed_by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Đã gửi đề xuất hủy túi {write_off.bag} lên {request.user.district.level_word}.")
            return redirect("ward:write_offs")
    context = {
        "section": "write_offs",
        "campaign": campaign,
        "form": form,
        "write_offs": WriteOff.objects.visible_to(request.user).select_related("bag", "decided_by")[:50],
        "recalls": Recall.objects.visible_to(request.user).select_related("transfer__ward", "created_by")[:50],
    }
    return render(request, "ward/write_offs.html", context)


def _get_report_for_user(request, pk):
    return get_object_or_404(MissedReport.objects.visible_to(request.user).select_related("category"), pk=pk)


def _get_open_report_for_user(request, pk):
    if not str(pk).isdigit():
        raise Http404
    return get_object_or_404(MissedReport.objects.visible_to(request.user).open(), pk=pk)


@officer_required
@require_http_methods(["GET", "POST"])
def missed_reports(request):
    """The ward's queue of reports, oldest deadline first, each with its age; and a form for a report that came to
    the ward by phone or letter."""
    campaign, _ = _campaign(request)
    form = StaffMissedReportForm(_posted(request), campaign=campaign, ward=request.user.ward) if campaign else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            report = report_missed(
                campaign=campaign,
                ward=request.user.ward,
                channel=form.cleaned_data["channel"],
                created_by=request.user,
                **form.report_fields(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Đã ghi báo cáo {report.code} ({report.name}).")
            return redirect("ward:missed_reports")
    reports = MissedReport.objects.visible_to(request.user).select_related("category")
    shown, more = selectors.first_reports(reports.open())
    context = {
        "form": form,
        "section": "reports",
        "open": shown,
        "open_more": more,
        "done": list(reports.exclude(status=MissedReport.Status.OPEN).order_by("-resolved_at")[:20]),
        "now": timezone.now(),
    }
    return render(request, "ward/missed_reports.html", context)


@officer_required
@require_http_methods(["GET", "POST"])
def missed_report(request, pk):
    """One report: register the household it describes, say it is a household already registered, or close it."""
    report = _get_report_for_user(request, pk)
    form = ReportResolveForm(_posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["action"] == ReportResolveForm.LINK:
                report_link(report=report, household=form.cleaned_data["household"], linked_by=request.user)
            else:
                report_close(report=report, reason=form.cleaned_data["reason"], closed_by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Đã xử lý báo cáo {report.code}.")
            return redirect("ward:missed_reports")
    return _missed_report_page(request, report, form, revealed={})


@officer_required
@require_POST
def missed_report_reveal(request, pk):
    """Show one full phone number on the report's page, once, and record who saw it."""
    report = _get_report_for_user(request, pk)
    revealed = _revealed(request, ReportRevealForm, report=report)
    if revealed is None:
        return redirect("ward:missed_report", pk=report.pk)
    return _missed_report_page(request, report, ReportResolveForm(user=request.user), revealed=revealed)


def _missed_report_page(request, report, form, revealed):
    context = {
        "section": "reports",
        "report": report,
        "form": form,
        "candidates": selectors.report_candidates(request.user, report),
        "changes": record_history(report),
        "revealed": revealed,
    }
    return render(request, "ward/missed_report.html", context)


@officer_required
@require_GET
def signature_list(request):
    campaign, _ = _campaign(request)
    served = request.GET.get("served", "")
    rows = selectors.signature_list(request.user, campaign, served=served)
    context = {
        "section": "print",
        "campaign": campaign,
        "rows": rows,
        "served": served,
        "limit": selectors.PRINT_LIMIT,
        "today": timezone.localdate(),
    }
    return render(request, "ward/signature_list.html", context)
