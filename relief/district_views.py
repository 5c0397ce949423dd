"""District staff's pages: stock and allocation, ward requests, household lists across wards, imports and exports.

Every view is for district staff and administrators only (``staff_required``: 403 for anyone else) and reaches
records through ``visible_to`` or one of the access helpers below, so a district never sees another's (404).
"""

from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from donations import imports as donation_imports
from households import imports as household_imports
from households.models import Household
from households.verification import duplicate_count, duplicate_groups, duplicate_resolve, household_verify

from . import spreadsheets
from .district_forms import (
    AllocationPlanForm,
    ConfirmForm,
    DonationUploadForm,
    DuplicateResolveForm,
    HouseholdFilterForm,
    HouseholdVerifyForm,
    RequestDecisionForm,
    UploadForm,
)
from .district_services import PlanAlreadyApplied, allocation_plan_apply, district_stock
from .exports import KINDS, export_workbook
from .models import Campaign, Ward, WardRequest
from .selectors import ward_figures
from .services import ward_request_decide
from .templatetags.relief_format import format_vnd

PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def staff_required(view):
    """District staff and administrators only; the page exists, so anyone else is refused (403), not misled."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_district_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


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


def _posted(request):
    """The posted data, bound even when empty (an empty POST is a form to refuse, not a page to show)."""
    return request.POST if request.method == "POST" else None


def _campaigns(request):
    return Campaign.objects.visible_to(request.user).order_by("-starts_on", "pk")


@login_required
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


@login_required
@staff_required
@require_http_methods(["GET", "POST"])
def allocate(request):
    campaign = _campaign_for(request)
    if campaign is None:
        return render(request, "district/no_campaign.html")
    wards = Ward.objects.visible_to(request.user).filter(district=campaign.district)
    form = AllocationPlanForm(_posted(request), wards=wards)
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
            messages.success(request, f"Đã phân bổ {total} túi cho {len(allocations)} phường.")
        if not form.errors:
            return redirect(f"{reverse('district:allocate')}?campaign={campaign.pk}")
    figures = ward_figures(campaign, form.wards)
    context = {
        "campaign": campaign,
        "campaigns": _campaigns(request),
        "form": form,
        "rows": form.rows(figures),
        "stock": district_stock(campaign),
    }
    return render(request, "district/allocate.html", context)


@login_required
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


@login_required
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
    }
    return render(request, "district/request_decide.html", context)


def _decision_words(ward_request):
    if ward_request.status == WardRequest.Status.REFUSED:
        return f"Đã từ chối đề nghị của {ward_request.ward}."
    return f"Đã duyệt {ward_request.approved_quantity} túi cho {ward_request.ward}; số túi đã được phân bổ."


def _filter_form(request):
    form = HouseholdFilterForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid() and "ward" in form.errors:
        raise Http404  # a ward of another district, or no ward at all
    return form


@login_required
@staff_required
@require_GET
def households(request):
    form = _filter_form(request)
    rows = (
        Household.objects.visible_to(request.user)
        .filter(**form.filters())
        .search(form.valid_data().get("q", ""))
        .select_related("ward")
        .prefetch_related("categories")
        .order_by("ward__code", "name_key", "pk")
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query": request.GET.urlencode()}
    return render(request, "district/households.html", context)


def _households_url(query):
    """Back to the list the staff were looking at; the query string is re-encoded, so it can carry nothing else."""
    query = QueryDict(query or "").urlencode()
    return f"{reverse('district:households')}?{query}" if query else reverse("district:households")


@login_required
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
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(_households_url(request.POST.get("back")))


@login_required
@staff_required
@require_GET
def duplicates(request):
    return render(request, "district/duplicates.html", {"groups": duplicate_groups(request.user)})


@login_required
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
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("district:duplicates")


# --- imports ---------------------------------------------------------------------------------------------------


@dataclass
class _Flow:
    """What differs between the household import and the donation import; the steps are the same."""

    session_key: str
    template_title: str
    url: str
    confirm_url: str
    template_url: str
    check: Any
    run: Any
    refused: type
    done: Any
    next_url: Any


def _household_done(count):
    return f"Đã nhập {count} hộ (trạng thái “Đề xuất”, chờ quận duyệt)."


def _donation_done(donations):
    total = sum(donation.amount for donation in donations)
    return f"Đã ghi {len(donations)} khoản ủng hộ, tổng {format_vnd(total)}; mỗi khoản đã có biên nhận."


HOUSEHOLD_FLOW = _Flow(
    session_key="district_import_households",
    template_title="Nhập danh sách hộ",
    url="district:import_households",
    confirm_url="district:import_households_confirm",
    template_url="district:import_households_template",
    check=lambda path, user, campaign: household_imports.household_import_check(path=path, user=user),
    run=lambda path, user, campaign, token, name: household_imports.household_import(
        path=path, user=user, source_name=name
    ),
    refused=household_imports.ImportRefused,
    done=_household_done,
    next_url=lambda campaign: f"{reverse('district:households')}?status=proposed",
)
DONATION_FLOW = _Flow(
    session_key="district_import_donations",
    template_title="Nhập danh sách ủng hộ",
    url="district:import_donations",
    confirm_url="district:import_donations_confirm",
    template_url="district:import_donations_template",
    check=lambda path, user, campaign: donation_imports.donation_import_check(path=path, campaign=campaign),
    run=lambda path, user, campaign, token, name: donation_imports.donation_import(
        path=path, campaign=campaign, user=user, upload_key=token
    ),
    refused=donation_imports.ImportRefused,
    done=_donation_done,
    next_url=lambda campaign: reverse("district:import_donations"),
)


def _upload_form(flow, request, data=None, files=None):
    if flow is DONATION_FLOW:
        return DonationUploadForm(data, files, user=request.user)
    return UploadForm(data, files)


def _import_page(request, flow, form, report=None, token=None, campaign=None, status=200):
    context = {
        "flow": flow,
        "form": form,
        "report": report,
        "token": token,
        "campaign": campaign,
        "is_donations": flow is DONATION_FLOW,
    }
    return render(request, "district/import.html", context, status=status)


def _import_upload(request, flow):
    if request.method == "GET":
        return _import_page(request, flow, _upload_form(flow, request))
    form = _upload_form(flow, request, request.POST, request.FILES)
    if not form.is_valid():
        return _import_page(request, flow, form)
    upload = form.cleaned_data["file"]
    campaign = form.cleaned_data.get("campaign")
    token = spreadsheets.upload_keep(upload, upload.suffix)
    path = spreadsheets.upload_path(token, upload.suffix)
    try:
        report = flow.check(path, request.user, campaign)
    except spreadsheets.SpreadsheetError as error:
        spreadsheets.upload_discard(path)
        form.add_error("file", error)
        return _import_page(request, flow, form)
    if not report.ok:
        spreadsheets.upload_discard(path)  # nothing can be confirmed; the staff fix the file and upload it again
        return _import_page(request, flow, _upload_form(flow, request), report=report, campaign=campaign)
    request.session[flow.session_key] = {
        "token": token,
        "suffix": upload.suffix,
        "name": upload.name[:200],
        "campaign": campaign.pk if campaign else None,
    }
    return _import_page(request, flow, _upload_form(flow, request), report=report, token=token, campaign=campaign)


def _import_confirm(request, flow):
    form = ConfirmForm(request.POST)
    pending = request.session.get(flow.session_key) or {}
    if not form.is_valid() or form.cleaned_data["token"] != pending.get("token"):
        messages.error(request, "Không tìm thấy tệp chờ nhập (đã nhập rồi hoặc đã hết hạn). Hãy tải tệp lên lại.")
        return redirect(flow.url)
    campaign = None
    if pending.get("campaign"):
        campaign = get_object_or_404(Campaign.objects.visible_to(request.user).open(), pk=pending["campaign"])
    path = spreadsheets.upload_claim(pending["token"], pending["suffix"])
    if path is None:
        messages.info(request, "Tệp này đang được nhập hoặc đã nhập xong; không nhập lần nữa.")
        return redirect(flow.url)
    try:
        result = flow.run(path, request.user, campaign, pending["token"], pending["name"])
    except flow.refused as refused:
        request.session.pop(flow.session_key, None)
        spreadsheets.upload_discard(path)
        return _import_page(request, flow, _upload_form(flow, request), report=refused.report, campaign=campaign)
    except (spreadsheets.SpreadsheetError, ValidationError) as error:
        spreadsheets.upload_release(path, pending["suffix"])
        messages.error(request, " ".join(error.messages))
        return redirect(flow.url)
    spreadsheets.upload_discard(path)
    request.session.pop(flow.session_key, None)
    messages.success(request, flow.done(result))
    return redirect(flow.next_url(campaign))


def _template_response(header, guide, filename):
    handle = spreadsheets.temporary_file()
    spreadsheets.workbook_write(handle, "Danh sách", header, [], guide=guide)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX)


@login_required
@staff_required
@require_http_methods(["GET", "POST"])
def import_households(request):
    return _import_upload(request, HOUSEHOLD_FLOW)


@login_required
@staff_required
@require_POST
def import_households_confirm(request):
    return _import_confirm(request, HOUSEHOLD_FLOW)


@login_required
@staff_required
@require_GET
def import_households_template(request):
    return _template_response(
        household_imports.HEADER, household_imports.household_template_guide(), "mau-danh-sach-ho.xlsx"
    )


@login_required
@staff_required
@require_http_methods(["GET", "POST"])
def import_donations(request):
    return _import_upload(request, DONATION_FLOW)


@login_required
@staff_required
@require_POST
def import_donations_confirm(request):
    return _import_confirm(request, DONATION_FLOW)


@login_required
@staff_required
@require_GET
def import_donations_template(request):
    return _template_response(
        donation_imports.HEADER, donation_imports.donation_template_guide(), "mau-danh-sach-ung-ho.xlsx"
    )


# --- exports ---------------------------------------------------------------------------------------------------


@login_required
@staff_required
@require_GET
def export(request, kind):
    if kind not in KINDS:
        raise Http404
    filters = _filter_form(request).filters() if kind == "households" else {}
    handle, filename = export_workbook(kind, request.user, filters)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX)
