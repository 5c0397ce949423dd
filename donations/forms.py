"""The money forms: they read what staff type (amounts, dates, donors) and say in Vietnamese what is wrong."""

import datetime
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy

from relief.form_fields import SearchField
from relief.levels import words_for
from relief.models import Campaign
from relief.text import clean_name, normalize_phone

from .amounts import parse_amount
from .models import Donation, Donor
from .selectors import search_donations
from .services import donation_record

DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y"]
DATE_HELP = "ngày/tháng/năm, ví dụ 22/08/2021"
# Nothing this program records happened before the app's oldest campaign era; a year like 0021 is a typo.
EARLIEST = datetime.date(2000, 1, 1)
MAX_BAGS_IN_KIND = 100_000


class VietnameseDateField(forms.DateField):
    """A date typed dd/mm/yyyy; garbage, far-past and future dates are refused."""

    default_error_messages = {"invalid": f"Ngày không hợp lệ: hãy nhập theo dạng {DATE_HELP}."}

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATE_FORMATS)
        kwargs.setdefault(
            "widget",
            forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
        )
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if value > timezone.localdate():
            raise ValidationError("Ngày %(date)s chưa tới.", params={"date": value.strftime("%d/%m/%Y")})
        if value < EARLIEST:
            raise ValidationError(
                "Ngày %(date)s quá xa, hãy kiểm tra năm.", params={"date": value.strftime("%d/%m/%Y")}
            )


def submission_key_field():
    # A new key each time the form is shown; the same key sent twice finds the entry already recorded.
    return forms.UUIDField(
        widget=forms.HiddenInput,
        initial=uuid.uuid4,
        error_messages={
            "required": "Biểu mẫu đã cũ, hãy tải lại trang.",
            "invalid": "Biểu mẫu đã cũ, hãy tải lại trang.",
        },
    )


class DonationForm(forms.Form):
    """One donation: who gave, how much or how many bags, how and when. A new donor can be added on the way."""

    campaign = forms.ModelChoiceField(
        label="Chương trình",
        queryset=Campaign.objects.none(),
        empty_label=None,
        error_messages={
            "required": "Hãy chọn chương trình.",
            "invalid_choice": "Chương trình này không có hoặc đã đóng.",
        },
    )
    donor = forms.ModelChoiceField(
        queryset=Donor.objects.none(),
        required=False,
        widget=forms.HiddenInput,
    )
    donor_query = forms.CharField(
        label="Nhà hảo tâm",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "Gõ tên, đơn vị hoặc số điện thoại"}),
        error_messages={"max_length": "Tên dài quá 200 ký tự."},
    )
    new_donor = forms.BooleanField(label="Thêm nhà hảo tâm mới với tên này", required=False)
    donor_kind = forms.ChoiceField(
        label="Loại",
        choices=Donor.Kind.choices,
        initial=Donor.Kind.INDIVIDUAL,
        required=False,
        error_messages={"invalid_choice": "Loại nhà hảo tâm không hợp lệ."},
    )
    donor_organisation = forms.CharField(
        label="Đơn vị", max_length=200, required=False, error_messages={"max_length": "Tên đơn vị dài quá 200 ký tự."}
    )
    donor_phone = forms.CharField(label="Số điện thoại", max_length=20, required=False)
    donor_anonymous = forms.BooleanField(label="Ẩn tên khi công khai", required=False)
    method = forms.ChoiceField(
        label="Hình thức",
        choices=Donation.Method.choices,
        initial=Donation.Method.CASH,
        widget=forms.RadioSelect,
        error_messages={"required": "Hãy chọn hình thức.", "invalid_choice": "Hình thức không hợp lệ."},
    )
    amount = forms.CharField(
        label="Số tiền",
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "49.000.000 hoặc 49 triệu"}),
        error_messages={"max_length": "Số tiền gõ dài quá."},
    )
    bags_in_kind = forms.IntegerField(
        label="Số túi hiện vật",
        required=False,
        min_value=1,
        max_value=MAX_BAGS_IN_KIND,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "invalid": "Số túi phải là số nguyên, ví dụ 25.",
            "min_value": "Số túi phải lớn hơn 0.",
            "max_value": f"Số túi quá lớn: tối đa {MAX_BAGS_IN_KIND:,} túi một lần.".replace(",", "."),
        },
    )
    received_on = VietnameseDateField(label="Ngày nhận", error_messages={"required": "Hãy nhập ngày nhận."})
    note = forms.CharField(
        label="Ghi chú", max_length=300, required=False, error_messages={"max_length": "Ghi chú dài quá 300 ký tự."}
    )
    submission_key = submission_key_field()

    def __init__(self, *args, user, donor_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self._start_with_donor(donor_id)
        campaigns = Campaign.objects.visible_to(user).open().select_related("district")
        self.fields["campaign"].queryset = campaigns
        self.fields["donor"].queryset = Donor.objects.visible_to(user)
        # Read only if the message is shown: the list is the organizing unit's ("của quận", "của phường").
        self.fields["donor"].error_messages["invalid_choice"] = lazy(
            lambda: f"Nhà hảo tâm đã chọn không có trong danh sách của {words_for(user).org}; hãy chọn lại.", str
        )()
        self.fields["received_on"].initial = timezone.localdate
        first = campaigns.first()
        if first:
            self.fields["campaign"].initial = first.pk
        self.fields["amount"].widget.attrs.update(
            {
                "hx-get": reverse("money:amount_preview"),
                "hx-trigger": "input changed delay:200ms",
                "hx-target": "#amount-preview",
                "hx-sync": "this:replace",
                "aria-describedby": "amount-preview",
            }
        )

    def _start_with_donor(self, donor_id):
        """Coming from a donor's page, the form starts with that donor chosen (if ``user`` may see them)."""
        if self.is_bound or not str(donor_id or "").isdigit():
            return
        donor = Donor.objects.visible_to(self.user).filter(pk=donor_id).first()
        if donor:
            self.initial.update(donor=donor.pk, donor_query=donor.name)

    def clean_amount(self):
        typed = self.cleaned_data["amount"].strip()
        return parse_amount(typed) if typed else None

    def clean_donor_query(self):
        return clean_name(self.cleaned_data["donor_query"])

    def clean_donor_phone(self):
        typed = self.cleaned_data["donor_phone"].strip()
        return normalize_phone(typed) if typed else ""

    def clean(self):
        data = super().clean()
        self._clean_donor(data)
        method = data.get("method")
        if method == Donation.Method.IN_KIND:
            if data.get("amount"):
                self.add_error("amount", "Túi hiện vật không ghi số tiền; hãy để trống ô số tiền.")
            if not data.get("bags_in_kind") and "bags_in_kind" not in self.errors:
                self.add_error("bags_in_kind", "Hãy nhập số túi hiện vật.")
        elif method:
            if data.get("bags_in_kind"):
                self.add_error("bags_in_kind", "Ủng hộ bằng tiền thì không ghi số túi; hãy để trống ô này.")
            if not data.get("amount") and "amount" not in self.errors:
                self.add_error("amount", "Hãy nhập số tiền, ví dụ 49.000.000 hoặc 49 triệu.")
        return data

    def _clean_donor(self, data):
        if data.get("donor") or "donor" in self.errors:
            return
        if not data.get("new_donor"):
            self.add_error(
                "donor_query",
                "Hãy gõ tên rồi chọn nhà hảo tâm trong danh sách gợi ý, hoặc đánh dấu “Thêm nhà hảo tâm mới”.",
            )
        elif not data.get("donor_query") and "donor_query" not in self.errors:
            self.add_error("donor_query", "Hãy nhập tên nhà hảo tâm mới.")
        elif self._same_donor_exists(data):
            # Many people share a name, so only a donor identical in name, unit and phone counts as the same one.
            self.add_error(
                "donor_query",
                ValidationError(
                    "Đã có nhà hảo tâm “%(name)s” với cùng đơn vị và số điện thoại: hãy chọn trong danh sách gợi ý.",
                    params={"name": data["donor_query"]},
                ),
            )

    def _same_donor_exists(self, data):
        return (
            Donor.objects.visible_to(self.user)
            .filter(
                name__iexact=data.get("donor_query", ""),
                organisation__iexact=clean_name(data.get("donor_organisation", "")),
                phone=data.get("donor_phone", ""),
            )
            .exists()
        )

    def save(self, *, recorded_by):
        """Record the donation (and the new donor, if any); return ``(donation, bags funded, already recorded)``."""
        data = self.cleaned_data
        donation, bags = donation_record(
            campaign=data["campaign"],
            donor=data["donor"],
            new_donor=None if data["donor"] else self._new_donor(),
            recorded_by=recorded_by,
            received_on=data["received_on"],
            method=data["method"],
            amount=data["amount"] or 0,
            bags_in_kind=data["bags_in_kind"] or 0,
            note=data["note"],
            submission_key=data["submission_key"],
        )
        return donation, bags or [], bags is None

    def _new_donor(self):
        data = self.cleaned_data
        return {
            "name": data["donor_query"],
            "kind": data["donor_kind"],
            "organisation": clean_name(data["donor_organisation"]),
            "phone": data["donor_phone"],
            "anonymous": data["donor_anonymous"],
        }


class AmountPreviewForm(forms.Form):
    """The amount alone, read as the donation form reads it, so staff see "49.000.000 ₫" in figures and words
    while they type."""

    amount = forms.CharField(max_length=60, error_messages={"required": "", "max_length": "Số tiền gõ dài quá."})

    def clean_amount(self):
        return parse_amount(self.cleaned_data["amount"])


class ReversalForm(forms.Form):
    reason = forms.CharField(
        label="Lý do điều chỉnh",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Hãy ghi lý do điều chỉnh.", "max_length": "Lý do dài quá 300 ký tự."},
    )
    submission_key = submission_key_field()

    def clean_reason(self):
        reason = " ".join(self.cleaned_data["reason"].split())
        if not reason:
            raise ValidationError("Hãy ghi lý do điều chỉnh.")
        return reason


class DonationFilterForm(forms.Form):
    """The receipt list's filters; a filter typed wrong is reported and left out, the others still apply."""

    campaign = forms.ModelChoiceField(
        label="Chương trình",
        queryset=Campaign.objects.none(),
        required=False,
        empty_label="Tất cả",
        error_messages={"invalid_choice": "Chương trình không có."},
    )
    method = forms.ChoiceField(
        label="Hình thức",
        choices=[("", "Tất cả"), *Donation.Method.choices],
        required=False,
        error_messages={"invalid_choice": "Hình thức không hợp lệ."},
    )
    since = VietnameseDateField(label="Từ ngày", required=False)
    until = VietnameseDateField(label="Đến ngày", required=False)
    q = SearchField(label="Số biên nhận hoặc tên")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.visible_to(user)

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "“Đến ngày” phải sau “Từ ngày”.")
        return data

    def apply(self, donations):
        if not self.is_bound:
            return donations
        self.is_valid()
        data = self.cleaned_data
        if data.get("campaign"):
            donations = donations.filter(campaign=data["campaign"])
        if data.get("method"):
            donations = donations.filter(method=data["method"])
        if data.get("since"):
            donations = donations.filter(received_on__gte=data["since"])
        if data.get("until"):
            donations = donations.filter(received_on__lte=data["until"])
        if data.get("q", "").strip():
            donations = search_donations(donations, data["q"].strip())
        return donations


class DonorSearchForm(forms.Form):
    q = SearchField(label="Tìm nhà hảo tâm")


class DonorSuggestForm(forms.Form):
    """The donor autocomplete's query: the donation form's name box sends ``donor_query``, other pages ``q``."""

    donor_query = SearchField()
    q = SearchField()

    def text(self):
        if not self.is_valid():
            return ""
        return self.cleaned_data["donor_query"] or self.cleaned_data["q"]
