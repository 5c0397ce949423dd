"""QR codes read on the server from a phone's photo: the photos a queue produces, and uploads that must be refused
before a pixel is decoded."""

import time
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile, SimpleUploadedFile
from django.test import RequestFactory

from relief.qr_photo import BoundedMemoryUploadHandler, read_codes, read_one_code
from tests.scan_images import cases, code_image, encoded, photo

SERIAL = "Q5-2021-T000123"
CCCD = "079081000123|023456789|Nguyễn Văn An|15031981|Nam|12 Trần Hưng Đạo, Phường 1, Quận 5, TP. Hồ Chí Minh|20042021"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def upload(data, name="photo.jpg"):
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def refusal(data):
    with pytest.raises(ValidationError) as caught:
        read_one_code(upload(data))
    (message,) = caught.value.messages
    return message


@pytest.mark.parametrize("kind", ["JPEG", "PNG", "WEBP"])
@pytest.mark.parametrize("case", [name for name in cases("x", "y") if name != "two codes"])
@pytest.mark.parametrize("text", [SERIAL, CCCD], ids=["bag label", "cccd"])
def test_a_code_is_read_from_each_kind_of_photo(case, text, kind):
    image = cases(text, "other")[case]
    assert read_one_code(upload(encoded(image, kind))).decode("utf-8") == text


def test_two_codes_in_one_frame_are_both_read_and_one_is_not_chosen_for_the_officer():
    data = encoded(cases(SERIAL, "Q5-2021-T000124")["two codes"])
    assert sorted(read_codes(upload(data))) == [b"Q5-2021-T000123", b"Q5-2021-T000124"]
    assert refusal(data) == "Ảnh có 2 mã QR khác nhau. Hãy chụp lại chỉ một mã."


def test_the_same_code_seen_twice_is_one_code():
    code = code_image(SERIAL)
    assert read_one_code(upload(encoded(photo((code, (100, 300)), (code, (900, 300)))))) == SERIAL.encode()


def test_the_share_decoded_and_the_time_per_photo_are_recorded():
    """Every kind of photo, both payloads, as JPEG: all are read, and what each took is written to
    test-artifacts/scan-decoding.txt for docs/PERFORMANCE.md."""
    lines, decoded, total = [], 0, 0
    for text in (SERIAL, CCCD):
        for name, image in cases(text, "Q5-2021-T000999").items():
            data = encoded(image)
            started = time.perf_counter()
            codes = read_codes(upload(data))
            took = (time.perf_counter() - started) * 1000
            expected = 2 if name == "two codes" else 1
            ok = len(codes) == expected and text.encode() in codes
            decoded, total = decoded + ok, total + 1
            lines.append(f"{name:24} {image.size[0]}x{image.size[1]} {len(data) // 1024:5} KB {took:6.0f} ms {ok}")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "scan-decoding.txt").write_text("\n".join([*lines, f"decoded {decoded}/{total}"]) + "\n")
    assert decoded == total, lines


def test_a_photo_without_a_code_says_how_to_take_it_again():
    assert refusal(encoded(photo())).startswith("Không tìm thấy mã QR trong ảnh. Hãy chụp lại gần hơn")


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not an image at all",
        b"PK\x03\x04" + b"\x00" * 100,
        b"GIF89a" + b"\x00" * 100,
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
    ],
    ids=["empty", "text", "zip", "gif", "svg"],
)
def test_a_file_that_is_not_a_photo_is_refused_in_words(data):
    assert refusal(data) == "Tệp gửi lên không phải ảnh JPEG, PNG hoặc WebP đọc được. Hãy chụp lại."


def test_a_truncated_photo_is_refused_in_words():
    data = encoded(cases(SERIAL, "x")["straight"])
    assert refusal(data[: len(data) // 3]) == "Tệp gửi lên không phải ảnh JPEG, PNG hoặc WebP đọc được. Hãy chụp lại."


def test_a_photo_of_too_many_pixels_is_refused_before_it_is_decoded(settings):
    settings.ANSINH_SCAN_MAX_PHOTO_PIXELS = 1_000_000
    assert refusal(encoded(photo(size=(1600, 1200)))) == (
        "Ảnh có quá nhiều điểm ảnh (tối đa 1 triệu). Hãy chụp lại ở độ phân giải thấp hơn."
    )


def test_a_photo_of_too_many_bytes_is_refused(settings):
    settings.ANSINH_SCAN_MAX_PHOTO_BYTES = 1024 * 1024
    assert refusal(b"\xff\xd8" + b"\x00" * (2 * 1024 * 1024)) == (
        "Ảnh quá lớn (tối đa 1 MB). Hãy chụp lại ở độ phân giải thấp hơn."
    )


def test_an_upload_stays_in_memory_and_past_the_limit_keeps_no_bytes(settings):
    settings.ANSINH_SCAN_MAX_PHOTO_BYTES = 1000
    handler = BoundedMemoryUploadHandler(RequestFactory().post("/"))
    handler.new_file("photo", "big.jpg", "image/jpeg", None)
    for start in range(0, 3000, 500):
        assert handler.receive_data_chunk(b"x" * 500, start) is None  # nothing passes to another handler
    big = handler.file_complete(3000)
    assert isinstance(big, InMemoryUploadedFile) and big.too_big and big.size == 3000 and big.read() == b""
    handler.new_file("photo", "small.jpg", "image/jpeg", None)
    handler.receive_data_chunk(b"y" * 400, 0)
    small = handler.file_complete(400)
    assert not small.too_big and small.read() == b"y" * 400
