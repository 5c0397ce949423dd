"""The public disclosure pages (công khai): aggregate figures and donors' names, for anyone, without logging in.

Nothing here reads a household: the pages cannot leak a name, CCCD, phone or address they never fetch.
"""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from relief.levels import UnitWords
from relief.models import Campaign

from .forms import ReceiptCheckForm
from .selectors import public_campaign, receipt_lookup


@require_GET
def index(request):
    campaigns = Campaign.objects.select_related("district").order_by("-is_open", "-starts_on", "name")
    return render(request, "public/index.html", {"campaigns": campaigns})


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
