"""Input on the public pages, where anyone can type anything."""

import re

from django import forms

RECEIPT = re.compile(r"^[A-Z0-9_-]{1,40}$")


class ReceiptCheckForm(forms.Form):
    number = forms.CharField(
        label="Số biên nhận",
        max_length=40,
        error_messages={
            "required": "Hãy nhập số biên nhận.",
            "max_length": "Số biên nhận không dài quá %(limit_value)d ký tự.",
        },
        widget=forms.TextInput(attrs={"placeholder": "Ví dụ: Q5-2021-BN000123", "autocomplete": "off"}),
    )

    def clean_number(self):
        """People copy receipt numbers with spaces or in lower case; the printed form is upper case, no spaces."""
        number = "".join(self.cleaned_data["number"].split()).upper()
        if not RECEIPT.match(number):
            raise forms.ValidationError("Số biên nhận chỉ gồm chữ, số và dấu gạch nối, ví dụ Q5-2021-BN000123.")
        return number


class ReportStatusForm(forms.Form):
    ma = forms.CharField(
        label="Mã theo dõi",
        max_length=20,
        error_messages={"required": "Hãy nhập mã theo dõi.", "max_length": "Mã theo dõi có 8 ký tự."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
