"""The CCCD's QR code read into the registration form's fields, and every way a code can be wrong refused in words."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from households.cccd_qr import MAX_LENGTH, looks_like_cccd, parse_cccd

VALID = "079081000123|023456789|Nguyễn Văn An|15031981|Nam|12 Trần Hưng Đạo, Phường 1, Quận 5, TP. Hồ Chí Minh|20042021"


def refused(payload):
    with pytest.raises(ValidationError) as caught:
        parse_cccd(payload)
    (message,) = caught.value.messages
    return message


def test_a_valid_code_gives_every_field_of_the_card():
    card = parse_cccd(VALID)
    assert card.national_id == "079081000123"
    assert card.old_id == "023456789"
    assert card.full_name == "Nguyễn Văn An"
    assert card.birth_date == datetime.date(1981, 3, 15)
    assert card.sex == "male"
    assert card.address == "12 Trần Hưng Đạo, Phường 1, Quận 5, TP. Hồ Chí Minh"
    assert card.issued_on == datetime.date(2021, 4, 20)


def test_a_code_without_an_old_cmnd_and_a_woman_is_read():
    card = parse_cccd("001185000456||Trần Thị Bích|02011985|Nữ|Số 3 ngõ 5, Cổ Nhuế 1, Hà Nội|10102022")
    assert (card.national_id, card.old_id, card.sex) == ("001185000456", "", "female")


def test_the_raw_bytes_a_decoder_read_are_taken_as_utf8():
    assert parse_cccd(VALID.encode("utf-8")).full_name == "Nguyễn Văn An"


def test_the_form_fields_it_fills_are_the_registration_forms():
    assert parse_cccd(VALID).form_initial() == {
        "national_id": "079081000123",
        "head_name": "Nguyễn Văn An",
        "head_birth_date": datetime.date(1981, 3, 15),
        "head_sex": "male",
        "address": "12 Trần Hưng Đạo, Phường 1, Quận 5, TP. Hồ Chí Minh",
    }


def test_a_code_with_only_the_old_cmnd_registers_the_household_under_it():
    card = parse_cccd("|023456789|Lê Văn Cường|01011960|Nam|5 An Dương Vương|")
    assert (card.national_id, card.old_id, card.issued_on) == ("023456789", "023456789", None)


def test_an_old_cmnd_of_the_wrong_length_is_refused():
    assert refused("079081000123|12345|Nguyễn Văn An|15031981|Nam|12 Trần Hưng Đạo|20042021") == (
        "Số CMND cũ trong mã phải có 9 hoặc 12 chữ số."
    )


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("|||15031981|Nam|12 Trần Hưng Đạo|20042021", "Mã CCCD thiếu số CCCD."),
        ("079081000123||   |15031981|Nam|12 Trần Hưng Đạo|20042021", "Mã CCCD thiếu họ tên."),
        ("079081000123||Nguyễn Văn An||Nam|12 Trần Hưng Đạo|20042021", "Mã CCCD thiếu ngày sinh."),
        ("079081000123||Nguyễn Văn An|15031981|Nam||20042021", "Mã CCCD thiếu nơi thường trú."),
        ("079081000123||Nguyễn Văn An|15031981||12 Trần Hưng Đạo|20042021", "Giới tính trong mã CCCD phải là"),
        ("079081000123||12345|15031981|Nam|12 Trần Hưng Đạo|20042021", "Họ tên trong mã CCCD không có chữ."),
    ],
)
def test_a_missing_field_is_named(payload, message):
    assert refused(payload).startswith(message)


@pytest.mark.parametrize("count", [1, 5, 6, 8])
def test_a_code_with_the_wrong_number_of_fields_says_how_many_it_has(count):
    payload = "|".join(["079081000123"] + ["x"] * (count - 1))
    if count == 1:
        payload += "|"  # one separator: two fields
        count = 2
    assert refused(payload) == (
        "Mã CCCD phải có 7 mục ngăn bởi dấu “|” (số CCCD, số CMND cũ, họ tên, ngày sinh, giới tính, nơi thường trú, "
        f"ngày cấp); mã vừa quét có {count} mục."
    )


@pytest.mark.parametrize(
    "payload",
    [
        VALID.replace("|", ";"),
        VALID.replace("|", ","),
        VALID.replace("|", "\t"),
        "079081000123",
        "Q5-2021-T000001",
        "https://example.invalid/cccd",
    ],
)
def test_a_code_without_the_separator_is_not_a_cccd(payload):
    assert refused(payload) == "Mã vừa quét không phải mã QR của CCCD gắn chip."
    assert not looks_like_cccd(payload)


@pytest.mark.parametrize(
    ("number", "why"),
    [
        ("07908100012", "phải có đúng 12 chữ số."),
        ("07908100012A", "phải có đúng 12 chữ số."),
        ("999081000123", "999 không phải mã tỉnh"),
        ("079981000123", "Chữ số thứ 4 đến 6 của CCCD"),
    ],
)
def test_a_cccd_number_that_cannot_be_one_says_why(number, why):
    message = refused(VALID.replace("079081000123", number))
    assert message.startswith("Số CCCD trong mã không hợp lệ:") and why in message


@pytest.mark.parametrize("born", ["31021981", "1503198", "15-03-81", "00001981", "15131981"])
def test_a_date_of_birth_that_is_not_a_real_ddmmyyyy_date_is_refused(born):
    assert refused(VALID.replace("15031981", born)).startswith("Ngày sinh trong mã CCCD phải là ngày có thật")


def test_a_date_in_the_future_is_refused():
    assert refused(VALID.replace("20042021", "01012999")) == "Ngày cấp trong mã CCCD ở sau ngày hôm nay."


def test_bytes_that_are_not_utf8_are_refused_in_words():
    payload = "079081000123||Lê Hà|15031981|Nam|12 Hàm Nghi|20042021".encode("latin-1")
    assert refused(payload) == (
        "Mã vừa quét có ký tự không đọc được (không phải chữ mã hóa UTF-8): không phải mã QR của CCCD hay nhãn túi."
    )
    assert refused(b"\xff\xfe\x00|\x80|").startswith("Mã vừa quét có ký tự không đọc được")


def test_text_a_decoder_could_not_read_is_refused():
    assert refused(VALID.replace("ễ", "\ufffd")).startswith("Mã vừa quét có ký tự không đọc được")


@pytest.mark.parametrize("payload", ["x|" * MAX_LENGTH, ("x|" * MAX_LENGTH).encode(), b"|" * 10_000_000])
def test_an_oversize_payload_is_refused_before_it_is_split(payload):
    assert refused(payload) == f"Mã vừa quét dài hơn {MAX_LENGTH} ký tự: không phải mã QR của CCCD hay nhãn túi."


def test_an_empty_code_is_not_a_cccd():
    assert refused("") == "Mã vừa quét không phải mã QR của CCCD gắn chip."
    assert refused(b"   ") == "Mã vừa quét không phải mã QR của CCCD gắn chip."


def test_spaces_and_a_byte_order_mark_around_the_fields_are_dropped():
    card = parse_cccd("\ufeff 079081000123 | |  Nguyễn   Văn An |15031981| nam |12 Trần Hưng Đạo|20042021\n")
    assert (card.national_id, card.full_name, card.sex) == ("079081000123", "Nguyễn Văn An", "male")
