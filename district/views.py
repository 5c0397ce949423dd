"""District staff's pages: stock and allocation, ward requests, household lists across wards.

Every view is for district staff and administrators only (``staff_required``: 403 for anyone else) and reaches
records through ``visible_to`` or one of the access helpers below, so a district never sees another's (404).
Imports and exports live in ``district_import_views``.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from households.forms import ReportRouteForm, StaffMissedReportForm
from households.models import Household, MissedReport
from households.reports import report_missed, report_route
from households.selectors import (
    MATCHES_COUNTED,
    district_household_page,
    first_reports,
    household_changes,
    household_hand_outs,
    ward_figures_with_reports,
)
from households.verification import duplicate_count, duplicate_groups, duplicate_resolve, household_verify
from relief.access import staff_required
from relief.history import record_history
from relief.levels import UnitWords, words_for
from relief.models import Campaign, Recall, Ward, WardRequest, WriteOff
from relief.selectors import ward_figures
from relief.services import ward_request_decide, write_off_decide

from .forms import (
    AllocationPlanForm,
    DuplicateResolveForm,
    HouseholdFilterForm,
    HouseholdVerifyForm,
    LabelSheetForm,
    RecallForm,
    RequestDecisionForm,
    WriteOffDecisionForm,
)
from .labels import MAX_LABELS, bag_qr, label_bags
from .labels import pages as label_pages
from .services import PlanAlreadyApplied, allocation_plan_apply, district_stock, recall_once

PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _campaign_for(request):
    """The campaign a page works on: the one asked for (404 outside the user's district), else the open one."""
    campaigns = Campaign.objects.visible_to(request.user).select_related("district")
    wanted = request.POST.get("campaign") or request.GET.get("campaign")
    if wanted:
        if not str(wanted).isdigit():
            raise Http404
        return get_object_or_404(campaigns, pk=wanted)
    return campaigns.open().order_by("-starts_on", "pk").first() or campaigns.order_by("-starts_on", "pk").first()


def _ward_request_for(user, pk):
    return get_object_or_404(WardRequest.objects.visible_to(user).select_related("ward", "campaign"), pk=pk)


def _write_off_for(user, pk):
    return get_object_or_404(WriteOff.objects.visible_to(user).select_related("bag", "bag__ward"), pk=pk)


def _household_for(user, pk):
    households = Household.objects.visible_to(user).select_related("ward", "created_by").prefetch_related("categories")
    return get_object_or_404(households, pk=pk)


def _posted(request):
    """The posted data, bound even when empty (an empty POST is a form to refuse, not a page to show)."""
    return request.POST if request.method == "POST" else None


def _campaigns(request):
    return Campaign.objects.visible_to(request.user).order_by("-starts_on", "pk")


@staff_required
@require_GET
def home(request):
    campaign = _campaign_for(request)
    households = Household.objects.visible_to(request.user)
    context = {
        "campaign": campaign,
        "campaigns": _campaigns(request),
        "proposed": households.filter(status=Household.Status.PROPOSED).count(),
        "duplicates": duplicate_count(request.user),
    }
    if campaign:
        context["stock"] = district_stock(campaign)
        context["waiting"] = (
            WardRequest.objects.visible_to(request.user)
            .filter(campaign=campaign, status=WardRequest.Status.WAITING)
            .count()
        )
    return render(request, "district/home.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def allocate(request):
    campaign = _campaign_for(request)
    if campaign is None:
        return render(request, "district/no_campaign.html")
    wards = list(Ward.objects.visible_to(request.user).filter(district=campaign.district))
    figures = ward_figures_with_reports(campaign, wards)
    # "Điền theo gợi ý" fills each ward with the bags its waiting households and open reports still need.
    suggested = {AllocationPlanForm.field_name(ward): figures[ward.pk].suggested_bags for ward in wards}
    form = AllocationPlanForm(_posted(request), wards=wards, initial=suggested if request.GET.get("suggest") else None)
    if request.method == "POST" and form.is_valid():
        try:
            allocations = allocation_plan_apply(
                campaign=campaign,
                quantities=form.quantities(),
                created_by=request.user,
                plan_key=form.cleaned_data["plan_key"],
                note=form.cleaned_data["note"],
            )
        except PlanAlreadyApplied:
            messages.info(request, "Kế hoạch phân bổ này đã được lưu rồi; không phân bổ thêm lần nữa.")
        except ValidationError as error:
            form.add_error(None, error)
        else:
            total = sum(allocation.quantity for allocation in allocations)
            messages.success(request, f"Đã phân bổ {total} túi cho {len(allocations)} {words_for(request.user).unit}.")
        if not form.errors:
            return redirect(f"{reverse('district:allocate')}?campaign={campaign.pk}")
    context = {
        "campaign": campaign,
        "campaigns": _campaigns(request),
        "form": form,
        "rows": form.rows(figures),
        "stock": district_stock(campaign),
    }
    return render(request, "district/allocate.html", context)


@staff_required
@require_GET
def requests(request):
    campaign = _campaign_for(request)
    if campaign is None:
        return render(request, "district/no_campaign.html")
    status = request.GET.get("status", WardRequest.Status.WAITING)
    if status not in WardRequest.Status.values and status != "all":
        status = WardRequest.Status.WAITING
    ward_requests = (
        WardRequest.objects.visible_to(request.user)
        .filter(campaign=campaign)
        .select_related("ward", "created_by", "decided_by")
        .order_by("created_at", "pk")
    )
    if status != "all":
        ward_requests = ward_requests.filter(status=status)
    page = Paginator(ward_requests, PER_PAGE).get_page(request.GET.get("page"))
    figures = ward_figures(campaign, {item.ward for item in page})
    context = {
        "campaign": campaign,
        "campaigns": _campaigns(request),
        "page": page,
        "rows": [(item, figures[item.ward_id]) for item in page],
        "status": status,
        "statuses": [*WardRequest.Status.choices, ("all", "Tất cả")],
        "stock": district_stock(campaign),
    }
    return render(request, "district/requests.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def request_decide(request, pk):
    ward_request = _ward_request_for(request.user, pk)
    form = RequestDecisionForm(_posted(request), ward_request=ward_request)
    if request.method == "POST" and form.is_valid():
        try:
            ward_request = ward_request_decide(
                ward_request=ward_request,
                decided_by=request.user,
                approved_quantity=form.cleaned_data["approved"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _decision_words(ward_request))
            return redirect(f"{reverse('district:requests')}?campaign={ward_request.campaign_id}")
    campaign = ward_request.campaign
    context = {
        "ward_request": ward_request,
        "campaign": campaign,
        "form": form,
        "figures": ward_figures(campaign, [ward_request.ward])[ward_request.ward_id],
        "stock": district_stock(campaign),
        "changes": record_history(ward_request),
    }
    return render(request, "district/request_decide.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def recalls(request):
    """Take bags back from a ward, to the district or on to another ward; the recalls made so far below."""
    campaign = _campaign_for(request)
    if campaign is None:
        return render(request, "district/no_campaign.html")
    wards = Ward.objects.visible_to(request.user).filter(district=campaign.district).order_by("code")
    initial = {"ward": request.GET.get("ward"), "quantity": request.GET.get("quantity")}
    form = RecallForm(_posted(request), wards=wards, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            recall, created = recall_once(
                campaign=campaign,
                ward=data["ward"],
                quantity=data["quantity"],
                reason=data["reason"],
                to_ward=data["to_ward"],
                created_by=request.user,
                submission_key=data["submission_key"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if created:
                messages.success(request, f"Đã thu hồi {recall}.")
            else:
                messages.info(request, "Đợt thu hồi này đã được lưu rồi; không thu hồi thêm lần nữa.")
            return redirect(f"{reverse('district:recalls')}?campaign={campaign.pk}")
    figures = ward_figures(campaign, wards)
    recent = (
        Recall.objects.visible_to(request.user)
        .filter(campaign=campaign)
        .select_related("ward", "transfer__ward", "created_by")[:PER_PAGE]
    )
    context = {
        "campaign": campaign,
        "campaigns": _campaigns(request),
        "form": form,
        "figures": [(ward, figures[ward.pk]) for ward in wards],
        "recalls": recent,
        "stock": district_stock(campaign),
    }
    return render(request, "district/recalls.html", context)


@staff_required
@require_GET
def write_offs(request):
    """Bags the wards propose to write off, waiting first, each with its decision form."""
    items = (
        WriteOff.objects.visible_to(request.user)
        .select_related("bag", "bag__ward", "bag__campaign", "proposed_by", "decided_by")
        .order_by("-status", "proposed_at", "pk")  # "waiting" sorts after "refused" and "approved" descending
    )
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "district/write_offs.html", {"page": page, "form": WriteOffDecisionForm()})


@staff_required
@require_POST
def write_off_decision(request, pk):
    write_off = _write_off_for(request.user, pk)
    form = WriteOffDecisionForm(request.POST)
    if form.is_valid():
        try:
            write_off = write_off_decide(
                write_off=write_off, decided_by=request.user, approve=form.approve, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Túi {write_off.bag}: {write_off.get_status_display().lower()}.")
    else:
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
    return redirect("district:write_offs")


@staff_required
@require_http_methods(["GET", "POST"])
def missed_reports(request):
    """The district's view of missed-household reports: those without a ward to route, the overdue ones, and a form
    for a report that came by phone or letter."""
    campaign = _campaign_for(request)
    if campaign is None:
        return render(request, "district/no_campaign.html")
    form = StaffMissedReportForm(_posted(request), campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            report = report_missed(
                campaign=campaign,
                ward=form.cleaned_data["ward"],
                channel=form.cleaned_data["channel"],
                created_by=request.user,
                **form.report_fields(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Đã ghi báo cáo {report.code} ({report.name}).")
            return redirect(f"{reverse('district:missed_reports')}?campaign={campaign.pk}")
    reports = MissedReport.objects.visible_to(request.user).filter(campaign=campaign).open().select_related("ward")
    unrouted, unrouted_more = first_reports(reports.filter(ward__isnull=True))
    overdue, overdue_more = first_reports(reports.overdue().filter(ward__isnull=False))
    # Every report listed is of this campaign, so one list of its wards serves each report's routing form.
    route = ReportRouteForm(report=unrouted[0]) if unrouted else None
    context = {
        "campaign": campaign,
        "campaigns": _campaigns(request),
        "form": form,
        "unrouted": unrouted,
        "unrouted_more": unrouted_more,
        "route": route,
        "route_choices": list(route.fields["ward"].choices) if route else [],
        "overdue": overdue,
        "overdue_more": overdue_more,
        "open_count": reports.count(),
    }
    return render(request, "district/missed_reports.html", context)


@staff_required
@require_POST
def missed_report_route(request, pk):
    report = get_object_or_404(MissedReport.objects.visible_to(request.user).select_related("campaign"), pk=pk)
    form = ReportRouteForm(request.POST, report=report)
    if form.is_valid():
        try:
            report = report_route(report=report, ward=form.cleaned_data["ward"], routed_by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Đã chuyển báo cáo {report.code} cho {report.ward}.")
    else:
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
    return redirect(f"{reverse('district:missed_reports')}?campaign={report.campaign_id}")


@staff_required
@require_GET
def labels(request):
    """QR labels for a campaign's bags on A4 label sheets, printed from the browser."""
    campaign = _campaign_for(request)
    if campaign is None:
        return render(request, "district/no_campaign.html")
    wards = Ward.objects.visible_to(request.user).filter(district=campaign.district).order_by("code")
    words = UnitWords(campaign.district)
    form = LabelSheetForm(request.GET if "layout" in request.GET else None, wards=wards, words=words)
    sheets, cut = [], False
    if form.is_valid():
        data = form.cleaned_data
        serials = label_bags(campaign, ward=data["ward"], first=data["first"], last=data["last"])
        cut = len(serials) > MAX_LABELS
        sheets = [
            [[(serial, bag_qr(serial)) for serial in row] for row in page]
            for page in label_pages(serials[:MAX_LABELS], data["layout"])
        ]
    context = {
        "campaign": campaign,
        "campaigns": _campaigns(request),
        "form": form,
        "sheets": sheets,
        "cut": cut,
        "max_labels": MAX_LABELS,
        "layout": form.cleaned_data["layout"] if form.is_bound and form.is_valid() else "3x8",
    }
    return render(request, "district/labels.html", context)


def _decision_words(ward_request):
    if ward_request.status == WardRequest.Status.REFUSED:
        return f"Đã từ chối đề nghị của {ward_request.ward}."
    return f"Đã duyệt {ward_request.approved_quantity} túi cho {ward_request.ward}; số túi đã được phân bổ."


def filter_form(request):
    form = HouseholdFilterForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid() and "ward" in form.errors:
        raise Http404  # a ward of another district, or no ward at all
    return form


@staff_required
@require_GET
def households(request):
    form = filter_form(request)
    page = district_household_page(request.user, **form.page_arguments())
    query = request.GET.copy()
    for cursor in ("after", "before", "page"):
        query.pop(cursor, None)
    context = {
        "form": form,
        "page": page,
        "counted": MATCHES_COUNTED,
        "query": query.urlencode(),
        "back": request.GET.urlencode(),
    }
    return render(request, "district/households.html", context)


@staff_required
@require_GET
def household(request, pk):
    """One household as the district verifies it: its details (numbers masked), its bags and its history."""
    household = _household_for(request.user, pk)
    context = {
        "household": household,
        "hand_outs": household_hand_outs(household),
        "changes": household_changes(household),
    }
    return render(request, "district/household.html", context)


def _flash_errors(request, form):
    """An action posted from a list goes back to the list; its form's errors travel as messages."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def _households_url(query):
    """Back to the list the staff were looking at; the query string is re-encoded, so it can carry nothing else."""
    query = QueryDict(query or "").urlencode()
    return f"{reverse('district:households')}?{query}" if query else reverse("district:households")


@staff_required
@require_POST
def households_verify(request):
    form = HouseholdVerifyForm(request.POST, user=request.user)
    if form.refers_to_unseen_households():
        raise Http404
    if form.is_valid():
        changed = household_verify(
            households=form.cleaned_data["households"],
            status=form.status,
            decided_by=request.user,
            reason=form.cleaned_data["reason"],
        )
        word = "duyệt" if form.status == Household.Status.APPROVED else "không duyệt"
        messages.success(request, f"Đã {word} {changed} hộ.")
    else:
        _flash_errors(request, form)
    return redirect(_households_url(request.POST.get("back")))


@staff_required
@require_GET
def duplicates(request):
    return render(request, "district/duplicates.html", {"groups": duplicate_groups(request.user)})


@staff_required
@require_POST
def duplicates_resolve(request):
    form = DuplicateResolveForm(request.POST, user=request.user)
    if form.refers_to_unseen_households():
        raise Http404
    if form.is_valid():
        keep = form.cleaned_data["keep"]
        try:
            rejected = duplicate_resolve(
                keep=keep,
                others=form.cleaned_data["group"],
                decided_by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Đã giữ hộ {keep.head_name} ({keep.ward}); {len(rejected)} hộ trùng bị loại.")
    else:
        _flash_errors(request, form)
    return redirect("district:duplicates")
