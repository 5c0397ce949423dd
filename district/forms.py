"""What district staff type or upload, checked here with messages they understand."""

import uuid

from django import forms
from django.utils.functional import lazy
from django.utils.text import capfirst

from households import imports as household_imports
from households.models import Category, Household
from relief.form_fields import IdsChoiceField, SearchField
from relief.levels import words_for
from relief.models import Campaign, Ward
from relief.upload_forms import UploadForm

MAX_BAGS_PER_WARD = 1_000_000
BAG_ERRORS = {
    "invalid": "Hãy nhập số túi là một số nguyên.",
    "min_value": "Số túi không được âm.",
    "max_value": "Số túi quá lớn.",
}


class AllocationPlanForm(forms.Form):
    """One number per ward of the campaign's district, saved together; the hidden key makes a repost harmless."""

    plan_key = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={"required": "Biểu mẫu đã cũ, hãy tải lại.", "invalid": "Biểu mẫu đã cũ, hãy tải lại."},
    )
    note = forms.CharField(label="Ghi chú", max_length=300, required=False)

    def __init__(self, *args, wards, **kwargs):
        super().__init__(*args, **kwargs)
        # A fresh key for the next render, used where the posted one was missing or mangled.
        self.new_key = uuid.uuid4()
        self.wards = list(wards)
        for ward in self.wards:
            self.fields[self.field_name(ward)] = forms.IntegerField(
                label=ward.name, min_value=0, max_value=MAX_BAGS_PER_WARD, required=False, error_messages=BAG_ERRORS
            )

    @staticmethod
    def field_name(ward):
        return f"ward_{ward.pk}"

    def rows(self, figures):
        """(ward, its figures, its bound field) for the template, in ward order."""
        return [(ward, figures[ward.pk], self[self.field_name(ward)]) for ward in self.wards]

    def quantities(self):
        return {ward: self.cleaned_data.get(self.field_name(ward)) or 0 for ward in self.wards}

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not any(self.quantities().values()):
            raise forms.ValidationError("Hãy nhập số túi cho ít nhất một đơn vị.")
        return cleaned


class RequestDecisionForm(forms.Form):
    APPROVE, PART, REFUSE = "approve", "part", "refuse"
    decision = forms.ChoiceField(
        label="Quyết định",
        choices=[(APPROVE, "Duyệt đủ"), (PART, "Duyệt một phần"), (REFUSE, "Từ chối")],
        widget=forms.RadioSelect,
        error_messages={"required": "Hãy chọn duyệt hay từ chối.", "invalid_choice": "Quyết định không hợp lệ."},
    )
    approved_quantity = forms.IntegerField(
        label="Số túi duyệt (nếu duyệt một phần)",
        min_value=1,
        max_value=MAX_BAGS_PER_WARD,
        required=False,
        error_messages={**BAG_ERRORS, "min_value": "Số túi duyệt phải từ 1 trở lên."},
    )
    note = forms.CharField(label="Ý kiến của đơn vị tổ chức", max_length=500, required=False, widget=forms.Textarea)

    def __init__(self, *args, ward_request, **kwargs):
        super().__init__(*args, **kwargs)
        self.ward_request = ward_request

    def clean(self):
        cleaned = super().clean()
        decision, quantity = cleaned.get("decision"), cleaned.get("approved_quantity")
        asked = self.ward_request.quantity
        if decision == self.APPROVE:
            cleaned["approved"] = asked
        elif decision == self.PART:
            if not quantity or quantity >= asked:
                self.add_error("approved_quantity", f"Duyệt một phần thì nhập số túi từ 1 đến {asked - 1}.")
            cleaned["approved"] = quantity
        elif decision == self.REFUSE:
            if not (cleaned.get("note") or "").strip():
                self.add_error("note", "Từ chối đề nghị thì phải ghi lý do.")
            cleaned["approved"] = 0
        return cleaned


class HouseholdFilterForm(forms.Form):
    ward = forms.TypedChoiceField(coerce=int, empty_value=None, required=False, label="Phường")
    status = forms.ChoiceField(choices=[("", "Tất cả"), *Household.Status.choices], required=False, label="Trạng thái")
    category = forms.ModelChoiceField(
        queryset=Category.objects.all(), required=False, label="Diện", empty_label="Tất cả"
    )
    q = SearchField(label="Tìm tên, địa chỉ, CCCD, điện thoại")
    # The page cursors: the pk of the last row seen (next page) or of the first (previous page).
    after = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    before = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The wards the user may see, read once: the ward filter's choices and the scope of the household list.
        self.wards = {ward.pk: ward for ward in Ward.objects.visible_to(user)}
        self.fields["ward"].choices = [("", "Tất cả"), *((pk, ward.name) for pk, ward in self.wards.items())]

    def clean_ward(self):
        pk = self.cleaned_data["ward"]
        return None if pk is None else self.wards[pk]

    def valid_data(self):
        self.is_valid()
        return getattr(self, "cleaned_data", {})

    def filters(self):
        """Keyword filters for ``Household`` from the valid choices; a mangled one is ignored, not the others."""
        data = self.valid_data()
        filters = {}
        if data.get("ward"):
            filters["ward"] = data["ward"]
        if data.get("status"):
            filters["status"] = data["status"]
        if data.get("category"):
            filters["categories"] = data["category"]
        return filters

    def page_arguments(self):
        """Keyword arguments of ``district_household_page`` from the valid fields; a mangled one is left out."""
        data = self.valid_data()
        arguments = {name: data.get(name) for name in ("ward", "status", "category", "after", "before")}
        return {**arguments, "wards": self.wards, "status": arguments["status"] or "", "text": data.get("q") or ""}


def _names_unseen(form, fields):
    """Whether ``fields`` hold a household id outside the form's scoped queryset (or no id at all)."""
    data = form.errors.as_data()
    return any(error.code in ("invalid_choice", "invalid_pk_value") for name in fields for error in data.get(name, []))


class HouseholdVerifyForm(forms.Form):
    APPROVE, REJECT = "approve", "reject"
    households = IdsChoiceField(
        queryset=Household.objects.none(),
        error_messages={"required": "Hãy đánh dấu ít nhất một hộ.", "invalid_choice": "Có hộ không tìm thấy."},
    )
    action = forms.ChoiceField(
        choices=[(APPROVE, "Duyệt"), (REJECT, "Không duyệt")],
        error_messages={"required": "Hãy chọn thao tác.", "invalid_choice": "Thao tác không hợp lệ."},
    )
    reason = forms.CharField(label="Lý do không duyệt", max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["households"].queryset = Household.objects.visible_to(user)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == self.REJECT and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Hãy ghi lý do không duyệt.")
        return cleaned

    @property
    def status(self):
        return Household.Status.APPROVED if self.cleaned_data["action"] == self.APPROVE else Household.Status.REJECTED

    def refers_to_unseen_households(self):
        """True when a checked household is not one the user may see: the view answers 404, as for one record."""
        return _names_unseen(self, ["households"])


class DuplicateResolveForm(forms.Form):
    keep = forms.ModelChoiceField(
        queryset=Household.objects.none(),
        error_messages={"required": "Hãy chọn hộ giữ lại.", "invalid_choice": "Không tìm thấy hộ này."},
    )
    group = IdsChoiceField(
        queryset=Household.objects.none(), error_messages={"invalid_choice": "Không tìm thấy hộ này."}
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        visible = Household.objects.visible_to(user).select_related("ward")
        self.fields["keep"].queryset = visible
        self.fields["group"].queryset = visible

    def clean(self):
        cleaned = super().clean()
        keep, group = cleaned.get("keep"), cleaned.get("group")
        if keep and group is not None and keep not in group:
            raise forms.ValidationError("Hộ giữ lại phải là một hộ trong nhóm trùng.")
        return cleaned

    def refers_to_unseen_households(self):
        return _names_unseen(self, ["keep", "group"])


def _in_words(words, text):
    """``text`` with the receiving units' level in place of "{unit}" ("phường", "khu phố"; "{Unit}" to start a
    sentence) and the organizing unit's in place of "{org}", filled in only when it is shown: the receiving units'
    level is read from the units (one query)."""
    return lazy(lambda: text.format(unit=words.unit, Unit=capfirst(words.unit), org=words.org), str)()


class HouseholdUploadForm(UploadForm):
    ward = forms.ModelChoiceField(queryset=Ward.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        words = words_for(user)
        ward = self.fields["ward"]
        ward.queryset = Ward.objects.visible_to(user)
        ward.label = _in_words(words, "{Unit} của danh sách (khi tệp không có cột {Unit})")
        ward.empty_label = _in_words(words, "Theo cột {Unit} trong tệp")
        ward.error_messages["invalid_choice"] = _in_words(words, "{Unit} không hợp lệ.")


class ImportWardForm(forms.Form):
    """The ward of a list whose file names none, asked on its preview."""

    token = forms.CharField(max_length=64, widget=forms.HiddenInput)
    ward = forms.ModelChoiceField(queryset=Ward.objects.none(), empty_label=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        words = words_for(user)
        ward = self.fields["ward"]
        ward.queryset = Ward.objects.visible_to(user)
        ward.label = _in_words(words, "Danh sách này của {unit} nào?")
        ward.error_messages["required"] = _in_words(words, "Hãy chọn {unit}.")
        ward.error_messages["invalid_choice"] = _in_words(words, "{Unit} không hợp lệ.")


class CategoryMappingForm(forms.Form):
    """The program's category for each category text of an uploaded list that nothing reads, chosen once on its
    preview for the whole file (and remembered for the district), or the text left out.

    The texts come from the preview kept in the session, never from the post."""

    token = forms.CharField(max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, texts, **kwargs):
        super().__init__(*args, **kwargs)
        self.texts = list(texts)
        categories = [
            (str(pk), name) for pk, name in Category.objects.order_by("order", "pk").values_list("pk", "name")
        ]
        for index, text in enumerate(self.texts):
            self.fields[f"category_{index}"] = forms.ChoiceField(
                label=text,
                choices=[("", "Chưa chọn"), (household_imports.LEAVE_OUT, "Bỏ qua (không nhập diện này)"), *categories],
                required=False,
                error_messages={"invalid_choice": "Lựa chọn không hợp lệ."},
            )

    def category_fields(self):
        return [self[f"category_{index}"] for index in range(len(self.texts))]

    def choices(self):
        """(text, a category's id, ``LEAVE_OUT`` or "") of every text, as chosen."""
        return [(text, self.cleaned_data[f"category_{index}"]) for index, text in enumerate(self.texts)]


class ColumnMappingForm(forms.Form):
    """What each column of an uploaded list is imported as, chosen on its preview: any field, or left out.

    The titles come from the preview kept in the session, never from the post, so only the file's own columns can
    be named."""

    token = forms.CharField(max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, titles, **kwargs):
        super().__init__(*args, **kwargs)
        self.titles = list(titles)
        for index, title in enumerate(self.titles):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=title,
                choices=[("", "Bỏ qua (không nhập)"), *household_imports.FIELD_CHOICES],
                required=False,
                error_messages={"invalid_choice": "Lựa chọn không hợp lệ."},
            )

    @classmethod
    def for_report(cls, report, token):
        initial = {f"column_{index}": key for index, (_, key) in enumerate(report.columns)}
        return cls(titles=[title for title, _ in report.columns], initial={"token": token, **initial})

    def column_fields(self):
        return [self[f"column_{index}"] for index in range(len(self.titles))]

    def choices(self):
        """(title, field or "") of every column, as chosen."""
        return [(title, self.cleaned_data[f"column_{index}"]) for index, title in enumerate(self.titles)]

    def clean(self):
        cleaned = super().clean()
        labels = dict(household_imports.FIELD_CHOICES)
        seen = {}
        for index, title in enumerate(self.titles):
            key = cleaned.get(f"column_{index}")
            if key and key in seen:
                raise forms.ValidationError(
                    "“%(field)s” được chọn cho hai cột (“%(first)s” và “%(second)s”); "
                    "mỗi thông tin chỉ lấy từ một cột.",
                    params={"field": labels[key], "first": seen[key], "second": title},
                )
            seen[key] = title
        return cleaned


class DonationUploadForm(UploadForm):
    campaign = forms.ModelChoiceField(
        queryset=Campaign.objects.none(),
        label="Chương trình",
        empty_label=None,
        error_messages={"required": "Hãy chọn chương trình.", "invalid_choice": "Chương trình không hợp lệ."},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.visible_to(user).open()


class RecallForm(forms.Form):
    """Bags taken back from a ward: to the district, or on to another ward of the campaign's district."""

    submission_key = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={"required": "Biểu mẫu đã cũ, hãy tải lại.", "invalid": "Biểu mẫu đã cũ, hãy tải lại."},
    )
    ward = forms.ModelChoiceField(
        label="Thu hồi từ đơn vị",
        queryset=Ward.objects.none(),
        error_messages={"required": "Hãy chọn đơn vị.", "invalid_choice": "Đơn vị không thuộc chương trình."},
    )
    quantity = forms.IntegerField(
        label="Số túi",
        min_value=1,
        max_value=MAX_BAGS_PER_WARD,
        error_messages={**BAG_ERRORS, "required": "Hãy nhập số túi."},
    )
    to_ward = forms.ModelChoiceField(
        label="Chuyển sang đơn vị",
        queryset=Ward.objects.none(),
        required=False,
        empty_label="(không chuyển: đưa về kho đơn vị tổ chức)",
        error_messages={"invalid_choice": "Đơn vị không thuộc chương trình."},
    )
    reason = forms.CharField(label="Lý do", max_length=300, error_messages={"required": "Hãy ghi lý do thu hồi túi."})

    def __init__(self, *args, wards, **kwargs):
        super().__init__(*args, **kwargs)
        self.new_key = uuid.uuid4()
        self.fields["ward"].queryset = wards
        self.fields["to_ward"].queryset = wards

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("to_ward") and cleaned.get("to_ward") == cleaned.get("ward"):
            self.add_error("to_ward", "Đơn vị nhận phải khác đơn vị bị thu hồi.")
        return cleaned


class WriteOffDecisionForm(forms.Form):
    APPROVE, REFUSE = "approve", "refuse"
    decision = forms.ChoiceField(
        label="Quyết định",
        choices=[(APPROVE, "Duyệt hủy túi"), (REFUSE, "Từ chối")],
        widget=forms.RadioSelect,
        error_messages={"required": "Hãy chọn duyệt hoặc từ chối.", "invalid_choice": "Quyết định không hợp lệ."},
    )
    note = forms.CharField(label="Ý kiến của đơn vị tổ chức", max_length=300, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.REFUSE and not (cleaned.get("note") or "").strip():
            self.add_error("note", "Từ chối đề xuất thì phải ghi lý do.")
        return cleaned

    @property
    def approve(self):
        return self.cleaned_data["decision"] == self.APPROVE


class LabelSheetForm(forms.Form):
    """Which bags to label and on which sheet: every bag of the campaign, a receiving unit's, or a range of numbers.

    ``words`` are the campaign's (``relief.levels.UnitWords``): "Túi của khu phố" on a ward's own campaign."""

    ward = forms.ModelChoiceField(
        queryset=Ward.objects.none(),
        required=False,
        error_messages={"invalid_choice": "Đơn vị không thuộc chương trình."},
    )
    first = forms.IntegerField(label="Từ số túi", min_value=1, required=False, error_messages=BAG_ERRORS)
    last = forms.IntegerField(label="Đến số túi", min_value=1, required=False, error_messages=BAG_ERRORS)
    layout = forms.ChoiceField(
        label="Khổ giấy nhãn",
        choices=[("3x8", "A4, 3 cột x 8 hàng"), ("3x7", "A4, 3 cột x 7 hàng")],
        initial="3x8",
        error_messages={"invalid_choice": "Hãy chọn khổ giấy nhãn trong danh sách."},
    )

    def __init__(self, *args, wards, words, **kwargs):
        super().__init__(*args, **kwargs)
        ward = self.fields["ward"]
        ward.queryset = wards
        ward.label = _in_words(words, "Túi của {unit}")
        ward.empty_label = _in_words(words, "Mọi {unit} và kho {org}")

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first"), cleaned.get("last")
        if first and last and first > last:
            self.add_error("last", "Số túi cuối phải lớn hơn hoặc bằng số túi đầu.")
        return cleaned
