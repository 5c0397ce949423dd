"""District staff's imports and exports: lists in from spreadsheets (preview, then confirm), lists out to Excel.

A ward officer uploads their own ward's household list through the same pages (``OFFICER_FLOW``, under
``/phuong/nhap/``): the ward is theirs, the columns and categories are read as the district chose them, and the
households arrive as proposed, in the district's review queue, like every imported household.

An upload is checked at once and kept, under a random token only the uploader's session holds, until the staff
confirm it; confirming imports every row or none. Donation files are checked again on confirmation, within the
request. A household file and its checked rows wait in the database (any app server can take the confirmation),
and confirming hands both to a background job (``households.jobs``) whose page the staff watch; the job re-checks
only what may have changed since the preview.
"""

import uuid
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from donations import imports as donation_imports
from households import imports as household_imports
from households import jobs
from households.models import ImportJob
from relief import spreadsheets
from relief.access import officer_required, staff_required
from relief.levels import words_for
from relief.models import Campaign, Ward
from relief.templatetags.relief_format import format_vnd
from relief.upload_forms import ConfirmForm, UploadForm

from .exports import KINDS, export_workbook
from .forms import (
    CategoryMappingForm,
    ColumnMappingForm,
    DonationUploadForm,
    HouseholdUploadForm,
    ImportWardForm,
)
from .views import filter_form

CLAIMED = "Tệp này đang được nhập, đã nhập xong hoặc đã hết hạn; không nhập lần nữa."
# The household list last previewed, to check again with a ward or a mapping chosen on its preview.
RECHECK_SESSION_KEY = "district_import_households_recheck"
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
    # A household list's pages: where its rejected rows, its job and the job's second run are, and their layout.
    rejected_url: str = "district:import_households_rejected"
    job_url: str = "district:import_job"
    again_url: str = "district:import_job_again"
    layout: str = "district/layout.html"
    list_url: str = "district:households"  # where the imported households are, with the words of its link
    list_query: str = "?status=proposed"
    list_words: str = "Danh sách hộ chờ duyệt"
    progress_url: str = ""  # where the page asks how far the check of an upload is (a household list only)


def _donation_done(donations):
    total = sum(donation.amount for donation in donations)
    return f"Đã ghi {len(donations)} khoản ủng hộ, tổng {format_vnd(total)}; mỗi khoản đã có biên nhận."


HOUSEHOLD_FLOW = _Flow(
    session_key="district_import_households",
    template_title="Nhập danh sách hộ",
    url="district:import_households",
    confirm_url="district:import_households_confirm",
    template_url="district:import_households_template",
    check=lambda path, user, choices: household_imports.household_import_check(
        path=path,
        user=user,
        ward=choices.get("ward"),
        keep_preview=True,
        progress=choices.get("progress", spreadsheets.no_progress),
    ),
    progress_url="district:import_households_progress",
)
# An officer's own ward's list: the ward is the officer's, and the choices stay the district's.
OFFICER_FLOW = _Flow(
    session_key="ward_import_households",
    template_title="Nhập danh sách hộ của đơn vị",
    url="ward_import:households",
    confirm_url="ward_import:confirm",
    template_url="ward_import:template",
    check=lambda path, user, choices: household_imports.household_import_check(
        path=path,
        user=user,
        ward=user.ward,
        keep_preview=True,
        progress=choices.get("progress", spreadsheets.no_progress),
    ),
    rejected_url="ward_import:rejected",
    job_url="ward_import:job",
    again_url="ward_import:job_again",
    layout="ward/base_ward.html",
    list_url="ward:households",
    list_query="",
    list_words="Hộ gia đình của đơn vị",
    progress_url="ward_import:progress",
)
DONATION_FLOW = _Flow(
    session_key="district_import_donations",
    template_title="Nhập danh sách ủng hộ",
    url="district:import_donations",
    confirm_url="district:import_donations_confirm",
    template_url="district:import_donations_template",
    check=lambda path, user, choices: donation_imports.donation_import_check(path=path, campaign=choices["campaign"]),
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
    if flow is OFFICER_FLOW:
        return UploadForm(data, files)
    return HouseholdUploadForm(data, files, user=request.user)


def _import_page(request, flow, form, report=None, token=None, campaign=None, ward_form=None, recheck=None):
    context = {
        "flow": flow,
        "form": form,
        "report": report,
        "token": token,
        "campaign": campaign,
        "is_donations": flow is DONATION_FLOW,
        "section": "households",
        "layout": flow.layout,
        "progress_key": uuid.uuid4(),
        "ward_form": ward_form,
        "mapping_form": ColumnMappingForm.for_report(report, recheck) if recheck and report.columns else None,
        "category_form": (
            CategoryMappingForm(texts=report.unknown_categories, initial={"token": recheck})
            if recheck and report.unknown_categories
            else None
        ),
    }
    return render(request, "district/import.html", context)


def _import_upload(request, flow):
    if request.method == "GET":
        return _import_page(request, flow, _upload_form(flow, request))
    form = _upload_form(flow, request, request.POST, request.FILES)
    if not form.is_valid():
        return _import_page(request, flow, form)
    upload = form.cleaned_data["file"]
    token = spreadsheets.upload_keep(upload, form.suffix)
    kept = {"token": token, "suffix": form.suffix, "name": upload.name[:200]}
    choices = dict(form.cleaned_data)
    if choices.pop("progress", None):
        key = jobs.preview_progress_key(request.user, form.cleaned_data["progress"])
        choices["progress"] = jobs.progress_reporter(key)
    try:
        return _preview(request, flow, kept, choices)
    except spreadsheets.SpreadsheetError as error:
        form.add_error("file", error)
        return _import_page(request, flow, form)


def _preview(request, flow, kept, choices):
    """Check the kept upload with the user's ``choices`` (campaign, ward) and show what it holds.

    A file that can be confirmed (whole or its good rows) waits for it; a household list naming no ward waits for
    its ward; any other is forgotten, and the staff fix it and upload it again. A household list's columns can be
    mapped again on its preview, so its file stays until the next upload or a day. A file unreadable as a whole
    raises ``SpreadsheetError``.
    """
    path = spreadsheets.upload_path(kept["token"], kept["suffix"])
    campaign = choices.get("campaign")
    try:
        report = flow.check(path, request.user, choices)
    except spreadsheets.SpreadsheetError:
        spreadsheets.upload_discard(path)
        raise
    recheck = None
    if flow is HOUSEHOLD_FLOW:  # the district's choices, made on the preview, check the same file again
        ward = choices.get("ward")
        request.session[RECHECK_SESSION_KEY] = {
            **kept,
            "ward": ward.pk if ward else None,
            "columns": [title for title, _ in report.columns],
            "categories": report.unknown_categories,
        }
        recheck = kept["token"]
    page = partial(_import_page, request, flow, _upload_form(flow, request), report=report, recheck=recheck)
    if getattr(report, "needs_ward", False):
        return page(ward_form=ImportWardForm(user=request.user, initial={"token": kept["token"]}))
    if not (report.ok or getattr(report, "partly_ok", False)):
        if recheck is None:
            spreadsheets.upload_discard(path)  # nothing can be confirmed; the staff fix the file and upload it again
        return page(campaign=campaign)
    _forget_pending(request, flow)  # a new upload replaces the one waiting, whose file nobody will confirm now
    token = kept["token"]
    if flow is not DONATION_FLOW:  # waits in the database, where any app server finds it
        rows = report.good_rows + len(report.rejected)
        jobs.pending_import_keep(user=request.user, token=token, path=path, source_name=kept["name"], rows=rows)
        spreadsheets.upload_discard(path)
    request.session[flow.session_key] = {**kept, "campaign": campaign.pk if campaign else None}
    return page(token=token, campaign=campaign)


def _recheck(request, kept, ward):
    """Check again the household list last previewed, now with ``ward``; its file comes from this server's disk
    or, when it was waiting for confirmation, from the database (and waits again only if it passes again)."""
    if spreadsheets.upload_path(kept["token"], kept["suffix"]) is None:
        reopened = jobs.pending_import_reopen(user=request.user, token=kept["token"])
        if reopened is None:
            messages.error(request, "Tệp vừa xem trước đã hết hạn hoặc đã được nhập. Hãy tải tệp lên lại.")
            return redirect(HOUSEHOLD_FLOW.url)
        request.session.pop(HOUSEHOLD_FLOW.session_key, None)
        kept = {**kept, "token": spreadsheets.upload_keep(ContentFile(reopened), kept["suffix"])}
    try:
        return _preview(request, HOUSEHOLD_FLOW, kept, {"ward": ward})
    except spreadsheets.SpreadsheetError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(HOUSEHOLD_FLOW.url)


def _forget_pending(request, flow):
    pending = request.session.pop(flow.session_key, None) or {}
    if flow is not DONATION_FLOW:
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


def _recheck_kept(request, form):
    """The list last previewed, when ``form`` is valid and names it; else None, with a message."""
    kept = request.session.get(RECHECK_SESSION_KEY) or {}
    if not kept or not form.is_valid() or form.cleaned_data["token"] != kept.get("token"):
        problems = " ".join(form.non_field_errors()) if kept else ""
        messages.error(request, problems or "Không tìm thấy tệp vừa xem trước (đã hết hạn). Hãy tải lên lại.")
        return None
    return kept


@staff_required
@require_POST
def import_households_ward(request):
    """Check again, for the ward chosen on its preview, the list whose file names no ward."""
    form = ImportWardForm(request.POST, user=request.user)
    kept = _recheck_kept(request, form)
    if kept is None:
        return redirect(HOUSEHOLD_FLOW.url)
    return _recheck(request, kept, form.cleaned_data["ward"])


@staff_required
@require_POST
def import_households_mapping(request):
    """Remember the columns chosen on the preview for the district, and check the list again with them."""
    kept = request.session.get(RECHECK_SESSION_KEY) or {}
    form = ColumnMappingForm(request.POST, titles=kept.get("columns", []))
    kept = _recheck_kept(request, form)
    if kept is None:
        return redirect(HOUSEHOLD_FLOW.url)
    household_imports.column_mapping_remember(user=request.user, choices=form.choices())
    ward = Ward.objects.visible_to(request.user).filter(pk=kept.get("ward")).first()
    return _recheck(request, kept, ward)


@staff_required
@require_POST
def import_households_categories(request):
    """Remember the categories chosen on the preview for words the list uses that nothing reads, and check the
    list again with them."""
    kept = request.session.get(RECHECK_SESSION_KEY) or {}
    form = CategoryMappingForm(request.POST, texts=kept.get("categories", []))
    kept = _recheck_kept(request, form)
    if kept is None:
        return redirect(HOUSEHOLD_FLOW.url)
    household_imports.category_mapping_remember(user=request.user, choices=form.choices())
    ward = Ward.objects.visible_to(request.user).filter(pk=kept.get("ward")).first()
    return _recheck(request, kept, ward)


def _households_confirm(request, flow):
    """Hand the previewed file to a background job and show its page: the import itself may take a while."""
    pending = _pending_for(request, flow)
    if pending is None:
        return redirect(flow.url)
    form = ConfirmForm(request.POST)
    valid = form.is_valid()
    job = jobs.import_job_start(
        user=request.user,
        token=pending["token"],
        good_only=valid and form.cleaned_data["good_only"],
        same_id_too=valid and form.cleaned_data["same_id_too"],
    )
    request.session.pop(flow.session_key, None)
    if job is None:
        messages.info(request, CLAIMED)
        return redirect(flow.url)
    return redirect(flow.job_url, pk=job.pk)


def _households_rejected(request, flow):
    """The rows of the list waiting for confirmation that have errors, as an .xlsx to fix and upload again."""
    pending = request.session.get(flow.session_key) or {}
    handle = spreadsheets.temporary_file()
    if not jobs.pending_import_rejected(user=request.user, token=pending.get("token"), handle=handle):
        messages.error(request, "Không tìm thấy tệp chờ nhập có dòng lỗi (đã nhập rồi hoặc đã hết hạn).")
        return redirect(flow.url)
    handle.seek(0)
    name = f"dong-loi-{Path(pending.get('name') or 'danh-sach').stem}.xlsx"
    return FileResponse(handle, as_attachment=True, filename=name, content_type=XLSX)


def _import_job_for(user, pk):
    """An import job the user may follow (their district's; an officer's own), or 404."""
    return get_object_or_404(ImportJob.objects.visible_to(user).for_page(), pk=pk)


def _import_job_page(request, flow, pk):
    """A job's progress and outcome; while it waits or runs, htmx asks for the fragment again every 2 seconds."""
    job = _import_job_for(request.user, pk)
    job.give_up_if_lost()
    template = "district/import_job_status.html" if request.htmx else "district/import_job.html"
    context = {"job": job, "progress": jobs.import_job_progress(job), "flow": flow, "layout": flow.layout}
    return render(request, template, {**context, "section": "households"})


def _import_job_again(request, flow, pk):
    job = _import_job_for(request.user, pk)
    if not jobs.import_job_again(job=job):
        messages.info(request, "Việc nhập này không chạy lại được (đang chạy, đã xong, hoặc tệp còn lỗi phải sửa).")
    return redirect(flow.job_url, pk=job.pk)


def _check_progress(request, key):
    """How far the check of the list this user is uploading under ``key`` is, as a fragment the page shows."""
    progress = jobs.progress_heard(jobs.preview_progress_key(request.user, key))
    return render(request, "district/import_progress.html", {"progress": progress})


def _households_template(request):
    guide = household_imports.household_template_guide(words_for(request.user))
    return _template_response(household_imports.HEADER, guide, "mau-danh-sach-ho.xlsx")


@staff_required
@require_POST
def import_households_confirm(request):
    return _households_confirm(request, HOUSEHOLD_FLOW)


@staff_required
@require_GET
def import_households_rejected(request):
    return _households_rejected(request, HOUSEHOLD_FLOW)


@staff_required
@require_GET
def import_job(request, pk):
    return _import_job_page(request, HOUSEHOLD_FLOW, pk)


@staff_required
@require_POST
def import_job_again(request, pk):
    return _import_job_again(request, HOUSEHOLD_FLOW, pk)


@staff_required
@require_GET
def import_households_template(request):
    return _households_template(request)


@staff_required
@require_GET
def import_households_progress(request, key):
    return _check_progress(request, key)


# --- a ward officer's own list (/phuong/nhap/) ---------------------------------------------------------------------


@officer_required
@require_http_methods(["GET", "POST"])
def ward_import_households(request):
    return _import_upload(request, OFFICER_FLOW)


@officer_required
@require_POST
def ward_import_households_confirm(request):
    return _households_confirm(request, OFFICER_FLOW)


@officer_required
@require_GET
def ward_import_households_rejected(request):
    return _households_rejected(request, OFFICER_FLOW)


@officer_required
@require_GET
def ward_import_job(request, pk):
    return _import_job_page(request, OFFICER_FLOW, pk)


@officer_required
@require_POST
def ward_import_job_again(request, pk):
    return _import_job_again(request, OFFICER_FLOW, pk)


@officer_required
@require_GET
def ward_import_households_template(request):
    return _households_template(request)


@officer_required
@require_GET
def ward_import_progress(request, key):
    return _check_progress(request, key)


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
