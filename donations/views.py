"""The district's money pages: enter a donation, print its receipt, correct it, see donors and campaign totals.

Only district staff and administrators come here (``staff_required``); what they see is scoped by ``visible_to``,
so another district's receipt is a 404, not a 403 that would confirm it exists.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from relief.access import staff_required
from relief.history import record_history
from relief.levels import UnitWords
from relief.models import Campaign

from . import selectors
from .forms import (
    AmountPreviewForm,
    DonationFilterForm,
    DonationForm,
    DonorSearchForm,
    DonorSuggestForm,
    ReversalForm,
)
from .models import Donation, Donor
from .services import NEEDS_RECALL, donation_reverse
from .words import amount_in_words, number_in_words

PAGE_SIZE = 50


def _get_campaign_for_user(user, pk):
    return get_object_or_404(Campaign.objects.visible_to(user), pk=pk)


def _get_donation_for_user(user, pk):
    return get_object_or_404(selectors.donations_for(user), pk=pk)


def _get_donor_for_user(user, pk):
    return get_object_or_404(Donor.objects.visible_to(user), pk=pk)


@require_GET
@staff_required
def index(request):
    """The money pages start from the campaign: straight to it when there is one, a choice otherwise."""
    campaigns = list(Campaign.objects.visible_to(request.user).select_related("district"))
    if len(campaigns) == 1:
        return redirect("money:campaign_overview", pk=campaigns[0].pk)
    return render(request, "donations/index.html", {"campaigns": campaigns})


@require_http_methods(["GET", "POST"])
@staff_required
def donation_new(request):
    form = DonationForm(
        request.POST if request.method == "POST" else None, user=request.user, donor_id=request.GET.get("donor")
    )
    if request.method == "POST" and form.is_valid():
        try:
            donation, bags, repeated = form.save(recorded_by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if repeated:
                messages.info(request, f"Khoản này đã được ghi trước đó: biên nhận {donation.receipt_number}.")
            else:
                messages.success(request, _recorded_message(donation, bags))
            return redirect("money:receipt", pk=donation.pk)
    return render(request, "donations/donation_new.html", {"form": form})


def _recorded_message(donation, bags):
    if donation.method == Donation.Method.IN_KIND:
        store = donation.campaign.district.level_word
        return f"Đã ghi biên nhận {donation.receipt_number}: {len(bags)} túi hiện vật đã vào kho của {store}."
    completed = f"hoàn thành {len(bags)} túi" if bags else "chưa đủ để hoàn thành thêm túi nào"
    return f"Đã ghi biên nhận {donation.receipt_number}; khoản này {completed}."


@require_GET
@staff_required
def donor_search(request):
    """The donor autocomplete: a short list of options to choose from as staff type (an htmx fragment)."""
    query = DonorSuggestForm(request.GET).text()
    donors = selectors.donor_suggestions(request.user, query)
    return render(request, "donations/_donor_options.html", {"donors": donors, "query": query})


@require_GET
@staff_required
def amount_preview(request):
    """What the typed amount will be recorded as, in figures and words (an htmx fragment under the amount field)."""
    form = AmountPreviewForm(request.GET)
    words = amount_in_words(form.cleaned_data["amount"]) if form.is_valid() else ""
    return render(request, "donations/_amount_preview.html", {"form": form, "valid": bool(words), "words": words})


@require_GET
@staff_required
def receipt(request, pk):
    donation = _get_donation_for_user(request.user, pk)
    trace = selectors.bag_traces([donation.pk]).get(donation.pk, selectors.BagTrace())
    context = {
        "donation": donation,
        "trace": trace,
        # A reversal's receipt says "điều chỉnh giảm" and then the amount, so figures and words are shown unsigned.
        "amount": abs(donation.amount),
        "bags": abs(donation.bags_in_kind),
        "amount_words": amount_in_words(abs(donation.amount)),
        "bags_words": number_in_words(abs(donation.bags_in_kind)).capitalize() + " túi",
        "date_line": _official_date(donation.received_on),
        "changes": record_history(donation),
    }
    return render(request, "donations/receipt.html", context)


def _official_date(day):
    """The date line of an official document (Nghị định 30/2020): days below 10 and months 1 and 2 take a zero."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


@require_http_methods(["GET", "POST"])
@staff_required
def donation_reverse_view(request, pk):
    donation = _get_donation_for_user(request.user, pk)
    form = ReversalForm(request.POST if request.method == "POST" else None)
    recall = None  # how many bags must come back from the wards first, when that is why the reversal is refused
    if request.method == "POST" and form.is_valid():
        try:
            reversal, voided = donation_reverse(
                donation=donation,
                recorded_by=request.user,
                reason=form.cleaned_data["reason"],
                submission_key=form.cleaned_data["submission_key"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            recall = next((error.params for error in exc.error_list if error.code == NEEDS_RECALL), None)
        else:
            if voided is None:
                messages.info(request, f"Khoản này đã được điều chỉnh trước đó: biên nhận {reversal.receipt_number}.")
                return redirect("money:receipt", pk=reversal.pk)
            org = donation.campaign.district.level_word
            messages.success(
                request,
                f"Đã lập bút toán điều chỉnh {reversal.receipt_number} cho {donation.receipt_number}"
                + (f"; {len(voided)} túi tại {org} bị hủy vì không còn nguồn tiền." if voided else "."),
            )
            return redirect("money:receipt", pk=reversal.pk)
    context = {"donation": donation, "form": form, "recall": recall}
    return render(request, "donations/donation_reverse.html", context)


@require_GET
@staff_required
def donation_list(request):
    form = DonationFilterForm(request.GET or None, user=request.user)
    donations = form.apply(selectors.donations_for(request.user)).order_by("-received_on", "-receipt_seq", "-pk")
    page = Paginator(donations, PAGE_SIZE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    return render(request, "donations/donation_list.html", {"form": form, "page": page, "query": query.urlencode()})


@require_GET
@staff_required
def donor_list(request):
    form = DonorSearchForm(request.GET or None)
    text = form.cleaned_data["q"] if form.is_valid() else ""
    page = Paginator(selectors.donors_with_totals(request.user, text), PAGE_SIZE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    return render(request, "donations/donor_list.html", {"form": form, "page": page, "query": query.urlencode()})


@require_GET
@staff_required
def donor_detail(request, pk):
    donor = _get_donor_for_user(request.user, pk)
    return render(request, "donations/donor_detail.html", {"donor": donor, **selectors.donor_page(request.user, donor)})


@require_GET
@staff_required
def campaign_overview(request, pk):
    campaign = _get_campaign_for_user(request.user, pk)
    context = {"overview": selectors.campaign_overview(campaign), "words": UnitWords(campaign.district)}
    return render(request, "donations/campaign_overview.html", context)
