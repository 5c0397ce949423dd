import re
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from relief.templatetags.relief_format import format_count, format_vnd
from relief.text import (
    clean_name,
    clean_text,
    fold,
    mask_national_id,
    mask_phone,
    normalize_national_id,
    normalize_phone,
)


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Nguyễn Văn Đức", "nguyen van duc"),
        ("ĐẶNG THỊ HỒNG", "dang thi hong"),
        ("  Trần   Hưng  Đạo ", "tran hung dao"),
        ("Nguye\u0302\u0303n", "nguyen"),  # decomposed marks, as some phones type them
    ],
)
def test_fold_removes_diacritics_case_and_extra_spaces(typed, folded):
    assert fold(typed) == folded


def test_a_name_is_stored_composed_with_single_spaces():
    assert clean_name(" Nguye\u0302\u0303n\u00a0 Văn\t\nAn ") == "Nguyễn Văn An"


@pytest.mark.parametrize("invisible", ["\x00", "\x07", "\x7f", "\x9b", "\u200b", "\u200c", "\u2060", "\ufeff", "\xad"])
def test_clean_text_and_fold_drop_control_and_zero_width_characters(invisible):
    typed = f"Ngu{invisible}yễn Văn{invisible} An"
    assert clean_text(typed) == "Nguyễn Văn An"
    assert fold(typed) == "nguyen van an"


# Letters, marks, and every kind of space Unicode has (a no-break space from a web form, an ideographic one).
NAMES = st.text(st.sampled_from("aăâđêôơưAĐ \t\n\r\x0b\x0c\x1c\x85\xa0\u1680\u2000\u2028\u3000\u0301\u0303"))


@given(NAMES)
def test_a_name_loses_exactly_the_spaces_a_regular_expression_would_squeeze(text):
    assert clean_name(text) == re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("0912345678", "0912345678"), ("0912 345 678", "0912345678"), ("+84 912 345 678", "0912345678"),
     ("84912345678", "0912345678"), ("0912.345.678", "0912345678")],
)  # fmt: skip
def test_a_mobile_number_is_stored_as_ten_digits_starting_with_zero(typed, stored):
    assert normalize_phone(typed) == stored


@pytest.mark.parametrize("typed", ["091234567", "09123456789", "1912345678", "abc", "+1 912 345 678", ""])
def test_a_wrong_mobile_number_is_refused_in_vietnamese(typed):
    with pytest.raises(ValidationError, match="10 chữ số"):
        normalize_phone(typed)


@pytest.mark.parametrize("typed", ["079081000123", "079 081 000 123", "001305000001", "024123456"])
def test_a_cccd_of_twelve_digits_or_a_cmnd_of_nine_is_accepted(typed):
    assert normalize_national_id(typed) == typed.replace(" ", "")


@pytest.mark.parametrize(
    ("typed", "message"),
    [("12345", "12 chữ số"), ("0790810001234", "12 chữ số"), ("999081000123", "mã tỉnh"),
     ("079999000123", "không hợp lệ"), ("079290000123", "không hợp lệ")],
)  # fmt: skip
def test_a_wrong_cccd_is_refused_with_the_reason(typed, message):
    with pytest.raises(ValidationError, match=message):
        normalize_national_id(typed)


def test_masks_keep_only_what_tells_people_apart():
    assert mask_national_id("079081000123") == "•••••••••123"
    assert mask_phone("0912345678") == "091••••678"


@pytest.mark.parametrize(
    ("amount", "shown"),
    [(1_000_000, "1.000.000 ₫"), (49_000_000, "49.000.000 ₫"), (0, "0 ₫"), (-500_000, "-500.000 ₫"), (999, "999 ₫")],
)
def test_money_is_shown_the_vietnamese_way(amount, shown):
    assert format_vnd(amount) == shown
    assert format_count(16000) == "16.000"
