"""The public disclosure pages (công khai): aggregate figures and donors' names, for anyone, without logging in.

Nothing here reads a household: the pages cannot leak a name, CCCD, phone or address they never fetch.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from households.forms import MissedReportForm
from households.reports import public_status, report_missed, sender_of
from relief.levels import UnitWords
from relief.models import Campaign
from relief.proxies import client_address

from .forms import ReceiptCheckForm, ReportStatusForm
from .selectors import public_campaign, public_index, receipt_lookup


@require_GET
def index(request):
    campaigns = Campaign.objects.select_related("district").order_by("-is_open", "-starts_on", "name")
    return render(request, "public/index.html", {"campaigns": public_index(list(campaigns))})


@require_GET
def campaign(request, code):
    campaign = get_object_or_404(Campaign.objects.select_related("district"), code=code)
    context = {"campaign": campaign, "words": UnitWords(campaign.district), **public_campaign(campaign)}
    return render(request, "public/campaign.html", context)


@require_GET
def receipt_check(request):
    """Look a receipt up by its number; an unknown number is a plain answer (200), never an error page."""
    form = ReceiptCheckForm(request.GET or None)
    receipt, searched = None, False
    if form.is_valid():
        searched = True
        receipt = receipt_lookup(form.cleaned_data["number"])
    return render(request, "public/receipt_check.html", {"form": form, "receipt": receipt, "searched": searched})


@require_http_methods(["GET", "POST"])
def report_missed_view(request, code):
    """ "Báo bị bỏ sót": anyone tells the program about someone its lists missed, and gets a tracking code."""
    campaign = get_object_or_404(Campaign.objects.open().select_related("district"), code=code)
    form = MissedReportForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        if form.is_bot:
            return redirect(reverse("public:report_status"))
        try:
            report = report_missed(
                campaign=campaign,
                ward=form.cleaned_data["ward"],
                sender=sender_of(client_address(request)),
                **form.report_fields(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(f"{reverse('public:report_status')}?ma={report.code}&moi=1")
    return render(request, "public/report_missed.html", {"campaign": campaign, "form": form})


@require_GET
def report_status(request):
    """A report's status by its tracking code: the words of the status and two dates, nothing personal."""
    form = ReportStatusForm(request.GET or None)
    status = public_status(form.cleaned_data["ma"]) if form.is_valid() else None
    context = {"form": form, "status": status, "searched": form.is_valid(), "new": request.GET.get("moi") == "1"}
    return render(request, "public/report_status.html", context)
