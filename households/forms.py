"""The ward officer's forms: every input is checked here, with messages a person at a hand-out point understands."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import lazy

from relief.form_fields import IdsChoiceField, SearchField
from relief.levels import words_for
from relief.models import Bag, Campaign, Ward
from relief.qr_photo import NOT_AN_IMAGE, read_one_code
from relief.text import clean_name, clean_text, normalize_national_id, normalize_phone

from .cccd_qr import looks_like_cccd, parse_cccd, text_of
from .hand_outs import FOREIGN_CAMPAIGN
from .models import Category, Household, MissedReport, PersonalDataView


class HouseholdForm(forms.ModelForm):
    """Add or correct a household. ``confirm_duplicates`` lets the officer save past a likely-duplicate warning."""

    head_name = forms.CharField(
        label="Họ và tên chủ hộ", max_length=120, error_messages={"required": "Hãy nhập họ và tên chủ hộ."}
    )
    national_id = forms.CharField(
        label="Số CCCD / CMND",
        required=False,
        max_length=20,
        help_text="12 chữ số (CMND cũ: 9 chữ số). Để trống nếu không có.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label="Số điện thoại",
        required=False,
        max_length=20,
        help_text="10 chữ số, bắt đầu bằng 0 (hoặc +84).",
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    # A text box, not the browser's date picker, which shows mm/dd/yyyy wherever the browser is set to American
    # English; a date read from a CCCD fills it as 09/09/1986.
    head_birth_date = forms.DateField(
        label="Ngày sinh chủ hộ",
        required=False,
        input_formats=["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"],
        error_messages={"invalid": "Ngày sinh phải là một ngày có thật, dạng ngày/tháng/năm, ví dụ 22/08/1961."},
        widget=forms.DateInput(
            format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
        ),
    )
    address = forms.CharField(label="Địa chỉ", max_length=250, error_messages={"required": "Hãy nhập địa chỉ."})
    members = forms.IntegerField(
        label="Số nhân khẩu",
        min_value=1,
        max_value=99,
        initial=1,
        error_messages={
            "required": "Hãy nhập số nhân khẩu.",
            "invalid": "Số nhân khẩu phải là một số nguyên.",
            "min_value": "Hộ phải có ít nhất 1 nhân khẩu.",
            "max_value": "Số nhân khẩu tối đa là 99.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    categories = IdsChoiceField(
        label="Diện hỗ trợ",
        queryset=Category.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Diện hỗ trợ không hợp lệ.", "invalid_pk_value": "Diện hỗ trợ không hợp lệ."},
    )
    confirm_duplicates = forms.BooleanField(label="Tôi đã kiểm tra: đây không phải hộ trùng, vẫn lưu.", required=False)

    class Meta:
        model = Household
        fields = [
            "head_name", "national_id", "head_birth_date", "head_sex", "phone", "address", "members", "residence",
            "categories", "notes",
        ]  # fmt: skip
        error_messages = {
            "residence": {"invalid_choice": "Hãy chọn tình trạng cư trú trong danh sách."},
            "head_sex": {"invalid_choice": "Hãy chọn giới tính trong danh sách."},
        }
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def clean_head_name(self):
        name = clean_name(self.cleaned_data["head_name"])
        if not any(ch.isalpha() for ch in name):
            raise ValidationError("Họ và tên chủ hộ phải có chữ.")
        return name

    def clean_national_id(self):
        value = self.cleaned_data["national_id"].strip()
        return normalize_national_id(value) if value else ""

    def clean_head_birth_date(self):
        born = self.cleaned_data["head_birth_date"]
        if born is not None and born > timezone.localdate():
            raise ValidationError("Ngày sinh không thể ở sau ngày hôm nay.")
        return born

    def clean_phone(self):
        value = self.cleaned_data["phone"].strip()
        return normalize_phone(value) if value else ""

    def clean_address(self):
        return clean_name(self.cleaned_data["address"])

    def service_fields(self):
        """The cleaned data as keyword arguments of ``household_register`` / ``household_update``."""
        data = self.cleaned_data
        names = ("head_name", "national_id", "head_birth_date", "head_sex", "phone", "address", "members")
        fields = {name: data[name] for name in names}
        fields.update(residence=data["residence"], notes=data.get("notes", ""), categories=list(data["categories"]))
        return fields


SERVED_CHOICES = [("", "Tất cả"), ("no", "Chưa nhận túi"), ("yes", "Đã nhận túi")]


class HouseholdFilterForm(forms.Form):
    """The register's search and filters; a bad value is dropped rather than refused, so a link never breaks."""

    q = SearchField(label="Tìm")
    category = forms.ModelChoiceField(
        label="Diện", queryset=Category.objects.all(), required=False, empty_label="Mọi diện"
    )
    status = forms.ChoiceField(label="Trạng thái", choices=[("", "Mọi trạng thái"), *Household.Status.choices])
    residence = forms.ChoiceField(label="Cư trú", choices=[("", "Mọi nơi cư trú"), *Household.Residence.choices])
    served = forms.ChoiceField(label="Nhận túi", choices=SERVED_CHOICES)
    after = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in ("status", "residence", "served"):
            self.fields[field].required = False

    def filters(self):
        """The valid filters as keyword arguments of ``household_page``; invalid ones are left out."""
        self.is_valid()
        data = {name: value for name, value in getattr(self, "cleaned_data", {}).items() if name not in self.errors}
        return {
            "text": data.get("q", ""),
            "category": data.get("category"),
            "status": data.get("status", ""),
            "residence": data.get("residence", ""),
            "served": data.get("served", ""),
            "after": data.get("after"),
        }


class QueueSearchForm(forms.Form):
    """The quick hand-out page's search box."""

    q = SearchField(label="Tìm")

    def text(self):
        return self.cleaned_data["q"] if self.is_valid() else ""


NOT_A_BAG_LABEL = "Đây là mã QR của CCCD, không phải nhãn túi. Hãy quét nhãn dán trên túi."
SERIAL_MAX_LENGTH = 40  # ``relief.models.Bag.serial``
SERIAL_TOO_LONG = "Mã túi dài quá %(limit)s ký tự: mã vừa nhập hoặc quét không phải mã túi."
NO_SCAN = "Chưa có mã nào: hãy quét mã QR, hoặc chụp ảnh mã rồi gửi."


def photo_field(label):
    """A photo taken with the phone's back camera, read on the server when the phone cannot read codes itself."""
    return forms.FileField(
        label=label,
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/*", "capture": "environment"}),
        error_messages={"invalid": NOT_AN_IMAGE, "empty": "Tệp ảnh rỗng. Hãy chụp lại.", "missing": NOT_AN_IMAGE},
    )


def scanned_text(code, photo):
    """The text of the one code scanned: read on the phone (``code``) or in the ``photo``; checked for length and
    encoding, never logged."""
    return text_of(read_one_code(photo) if photo else code).strip()


class ScanForm(forms.Form):
    """One scanned QR code, as its text read on the phone (``code``, filled by static/js/scan.js) or as a photo.

    Its ``clean`` leaves the code's text in ``cleaned_data["text"]``; nothing of it outlives the request.
    """

    # No max_length: ``text_of`` refuses a long code in words that say what it is not.
    code = forms.CharField(required=False, widget=forms.HiddenInput)
    photo = photo_field("Chụp mã QR")

    def clean(self):
        cleaned = super().clean()
        code, photo = cleaned.get("code"), cleaned.get("photo")
        if self.errors:
            return cleaned
        if not code and not photo:
            raise ValidationError(NO_SCAN)
        cleaned["text"] = scanned_text(code, photo)
        return cleaned


class CccdScanForm(ScanForm):
    """A CCCD's QR code scanned at registration: ``cleaned_data["card"]`` is what it says (``cccd_qr.CccdCard``)."""

    photo = photo_field("Chụp mã QR mặt sau CCCD")

    def clean(self):
        cleaned = super().clean()
        if "text" in cleaned:
            cleaned["card"] = parse_cccd(cleaned["text"])
        return cleaned


class CampaignField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault(
            "error_messages",
            {
                "required": "Thiếu chương trình. Hãy tải lại trang.",
                "invalid_choice": "Chương trình này không thuộc đơn vị của anh/chị. Hãy tải lại trang.",
            },
        )
        super().__init__(queryset=Campaign.objects.none(), widget=forms.HiddenInput, **kwargs)


class HandOutForm(forms.Form):
    """One hand-out: the next bag in stock, or the bag whose serial was typed or scanned.

    ``request_key`` is a one-time UUID printed into the form, so a double tap or a resubmitted form is recorded once.
    """

    # The campaign's pk: the service reads the campaign under the household's lock, and refuses one of another
    # district in the same words (a read here too would read it twice on every hand-out).
    campaign = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        max_value=2**63 - 1,  # a primary key is a bigint: a larger number is no campaign, not a database error
        error_messages={
            "required": "Thiếu chương trình. Hãy tải lại trang.",
            **dict.fromkeys(["invalid", "min_value", "max_value"], FOREIGN_CAMPAIGN),
        },
    )
    serial = forms.CharField(
        label="Mã túi (để trống: túi kế tiếp trong kho)",
        required=False,
        # No max_length here: ``clean_serial`` says first whether a long text is a CCCD's code.
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off", "maxlength": 40}),
    )
    # A photo of the bag's label, read here when the phone cannot read the code itself: its serial is the serial.
    photo = photo_field("Chụp nhãn túi")
    received_by = forms.CharField(
        label="Người nhận (nếu không phải chủ hộ)",
        required=False,
        max_length=120,
        error_messages={"max_length": "Tên người nhận dài quá 120 ký tự."},
    )
    request_key = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": "Biểu mẫu thiếu mã một lần. Hãy tải lại trang.",
            "invalid": "Mã một lần của biểu mẫu không hợp lệ. Hãy tải lại trang.",
        },
    )

    def clean_serial(self):
        return self._serial(self.cleaned_data["serial"])

    @staticmethod
    def _serial(text):
        """A bag's serial as typed or scanned, refused in words when it is a CCCD's code or too long to be one."""
        serial = text.strip()
        if looks_like_cccd(serial):
            raise ValidationError(NOT_A_BAG_LABEL)
        if len(serial) > SERIAL_MAX_LENGTH:
            raise ValidationError(SERIAL_TOO_LONG, params={"limit": SERIAL_MAX_LENGTH})
        return serial.upper()

    def clean(self):
        """A photo of a label names the bag: never the next bag in stock when the photo cannot be read."""
        cleaned = super().clean()
        photo = cleaned.get("photo")
        if photo and "serial" in cleaned:
            try:
                cleaned["serial"] = self._serial(scanned_text("", photo))
            except ValidationError as error:
                self.add_error("photo", error)
        return cleaned

    def clean_received_by(self):
        return clean_name(self.cleaned_data["received_by"])


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Lý do hủy",
        max_length=300,
        error_messages={"required": "Hãy ghi lý do hủy lượt trao.", "max_length": "Lý do dài quá 300 ký tự."},
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_reason(self):
        """One line, spaces collapsed: pages show the reason inline, after "Đã hủy", where a line break is lost."""
        reason = " ".join(self.cleaned_data["reason"].split())
        if not reason:
            raise ValidationError("Hãy ghi lý do hủy lượt trao.")
        return reason


class RevealForm(forms.Form):
    """Which full number the officer asks to see on a household's page."""

    field = forms.ChoiceField(
        choices=[(PersonalDataView.Field.NATIONAL_ID, "CCCD"), (PersonalDataView.Field.PHONE, "Điện thoại")],
        error_messages={"required": "Hãy chọn số cần xem.", "invalid_choice": "Chỉ xem được số CCCD hoặc điện thoại."},
    )


class ReportRevealForm(forms.Form):
    """Which full number the officer asks to see on a report of a missed household: the person's or the
    reporter's phone."""

    field = forms.ChoiceField(
        choices=[(PersonalDataView.Field.PHONE, "Điện thoại"), (PersonalDataView.Field.REPORTER_PHONE, "Người báo")],
        error_messages={
            "required": "Hãy chọn số cần xem.",
            "invalid_choice": "Chỉ xem được số điện thoại của người cần hỗ trợ hoặc của người báo.",
        },
    )


class WardRequestForm(forms.Form):
    campaign = CampaignField()
    quantity = forms.IntegerField(
        label="Số túi cần thêm",
        min_value=1,
        max_value=100_000,
        error_messages={
            "required": "Hãy nhập số túi cần thêm.",
            "invalid": "Số túi phải là một số nguyên.",
            "min_value": "Số túi phải lớn hơn 0.",
            "max_value": "Số túi đề nghị quá lớn (tối đa 100.000).",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    reason = forms.CharField(
        label="Lý do",
        max_length=2000,
        error_messages={"required": "Hãy ghi lý do đề nghị.", "max_length": "Lý do dài quá 2.000 ký tự."},
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Ví dụ: còn 120 hộ đã duyệt chưa nhận túi.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.visible_to(user).open()
        # Read only if the message is shown: "… không thuộc quận." in 2021, "… không thuộc phường." for a khu phố.
        self.fields["campaign"].error_messages["invalid_choice"] = lazy(
            lambda: f"Chương trình này đã đóng hoặc không thuộc {words_for(user).org}.", str
        )()

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError("Hãy ghi lý do đề nghị.")
        return reason


class WriteOffForm(forms.Form):
    """A bag of the ward's stock lost or damaged: the officer names it by its serial (or its number) and says why."""

    campaign = CampaignField()
    serial = forms.CharField(
        label="Mã túi (hoặc số in trên túi)",
        max_length=40,
        error_messages={"required": "Hãy nhập mã túi."},
    )
    reason = forms.CharField(
        label="Lý do (mất, hỏng, …)",
        max_length=300,
        error_messages={"required": "Hãy ghi lý do.", "max_length": "Lý do dài quá 300 ký tự."},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["campaign"].queryset = Campaign.objects.visible_to(user)

    def clean(self):
        cleaned = super().clean()
        campaign, typed = cleaned.get("campaign"), cleaned.get("serial")
        if campaign is None or not typed:
            return cleaned
        serial = campaign.typed_serial(typed)
        bag = Bag.objects.visible_to(self.user).filter(campaign=campaign, serial=serial).first()
        if bag is None:
            self.add_error("serial", f"Không có túi mã {serial} trong kho của {self.user.ward.level_word}.")
        cleaned["bag"] = bag
        return cleaned


class MissedReportForm(forms.Form):
    """Someone the lists missed, as anyone reports them: from the public page on a phone, or staff typing a phone
    call or a letter (``channel``). ``website`` is a field people never see and bots fill: such a post is dropped."""

    ward = forms.ModelChoiceField(
        label="Nơi người đó đang ở",
        queryset=Ward.objects.none(),
        required=False,
        empty_label="Không rõ",
        error_messages={"invalid_choice": "Hãy chọn nơi ở trong danh sách, hoặc “Không rõ”."},
    )
    name = forms.CharField(
        label="Họ tên người cần hỗ trợ",
        max_length=120,
        error_messages={"required": "Hãy ghi họ tên người cần hỗ trợ.", "max_length": "Họ tên dài quá 120 ký tự."},
    )
    phone = forms.CharField(label="Số điện thoại của người đó (nếu có)", max_length=20, required=False)
    staying_at = forms.CharField(
        label="Hiện đang ở đâu",
        max_length=250,
        error_messages={"required": "Hãy ghi nơi người đó đang ở.", "max_length": "Địa chỉ dài quá 250 ký tự."},
        help_text="Số nhà, đường, khu phố; hoặc nơi dễ tìm (gầm cầu, nhà trọ …).",
    )
    category = forms.ModelChoiceField(
        label="Hoàn cảnh",
        queryset=Category.objects.all(),
        required=False,
        empty_label="Khác / không rõ",
        error_messages={"invalid_choice": "Hãy chọn hoàn cảnh trong danh sách."},
    )
    situation = forms.CharField(
        label="Mô tả thêm",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Mô tả dài quá 1.000 ký tự."},
    )
    reporter_name = forms.CharField(label="Họ tên người báo (không bắt buộc)", max_length=120, required=False)
    reporter_phone = forms.CharField(label="Số điện thoại người báo (không bắt buộc)", max_length=20, required=False)
    website = forms.CharField(required=False, label="Để trống ô này", max_length=200)

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = Ward.objects.filter(district_id=campaign.district_id).order_by("code")

    def clean_name(self):
        name = clean_name(self.cleaned_data["name"])
        if not name:
            raise ValidationError("Hãy ghi họ tên người cần hỗ trợ.")
        return name

    def _phone(self, field):
        value = self.cleaned_data[field]
        return normalize_phone(value) if value.strip() else ""

    def clean_phone(self):
        return self._phone("phone")

    def clean_reporter_phone(self):
        return self._phone("reporter_phone")

    def clean_staying_at(self):
        return clean_text(self.cleaned_data["staying_at"])

    def clean_situation(self):
        return clean_text(self.cleaned_data["situation"])

    def clean_reporter_name(self):
        return clean_name(self.cleaned_data["reporter_name"])

    @property
    def is_bot(self):
        return bool(self.cleaned_data.get("website"))

    def report_fields(self):
        data = self.cleaned_data
        names = ["name", "phone", "staying_at", "category", "situation", "reporter_name", "reporter_phone"]
        return {name: data[name] for name in names}


class StaffMissedReportForm(MissedReportForm):
    """A report typed by staff from a phone call or a letter ("Giải quyết đơn thư")."""

    channel = forms.ChoiceField(
        label="Nhận qua",
        choices=[(MissedReport.Channel.PHONE, "Điện thoại"), (MissedReport.Channel.LETTER, "Đơn thư")],
        error_messages={"required": "Hãy chọn kênh nhận.", "invalid_choice": "Kênh nhận không hợp lệ."},
    )

    def __init__(self, *args, ward=None, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["website"]
        if ward is not None:  # an officer records reports of their own ward only: no choice to make
            del self.fields["ward"]


class ReportResolveForm(forms.Form):
    """What a ward officer does with a report: link it to a household already registered, or close it."""

    LINK, CLOSE = "link", "close"
    action = forms.ChoiceField(choices=[(LINK, LINK), (CLOSE, CLOSE)], error_messages={"required": "Hãy chọn việc."})
    household = forms.IntegerField(required=False, widget=forms.HiddenInput)
    reason = forms.CharField(label="Lý do đóng", max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        if action == self.LINK:
            pk = cleaned.get("household")
            cleaned["household"] = Household.objects.visible_to(self.user).filter(pk=pk).first() if pk else None
            if cleaned["household"] is None:
                self.add_error(None, "Không tìm thấy hộ này trong đơn vị của anh/chị.")
        elif action == self.CLOSE and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Hãy ghi lý do đóng báo cáo.")
        return cleaned


class ReportRouteForm(forms.Form):
    ward = forms.ModelChoiceField(
        label="Chuyển cho đơn vị",
        queryset=Ward.objects.none(),
        error_messages={"required": "Hãy chọn đơn vị.", "invalid_choice": "Đơn vị không thuộc chương trình."},
    )

    def __init__(self, *args, report, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = Ward.objects.filter(district_id=report.campaign.district_id).order_by("code")
