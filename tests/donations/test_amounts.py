"""Amounts typed the Vietnamese way become whole đồng; anything else is refused with a message staff understand."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from donations.amounts import MAX_AMOUNT, parse_amount
from relief.templatetags.relief_format import format_vnd


@pytest.mark.parametrize(
    "typed",
    [
        "49.000.000",
        "49000000",
        "49 000 000",
        "49,000,000",
        "49 triệu",
        "49 TRIỆU",
        "49triệu",
        "49 trieu",
        "49tr",
        "49.000.000 ₫",
        "49.000.000đ",
        "49 triệu đồng",
        " 49.000.000 ",
        "49 000 000 VND",
        "49 trie\u0302\u0323u",
    ],
)
def test_every_usual_way_of_typing_forty_nine_million_means_forty_nine_million(typed):
    assert parse_amount(typed) == 49_000_000


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("1,5 triệu", 1_500_000),
        ("0,5 triệu", 500_000),
        ("1,25 tỷ", 1_250_000_000),
        ("500 nghìn", 500_000),
        ("500 ngàn", 500_000),
        ("500k", 500_000),
        ("500K", 500_000),
        ("1 tỷ 200 triệu", 1_200_000_000),
        ("2 triệu 500 nghìn", 2_500_000),
        ("1.500 triệu", 1_500_000_000),
        ("16 tỷ", 16_000_000_000),
        ("1.000", 1_000),
        ("999.999.999.999", 999_999_999_999),
    ],
)
def test_units_decimal_commas_and_compound_amounts_are_understood(typed, amount):
    assert parse_amount(typed) == amount


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Hãy nhập số tiền"),
        ("   ", "Hãy nhập số tiền"),
        ("0", "lớn hơn 0"),
        ("0 triệu", "lớn hơn 0"),
        ("-500000", "lớn hơn 0"),
        ("-5 triệu", "lớn hơn 0"),
        ("năm triệu", "Không đọc được"),
        ("abc", "Không đọc được"),
        ("49.00.000", "Không đọc được"),
        ("49.000,000", "Không đọc được"),
        ("1e9", "Không đọc được"),
        ("2 triệu 500", "Không đọc được"),
        ("500 nghìn 2 triệu", "Không đọc được"),
        ("5 xu", "Không đọc được"),
        ("1,5", "không có phần lẻ"),
        ("1.5 triệu", "dấu phẩy"),
        ("1,0000005 triệu", "đồng nguyên"),
        ("500", "nhỏ nhất là 1.000 ₫"),
        ("1.000.000.000.000", "quá lớn"),
        ("9" * 40, "quá lớn"),
        ("1000 tỷ", "quá lớn"),
    ],
)
def test_anything_else_is_refused_in_vietnamese(typed, message):
    with pytest.raises(ValidationError) as caught:
        parse_amount(typed)
    assert message in caught.value.messages[0]


@given(st.integers(min_value=1_000, max_value=MAX_AMOUNT))
def test_an_amount_shown_the_vietnamese_way_reads_back_to_itself(amount):
    shown = format_vnd(amount)
    assert parse_amount(shown) == amount
    assert parse_amount(shown.replace(" ₫", "").replace(".", "")) == amount
    assert parse_amount(shown.replace(" ₫", "").replace(".", " ")) == amount
