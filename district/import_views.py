"""District staff's imports and exports: lists in from spreadsheets (preview, then confirm), lists out to Excel.

An upload is checked at once and kept, under a random token only the uploader's session holds, until the staff
confirm it; confirming imports every row or none. Donation files are checked again on confirmation, within the
request. A household file and its checked rows wait in the database (any app server can take the confirmation),
and confirming hands both to a background job (``households.jobs``) whose page the staff watch; the job re-checks
only what may have changed since the preview.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from donations import imports as donation_imports
from households import imports as household_imports
from households import jobs
from households.models import ImportJob
from relief import spreadsheets
from relief.access import staff_required
from relief.models import Campaign
from relief.templatetags.relief_format import format_vnd

from .exports import KINDS, export_workbook
from .forms import ConfirmForm, DonationUploadForm, UploadForm
from .views import filter_form

CLAIMED = "Tệp này đang được nhập, đã nhập xong hoặc đã hết hạn; không nhập lần nữa."
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class _Flow:
    """What differs between the household import and the donation import; the upload and preview are the same.

    Confirming differs: a household list runs as a background job (``households.jobs``), a donation list, at most
    20,000 rows, is recorded within the request (``run``, ``refused``, ``done``, ``next_url``).
    """

    session_key: str
    template_title: str
    url: str
    confirm_url: str
    template_url: str
    check: Any
    run: Any = None
    refused: type = None
    done: Any = None
    next_url: Any = None


def _donation_done(donations):
    total = sum(donation.amount for donation in donations)
    return f"Đã ghi {len(donations)} khoản ủng hộ, tổng {format_vnd(total)}; mỗi khoản đã có biên nhận."


HOUSEHOLD_FLOW = _Flow(
    session_key="district_import_households",
    template_title="Nhập danh sách hộ",
    url="district:import_households",
    confirm_url="district:import_households_confirm",
    template_url="district:import_households_template",
    check=lambda path, user, campaign: household_imports.household_import_check(
        path=path, user=user, keep_preview=True
    ),
)
DONATION_FLOW = _Flow(
    session_key="district_import_donations",
    template_title="Nhập danh sách ủng hộ",
    url="district:import_donations",
    confirm_url="district:import_donations_confirm",
    template_url="district:import_donations_template",
    check=lambda path, user, campaign: donation_imports.donation_import_check(path=path, campaign=campaign),
    # The kept file is the one the upload guard passed at its preview: confirming does not check it again.
    run=lambda path, user, campaign, token, name: donation_imports.donation_import(
        path=path, campaign=campaign, user=user, upload_key=token, checked=True
    ),
    refused=donation_imports.ImportRefused,
    done=_donation_done,
    next_url=lambda campaign: reverse("district:import_donations"),
)


def _upload_form(flow, request, data=None, files=None):
    if flow is DONATION_FLOW:
        return DonationUploadForm(data, files, user=request.user)
    return UploadForm(data, files)


def _import_page(request, flow, form, report=None, token=None, campaign=None):
    context = {
        "flow": flow,
        "form": form,
        "report": report,
        "token": token,
        "campaign": campaign,
        "is_donations": flow is DONATION_FLOW,
    }
    return render(request, "district/import.html", context)


def _import_upload(request, flow):
    if request.method == "GET":
        return _import_page(request, flow, _upload_form(flow, request))
    form = _upload_form(flow, request, request.POST, request.FILES)
    if not form.is_valid():
        return _import_page(request, flow, form)
    upload = form.cleaned_data["file"]
    campaign = form.cleaned_data.get("campaign")
    token = spreadsheets.upload_keep(upload, form.suffix)
    path = spreadsheets.upload_path(token, form.suffix)
    try:
        report = flow.check(path, request.user, campaign)
    except spreadsheets.SpreadsheetError as error:
        spreadsheets.upload_discard(path)
        form.add_error("file", error)
        return _import_page(request, flow, form)
    if not report.ok:
        spreadsheets.upload_discard(path)  # nothing can be confirmed; the staff fix the file and upload it again
        return _import_page(request, flow, _upload_form(flow, request), report=report, campaign=campaign)
    _forget_pending(request, flow)  # a new upload replaces the one waiting, whose file nobody will confirm now
    if flow is HOUSEHOLD_FLOW:  # waits in the database, where any app server finds it
        jobs.pending_import_keep(
            user=request.user, token=token, path=path, source_name=upload.name, rows=report.good_rows
        )
        spreadsheets.upload_discard(path)
    request.session[flow.session_key] = {
        "token": token,
        "suffix": form.suffix,
        "name": upload.name[:200],
        "campaign": campaign.pk if campaign else None,
    }
    return _import_page(request, flow, _upload_form(flow, request), report=report, token=token, campaign=campaign)


def _forget_pending(request, flow):
    pending = request.session.pop(flow.session_key, None) or {}
    if flow is HOUSEHOLD_FLOW:
        jobs.pending_import_forget(user=request.user, token=pending.get("token"))
    spreadsheets.upload_discard(spreadsheets.upload_path(pending.get("token"), pending.get("suffix")))


def _pending_for(request, flow):
    """The upload waiting in the session, or None (with a message) when the posted token is not it."""
    form = ConfirmForm(request.POST)
    pending = request.session.get(flow.session_key) or {}
    if not form.is_valid() or form.cleaned_data["token"] != pending.get("token"):
        messages.error(request, "Không tìm thấy tệp chờ nhập (đã nhập rồi hoặc đã hết hạn). Hãy tải tệp lên lại.")
        return None
    return pending


def _claim(request, pending):
    """The pending file taken for this confirmation only, or None (with a message) when another request has it."""
    path = spreadsheets.upload_claim(pending["token"], pending["suffix"])
    if path is None:
        messages.info(request, CLAIMED)
    return path


def _import_confirm(request, flow):
    pending = _pending_for(request, flow)
    if pending is None:
        return redirect(flow.url)
    campaign = None
    if pending.get("campaign"):
        campaign = get_object_or_404(Campaign.objects.visible_to(request.user).open(), pk=pending["campaign"])
    path = _claim(request, pending)
    if path is None:
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


@staff_required
@require_http_methods(["GET", "POST"])
def import_households(request):
    return _import_upload(request, HOUSEHOLD_FLOW)


@staff_required
@require_POST
def import_households_confirm(request):
    """Hand the previewed file to a background job and show its page: the import itself may take a while."""
    pending = _pending_for(request, HOUSEHOLD_FLOW)
    if pending is None:
        return redirect(HOUSEHOLD_FLOW.url)
    job = jobs.import_job_start(user=request.user, token=pending["token"])
    request.session.pop(HOUSEHOLD_FLOW.session_key, None)
    if job is None:
        messages.info(request, CLAIMED)
        return redirect(HOUSEHOLD_FLOW.url)
    return redirect("district:import_job", pk=job.pk)


def _import_job_for(user, pk):
    """The import job of the user's district, or 404."""
    return get_object_or_404(ImportJob.objects.visible_to(user).for_page(), pk=pk)


@staff_required
@require_GET
def import_job(request, pk):
    """A job's progress and outcome; while it waits or runs, htmx asks for the fragment again every 2 seconds."""
    job = _import_job_for(request.user, pk)
    job.give_up_if_lost()
    template = "district/import_job_status.html" if request.htmx else "district/import_job.html"
    return render(request, template, {"job": job})


@staff_required
@require_POST
def import_job_again(request, pk):
    job = _import_job_for(request.user, pk)
    if not jobs.import_job_again(job=job):
        messages.info(request, "Việc nhập này không chạy lại được (đang chạy, đã xong, hoặc tệp còn lỗi phải sửa).")
    return redirect("district:import_job", pk=job.pk)


@staff_required
@require_GET
def import_households_template(request):
    return _template_response(
        household_imports.HEADER, household_imports.household_template_guide(), "mau-danh-sach-ho.xlsx"
    )


@staff_required
@require_http_methods(["GET", "POST"])
def import_donations(request):
    return _import_upload(request, DONATION_FLOW)


@staff_required
@require_POST
def import_donations_confirm(request):
    return _import_confirm(request, DONATION_FLOW)


@staff_required
@require_GET
def import_donations_template(request):
    return _template_response(
        donation_imports.HEADER, donation_imports.donation_template_guide(), "mau-danh-sach-ung-ho.xlsx"
    )


@staff_required
@require_GET
def export(request, kind):
    if kind not in KINDS:
        raise Http404
    filters = filter_form(request).filters() if kind == "households" else {}
    handle, filename = export_workbook(kind, request.user, filters)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX)
