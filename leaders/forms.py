"""The filters of the leaders' pages, read from the query string: a bad value is a Vietnamese message, never a 500."""

import datetime
from dataclasses import dataclass

from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join

from relief.models import Campaign, District

from .dashboard import SORT_KEYS

DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]  # people type 22/08/2021; links of older pages carry ISO
BAD_DATE = "Ngày không hợp lệ. Hãy nhập theo dạng ngày/tháng/năm, ví dụ 22/08/2021."


def _date_field(label):
    """An optional date typed as 22/08/2021. A text box, not the browser's date picker, which shows mm/dd/yyyy
    wherever the browser is set to American English."""
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_FORMATS,
        widget=QuickDateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
        error_messages={"invalid": BAD_DATE},
    )


class ReadOnceIterator(ModelChoiceIterator):
    """The choices from the field's queryset as the form has read it, not from ``queryset.iterator()``, which asks
    the database again (a server-side cursor: three round trips) each time the select is drawn."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class QuickSelect(forms.Select):
    """Django's select, drawn here instead of by a template per option: a city leader's two selects hold forty
    choices, and rendering a template for each is slow beside formatting one tag, on every dashboard. Same choices,
    attributes and escaping (``format_html``)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], flatatt(option["attrs"]), option["label"])
                for _, group, _ in widget["optgroups"]
                for option in group
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), options)


class QuickInput:
    """Drawn in Python like ``QuickSelect``, for the text and hidden inputs: Django renders two templates per input
    where one formatted tag does. Same attributes (``flatatt``: ``True`` bare, ``False`` and ``None`` left out) and
    escaping."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        shown = "" if widget["value"] is None else format_html(' value="{}"', widget["value"])
        return format_html(
            '<input type="{}" name="{}"{}{}>', widget["type"], widget["name"], shown, flatatt(widget["attrs"])
        )


class QuickDateInput(QuickInput, forms.DateInput):
    pass


class QuickHiddenInput(QuickInput, forms.HiddenInput):
    pass


class ReadOnceChoiceField(forms.ModelChoiceField):
    iterator = ReadOnceIterator
    widget = QuickSelect


@dataclass
class Filters:
    campaign: Campaign | None
    district: District | None
    date_from: object = None
    date_to: object = None
    sort: str = "ward"

    def as_query(self):
        """The filters as query-string pairs, so the export and the report show what the screen shows."""
        pairs = {
            "campaign": self.campaign.pk if self.campaign else "",
            "district": self.district.pk if self.district else "",
            "date_from": self.date_from.strftime("%d/%m/%Y") if self.date_from else "",
            "date_to": self.date_to.strftime("%d/%m/%Y") if self.date_to else "",
            "sort": self.sort,
        }
        return {key: value for key, value in pairs.items() if value}


class DashboardFilterForm(forms.Form):
    """Campaign, district, date range and sort order, limited to what the user's scope reaches.

    A leader tied to a district sees only that district; a city-wide leader or an administrator picks one. A campaign
    that does not belong to the chosen district is refused rather than silently mixing two districts' figures.
    """

    district = ReadOnceChoiceField(
        label="Đơn vị tổ chức",
        queryset=District.objects.none(),
        required=False,
        empty_label="(theo chương trình)",
        error_messages={"invalid_choice": "Đơn vị này không có trong phạm vi của bạn."},
    )
    campaign = ReadOnceChoiceField(
        label="Chương trình",
        queryset=Campaign.objects.none(),
        required=False,
        empty_label="(chương trình đang mở gần nhất)",
        error_messages={"invalid_choice": "Chương trình này không có trong phạm vi của bạn."},
    )
    date_from = _date_field("Từ ngày")
    date_to = _date_field("Đến ngày")
    sort = forms.ChoiceField(
        label="Sắp xếp",
        required=False,
        choices=[(key, key) for name in SORT_KEYS for key in (name, f"-{name}")],
        widget=QuickHiddenInput,
    )

    def __init__(self, data, *, user, ward=None):
        super().__init__(data)
        self.user = user
        self.ward = ward
        campaigns = Campaign.objects.visible_to(user).select_related("district")
        districts = District.objects.visible_to(user)
        if ward is not None:
            # A ward's page compares the ward with its own district's campaign only.
            campaigns = campaigns.filter(district_id=ward.district_id)
            districts = districts.filter(pk=ward.district_id)
        self.fields["campaign"].queryset = campaigns
        self.fields["district"].queryset = districts
        # Read each list once: the selects, the default campaign and the check below all use what was read.
        self.campaigns = list(self.fields["campaign"].queryset)
        if len(self.fields["district"].queryset) == 1:
            # Nothing to choose: a district leader is never offered other districts, even as an empty option.
            self.fields["district"].widget = QuickHiddenInput()

    def clean(self):
        cleaned = super().clean()
        campaign, district = cleaned.get("campaign"), cleaned.get("district")
        if campaign and district and campaign.district_id != district.pk:
            self.add_error("campaign", "Chương trình này không thuộc đơn vị tổ chức đã chọn.")
            cleaned.pop("campaign", None)
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", "“Đến ngày” phải sau “Từ ngày”.")
            cleaned.pop("date_to", None)
        return cleaned

    def filters(self):
        """The filters to apply: the valid ones as given, defaults for the rest (so a typo never empties the page)."""
        self.is_valid()  # validates once; later calls reuse the result
        data = self.cleaned_data
        district = data.get("district")
        campaign = data.get("campaign") or self._default_campaign(district)
        if campaign and not district:
            district = campaign.district
        return Filters(
            campaign=campaign,
            district=district,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            sort=data.get("sort") or "ward",
        )

    def _default_campaign(self, district):
        """The newest open campaign in scope (in the chosen district), else the newest closed one; a campaign
        without a start date counts as the oldest."""
        campaigns = [c for c in self.campaigns if district is None or c.district_id == district.pk]
        return max(campaigns, key=lambda c: (c.is_open, c.starts_on or datetime.date.min, c.pk), default=None)
