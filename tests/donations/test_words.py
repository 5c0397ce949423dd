"""Amounts in Vietnamese words, checked against known cases and, for any amount, by reading the words back."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from donations.words import amount_in_words, number_in_words

KNOWN = [
    (1_000, "Một nghìn đồng"),
    (1_001, "Một nghìn không trăm linh một đồng"),
    (1_005, "Một nghìn không trăm linh năm đồng"),
    (1_010, "Một nghìn không trăm mười đồng"),
    (1_015, "Một nghìn không trăm mười lăm đồng"),
    (1_021, "Một nghìn không trăm hai mươi mốt đồng"),
    (2_500, "Hai nghìn năm trăm đồng"),
    (10_000, "Mười nghìn đồng"),
    (11_000, "Mười một nghìn đồng"),
    (14_000, "Mười bốn nghìn đồng"),
    (15_000, "Mười lăm nghìn đồng"),
    (21_000, "Hai mươi mốt nghìn đồng"),
    (24_000, "Hai mươi tư nghìn đồng"),
    (25_000, "Hai mươi lăm nghìn đồng"),
    (50_000, "Năm mươi nghìn đồng"),
    (105_000, "Một trăm linh năm nghìn đồng"),
    (110_000, "Một trăm mười nghìn đồng"),
    (200_000, "Hai trăm nghìn đồng"),
    (500_000, "Năm trăm nghìn đồng"),
    (999_999, "Chín trăm chín mươi chín nghìn chín trăm chín mươi chín đồng"),
    (1_000_000, "Một triệu đồng"),
    (1_000_500, "Một triệu năm trăm đồng"),
    (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
    (1_050_000, "Một triệu không trăm năm mươi nghìn đồng"),
    (1_500_000, "Một triệu năm trăm nghìn đồng"),
    (49_000_000, "Bốn mươi chín triệu đồng"),
    (51_000_000, "Năm mươi mốt triệu đồng"),
    (300_000_000, "Ba trăm triệu đồng"),
    (400_000_000, "Bốn trăm triệu đồng"),
    (1_000_000_000, "Một tỷ đồng"),
    (1_000_000_005, "Một tỷ không trăm linh năm đồng"),
    (1_200_000_000, "Một tỷ hai trăm triệu đồng"),
    (16_000_000_000, "Mười sáu tỷ đồng"),
    (35_041_000_000, "Ba mươi lăm tỷ không trăm bốn mươi mốt triệu đồng"),
    (
        999_999_999_999,
        "Chín trăm chín mươi chín tỷ chín trăm chín mươi chín triệu "
        "chín trăm chín mươi chín nghìn chín trăm chín mươi chín đồng",
    ),
]


@pytest.mark.parametrize(("amount", "words"), KNOWN)
def test_known_amounts_read_as_an_official_receipt_writes_them(amount, words):
    assert amount_in_words(amount) == words


def test_the_southern_reading_says_le_instead_of_linh():
    assert amount_in_words(105_000, odd="lẻ") == "Một trăm lẻ năm nghìn đồng"


def test_a_thousand_billion_repeats_the_group_names():
    assert number_in_words(1_000_000_000_000) == "một nghìn tỷ"


def test_zero_and_negative_amounts_are_read_too():
    assert amount_in_words(0) == "Không đồng"
    assert amount_in_words(-49_000_000) == "Âm bốn mươi chín triệu đồng"


UNITS = {w: d for d, w in enumerate(["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"])}
UNITS.update({"mốt": 1, "tư": 4, "lăm": 5})


def read_back(words):
    """An independent reader of Vietnamese number words: the inverse the property test checks against."""
    total, group, current = 0, 0, 0
    for word in words.split():
        if word in UNITS:
            current = UNITS[word]
        elif word == "trăm":
            group += current * 100
            current = 0
        elif word == "mươi":
            group += current * 10
            current = 0
        elif word == "mười":
            group += 10
        elif word == "linh":
            pass
        elif word == "nghìn":
            group = (group + current) * 1000
            current = 0
            total += group
            group = 0
        elif word == "triệu":
            total += (group + current) * 1_000_000
            group, current = 0, 0
        elif word == "tỷ":
            total = (total + group + current) * 1_000_000_000
            group, current = 0, 0
        else:
            raise AssertionError(f"unexpected word {word!r}")
    return total + group + current


AMOUNTS = st.integers(min_value=1_000, max_value=999_999_999_999)


@given(AMOUNTS)
def test_any_amount_reads_back_to_itself(amount):
    text = amount_in_words(amount)
    assert text.endswith(" đồng")
    assert text[0].isupper()
    assert read_back(text.removesuffix(" đồng").lower()) == amount


@given(AMOUNTS)
def test_the_spelling_rules_hold_for_any_amount(amount):
    words = number_in_words(amount).split()
    for first, second in itertools.pairwise(words):
        assert (first, second) not in {("mươi", "một"), ("mươi", "năm"), ("mười", "năm"), ("mười", "mốt")}
        assert (first, second) not in {("mười", "tư"), ("linh", "lăm"), ("linh", "mốt"), ("linh", "tư")}
        assert (first, second) != ("một", "mươi"), "ten is mười, not một mươi"
        if first == "linh":
            assert second in UNITS and second != "không"
    assert "  " not in number_in_words(amount)
    assert words[0] != "không", "a leading group never says không trăm"


@given(AMOUNTS)
def test_every_non_zero_group_below_the_top_reads_its_hundreds(amount):
    groups = [amount // 1000**p % 1000 for p in range(4)]
    top = max(p for p, g in enumerate(groups) if g)
    inner_without_hundreds = sum(1 for p in range(top) if 0 < groups[p] < 100)
    assert number_in_words(amount).count("không trăm") == inner_without_hundreds
