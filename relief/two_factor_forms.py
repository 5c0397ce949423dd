"""The code a person types at the second step of the login or to confirm a new authenticator app."""

import re

from django import forms
from django.core.exceptions import ValidationError

from . import two_factor

APP_CODE = re.compile(r"\d{6}")
RECOVERY_CODE = re.compile(r"[a-z2-7]{8}")


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Mã xác thực",
        max_length=20,
        error_messages={
            "required": "Nhập mã xác thực.",
            "max_length": "Mã không đúng: mã trong ứng dụng có 6 chữ số, mã dự phòng có 8 ký tự.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "autofocus": True}),
    )
    help = "Nhập 6 chữ số đang hiện trong ứng dụng xác thực."
    patterns = (APP_CODE,)

    def clean_code(self):
        # People copy codes with the app's spaces ("123 456") or the recovery sheet's dash; neither is part of it.
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"]).lower()
        if not any(pattern.fullmatch(code) for pattern in self.patterns):
            raise ValidationError(self.help)
        return code


class VerifyForm(CodeForm):
    """The second step of the login: a code of the person's app, or one of their recovery codes (each once)."""

    help = "Nhập 6 chữ số đang hiện trong ứng dụng xác thực, hoặc một mã dự phòng gồm 8 ký tự."
    patterns = (APP_CODE, RECOVERY_CODE)

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = request.user

    def clean(self):
        if two_factor.sign_in_locked(request=self.request, user=self.user):
            raise ValidationError("Tài khoản tạm khóa vì nhập sai quá nhiều lần.")
        code = self.cleaned_data.get("code")
        if code is None:
            return self.cleaned_data
        accepted, wait = two_factor.two_factor_verify(user=self.user, token=code)
        if accepted:
            return self.cleaned_data
        if two_factor.code_refused(request=self.request, user=self.user):
            raise ValidationError("Tài khoản tạm khóa vì nhập sai quá nhiều lần.")
        if wait:
            raise ValidationError(f"Đã nhập sai nhiều lần. Hãy chờ {wait} giây rồi nhập mã mới.")
        raise ValidationError("Mã không đúng hoặc đã hết hạn. Hãy nhập mã đang hiện trong ứng dụng.")


class EnrolForm(CodeForm):
    """The first code of a new authenticator app: it proves the app holds the key before the key is trusted."""

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device
        self.recovery_codes = None

    def clean(self):
        code = self.cleaned_data.get("code")
        if code is not None:
            self.recovery_codes, wait = two_factor.two_factor_enrol(device=self.device, token=code)
            if wait:
                raise ValidationError(f"Đã nhập sai nhiều lần. Hãy chờ {wait} giây rồi nhập mã mới.")
            if self.recovery_codes is None:
                raise ValidationError(
                    "Mã không đúng. Kiểm tra giờ trên điện thoại rồi nhập mã đang hiện trong ứng dụng."
                )
        return self.cleaned_data
