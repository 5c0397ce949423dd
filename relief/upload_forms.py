"""The forms of an uploaded list: the file itself and the confirmation of its preview, shared by the organizing
unit's imports and a receiving unit's officer's own list."""

from pathlib import Path

from django import forms

from .spreadsheets import MAX_UPLOAD_BYTES, SUFFIXES


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Tệp danh sách (.xlsx hoặc .csv)",
        error_messages={"required": "Hãy chọn tệp để tải lên.", "empty": "Tệp trống, không có dữ liệu."},
    )
    # A random key the page made, under which the check of this upload tells how far it is while the page waits.
    progress = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        if suffix == ".xls":
            raise forms.ValidationError("Tệp .xls (Excel cũ) chưa đọc được; hãy mở bằng Excel và lưu lại dạng .xlsx.")
        if suffix not in SUFFIXES:
            raise forms.ValidationError("Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv).")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("Tệp lớn quá 20 MB; hãy chia thành nhiều tệp nhỏ hơn.")
        return upload

    @property
    def suffix(self):
        """ ".xlsx" or ".csv", which decides how the kept file is read."""
        return Path(self.cleaned_data["file"].name).suffix.lower()


class ConfirmForm(forms.Form):
    token = forms.CharField(max_length=64, error_messages={"required": "Không tìm thấy tệp đã tải lên."})

    # Import only the rows without errors; the others are downloaded, fixed and uploaded again.
    good_only = forms.BooleanField(required=False)
    # Import the rows whose CCCD repeats as households of their own: the organizing unit checked them, row by row.
    same_id_too = forms.BooleanField(required=False)
