"""The leaders' pages: read-only figures for leaders, district staff and administrators; ward officers get 403.

Every view is GET-only: nothing a leader does here changes a record.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from relief.access import reader_required
from relief.db_router import primary_when_replica_drops
from relief.levels import UnitWords
from relief.models import Ward

from . import charts
from .dashboard import FIGURE_COLUMNS, district_dashboard, rollup_for, ward_dashboard
from .export import dashboard_workbook
from .forms import DashboardFilterForm

# The per-ward table's columns: (sort key, heading). The first click sorts largest first, except for the ward name.
# "{Unit}" and "{unit}" stand for the campaign's receiving units by their level ("Phường", "Khu phố").
COLUMNS = [("ward", "{Unit}"), *((column.key, column.heading) for column in FIGURE_COLUMNS)]


def _ward_for_reader(user, pk):
    """The ward if it is within the user's scope, else 404: an outsider cannot even learn that it exists."""
    return get_object_or_404(Ward.objects.visible_to(user).select_related("district"), pk=pk)


def _wards_of(user, campaign):
    return Ward.objects.visible_to(user).filter(district_id=campaign.district_id)


def _dashboard(request):
    form = DashboardFilterForm(request.GET, user=request.user)
    filters = form.filters()
    board = None
    if filters.campaign:
        board = district_dashboard(
            filters.campaign,
            _wards_of(request.user, filters.campaign),
            date_from=filters.date_from,
            date_to=filters.date_to,
            sort=filters.sort,
        )
    return form, filters, board


def _columns(filters, words):
    """Headings with the link that sorts by them: the active column flips direction, the others start largest.

    The headings name the campaign's receiving units by their level ("Phường", "Khu phố")."""
    current = filters.sort.lstrip("-")
    descending = filters.sort.startswith("-")
    query = filters.as_query()
    columns = []
    for key, label in COLUMNS:
        label = label.format(Unit=words.unit.capitalize(), unit=words.unit)
        if key == current:
            sort, state = (key if descending else f"-{key}"), ("descending" if descending else "ascending")
        else:
            sort, state = (key if key == "ward" else f"-{key}"), "none"
        columns.append({"key": key, "label": label, "query": urlencode({**query, "sort": sort}), "aria": state})
    return columns


def _chart_subject(filters, ward_ids):
    """What a chart shows, apart from its figures: the campaign, the filters and the units (a leader's scope)."""
    return (sorted(filters.as_query().items()), sorted(ward_ids))


@login_required  # an anonymous visitor goes to the login page, whatever the method
@require_GET
@reader_required
@primary_when_replica_drops
def dashboard(request):
    form, filters, board = _dashboard(request)
    context = {"form": form, "filters": filters, "board": board, "query": urlencode(filters.as_query())}
    context["rollup"] = rollup_for(request.user)
    if board:
        context["words"] = UnitWords(board.campaign.district)
        context["columns"] = _columns(filters, context["words"])
        subject = _chart_subject(filters, [row.ward.pk for row in board.rows])
        context["charts"] = charts.drawings(
            {
                "handouts": lambda: board.handout_bars,
                "coverage": lambda: board.rows,
                "money": lambda: board.money_by_kind,
                "categories": lambda: board.by_category,
            },
            subject=subject,
        )
    return render(request, "leaders/dashboard.html", context)


@login_required  # an anonymous visitor goes to the login page, whatever the method
@require_GET
@reader_required
@primary_when_replica_drops
def ward(request, pk):
    ward = _ward_for_reader(request.user, pk)
    form = DashboardFilterForm(request.GET, user=request.user, ward=ward)
    filters = form.filters()
    context = {"form": form, "filters": filters, "ward": ward, "page": None, "query": urlencode(filters.as_query())}
    context["words"] = UnitWords(ward.district)
    if filters.campaign:
        page = ward_dashboard(filters.campaign, ward, date_from=filters.date_from, date_to=filters.date_to)
        context["page"] = page
        subject = _chart_subject(filters, [ward.pk])
        context["charts"] = charts.drawings(
            {"handouts": lambda: page.handout_bars, "categories": lambda: page.by_category}, subject=subject
        )
    return render(request, "leaders/ward.html", context)


@login_required  # an anonymous visitor goes to the login page, whatever the method
@require_GET
@reader_required
@primary_when_replica_drops
def export(request):
    form, filters, board = _dashboard(request)
    if board is None:
        return render(request, "leaders/dashboard.html", {"form": form, "filters": filters, "board": None}, status=404)
    now = timezone.localtime()
    response = HttpResponse(
        dashboard_workbook(board, filters, made_by=request.user, made_at=now),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"tong-hop-{filters.campaign.code}-{now:%Y%m%d-%H%M}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required  # an anonymous visitor goes to the login page, whatever the method
@require_GET
@reader_required
@primary_when_replica_drops
def report(request):
    """The A4 report to print and sign: the same figures as the dashboard, without the controls."""
    form, filters, board = _dashboard(request)
    context = {"form": form, "filters": filters, "board": board, "query": urlencode(filters.as_query())}
    context["now"] = timezone.localtime()
    if board:
        context["words"] = UnitWords(board.campaign.district)
        # A printed and signed report shows the figures of the moment it is printed, never older ones.
        subject = _chart_subject(filters, [row.ward.pk for row in board.rows])
        context["charts"] = charts.drawings({"coverage": lambda: board.rows}, subject=subject, max_age=0)
    return render(request, "leaders/report.html", context)
