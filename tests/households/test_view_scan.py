"""Scanning at the hand-out and at registration: a bag's label hands out that bag through the one hand-out path, a
CCCD finds its household in the officer's ward only, and a CCCD fills the registration form, all from a photo or
from the text the phone read itself. Nothing scanned is logged or kept."""

import datetime
import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from households.models import Household, PersonalDataView
from relief.models import Bag, Distribution
from relief.services import bag_void
from tests.conftest import make_household
from tests.households.conftest import hand_out_data
from tests.scan_images import cases, encoded, photo

pytestmark = pytest.mark.django_db

SCAN = reverse("ward:scan")
CREATE = reverse("ward:household_create")
CCCD_A = "079081000123|023456789|Nguyễn Văn An|15031981|Nam|12 Trần Hưng Đạo, Phường 1, Quận 5|20042021"
CCCD_B = "079185000456||Trần Thị Bích|02011985|Nữ|40 Nguyễn Trãi, Phường 2, Quận 5|10102022"
CCCD_NEW = "079186000789||Phạm Thị Dung|09091986|Nữ|5 An Dương Vương, Phường 1, Quận 5|01022023"


def photo_of(text, case="rotated"):
    return SimpleUploadedFile("IMG_0001.jpg", encoded(cases(text, "x")[case]), content_type="image/jpeg")


def hand_out_url(household):
    return reverse("ward:hand_out", args=[household.pk])


def bag(ward, n=0):
    return Bag.objects.filter(ward=ward, state=Bag.State.ALLOCATED).order_by("number")[n]


# The hand-out: a photo of a bag's label, or the text the phone read, hands out that bag.


def test_a_photo_of_a_bag_label_hands_out_that_bag_not_the_next_in_stock(
    officer_a_client, stocked, household_a, ward_a
):
    third = bag(ward_a, 2)
    data = hand_out_data(stocked, photo=photo_of(third.serial))
    response = officer_a_client.post(hand_out_url(household_a), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and f"Đã trao túi <strong>{third.serial}</strong>" in response.text
    assert Distribution.objects.get().bag == third
    assert Bag.objects.get(pk=third.pk).state == Bag.State.HANDED_OUT


def test_the_text_the_phone_read_from_a_label_hands_out_that_bag(officer_a_client, stocked, household_a, ward_a):
    second = bag(ward_a, 1)
    officer_a_client.post(hand_out_url(household_a), hand_out_data(stocked, serial=second.serial))
    assert Distribution.objects.get().bag == second


def test_without_javascript_a_photo_posted_with_the_form_hands_out_that_bag(
    officer_a_client, stocked, household_a, ward_a
):
    fourth = bag(ward_a, 3)
    response = officer_a_client.post(hand_out_url(household_a), hand_out_data(stocked, photo=photo_of(fourth.serial)))
    assert response.status_code == 302
    assert Distribution.objects.get().bag == fourth


@pytest.mark.parametrize(
    ("state", "why"),
    [
        ("other ward", "đây là túi của đơn vị khác"),
        ("handed out", "túi đã được trao rồi, mỗi túi chỉ trao một lần"),
        ("void", "túi đã bị hủy (mất, hỏng), không trao được"),
        ("at the district", "túi còn ở kho của Quận 5, chưa phân bổ"),
    ],
)
def test_a_scanned_bag_not_in_the_wards_stock_is_refused_saying_why(
    officer_a_client, officer_a, staff, stocked, household_a, ward_a, ward_b, state, why
):
    if state == "other ward":
        wrong = bag(ward_b)
    elif state == "handed_out" or state == "handed out":
        wrong = bag(ward_a)
        other = make_household(ward_a, "Lê Văn Cường", national_id="079070000111")
        officer_a_client.post(hand_out_url(other), hand_out_data(stocked, serial=wrong.serial))
    elif state == "void":
        wrong = bag(ward_a)
        bag_void(bag=wrong, voided_by=staff, reason="Bao rách")
    else:
        wrong = Bag.objects.filter(state=Bag.State.AT_DISTRICT).first()
    before = Distribution.objects.count()
    data = hand_out_data(stocked, photo=photo_of(wrong.serial, "skewed"))
    response = officer_a_client.post(hand_out_url(household_a), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f"Túi {wrong.serial} không nằm trong kho của Phường 1: {why}." in response.text
    assert Distribution.objects.count() == before
    assert not Distribution.objects.filter(household=household_a).exists()


def test_a_photo_that_cannot_be_read_hands_out_nothing_not_even_the_next_bag(officer_a_client, stocked, household_a):
    data = hand_out_data(stocked, photo=SimpleUploadedFile("IMG.jpg", encoded(photo()), content_type="image/jpeg"))
    response = officer_a_client.post(hand_out_url(household_a), data, HTTP_HX_REQUEST="true")
    assert "Không tìm thấy mã QR trong ảnh" in response.text
    assert not Distribution.objects.exists()


@pytest.mark.parametrize("how", ["photo", "text"])
def test_a_cccd_scanned_as_a_bag_label_is_refused(officer_a_client, stocked, household_a, how):
    scanned = {"photo": photo_of(CCCD_A)} if how == "photo" else {"serial": CCCD_A}
    response = officer_a_client.post(
        hand_out_url(household_a), hand_out_data(stocked, **scanned), HTTP_HX_REQUEST="true"
    )
    assert "Đây là mã QR của CCCD, không phải nhãn túi." in response.text
    assert not Distribution.objects.exists()


def test_a_scanned_hand_out_of_another_wards_household_is_not_found(officer_b_client, stocked, household_a, ward_a):
    response = officer_b_client.post(
        hand_out_url(household_a), hand_out_data(stocked, photo=photo_of(bag(ward_a).serial))
    )
    assert response.status_code == 404
    assert not Distribution.objects.exists()


# The queue's scanner: a CCCD finds its household, in the officer's ward only.


@pytest.mark.parametrize("how", ["photo", "text"])
def test_a_scanned_cccd_finds_the_household_in_the_officers_ward_masked(officer_a_client, stocked, household_a, how):
    scanned = {"photo": photo_of(CCCD_A, "blurred")} if how == "photo" else {"code": CCCD_A}
    response = officer_a_client.post(SCAN, scanned, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'id="hh-{household_a.pk}"' in response.text and "Nguyễn Văn An" in response.text
    assert "Trao túi</button>" in response.text
    assert "079081000123" not in response.text and "•••••••••123" in response.text  # masked as in a search
    assert not PersonalDataView.objects.exists()


def test_a_cccd_of_another_wards_household_says_only_that_it_is_registered_elsewhere(
    officer_a_client, stocked, household_b
):
    response = officer_a_client.post(SCAN, {"code": CCCD_B}, HTTP_HX_REQUEST="true")
    assert "Số CCCD này đã đăng ký ở nơi khác." in response.text
    assert "Trần Thị Bích" not in response.text and "Phường 2" not in response.text and "hh-" not in response.text


def test_a_cccd_nobody_registered_says_so_and_offers_to_add_the_household(officer_a_client, stocked):
    response = officer_a_client.post(SCAN, {"code": CCCD_NEW}, HTTP_HX_REQUEST="true")
    assert "Chưa có hộ nào đăng ký với số CCCD vừa quét." in response.text


def test_a_bag_label_scanned_before_a_person_asks_for_the_person_first(officer_a_client, stocked, ward_a):
    response = officer_a_client.post(SCAN, {"photo": photo_of(bag(ward_a).serial)}, HTTP_HX_REQUEST="true")
    assert "Đây là nhãn túi. Hãy tìm người nhận trước" in response.text
    assert not Distribution.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Chưa có mã nào: hãy quét mã QR, hoặc chụp ảnh mã rồi gửi."),
        ({"code": "079081000123;;Nguyễn Văn An"}, "Đây là nhãn túi."),
        ({"code": "079081000123||Nguyễn Văn An|15031981|Nam"}, "Mã CCCD phải có 7 mục"),
        ({"code": "|" * 5000}, "Mã vừa quét dài hơn 600 ký tự"),
        ({"photo": b"\x00" * 50}, "không phải ảnh JPEG"),
        ({"photo": b""}, "Tệp ảnh rỗng. Hãy chụp lại."),
    ],
)
def test_a_bad_scan_is_answered_in_words_without_a_500(officer_a_client, stocked, data, message):
    for htmx in ({"HTTP_HX_REQUEST": "true"}, {}):
        posted = dict(data)
        if "photo" in data:  # a file is read once: a new one for each request
            posted["photo"] = SimpleUploadedFile("a.jpg", data["photo"], content_type="image/jpeg")
        response = officer_a_client.post(SCAN, posted, **htmx)
        assert response.status_code == 200 and message in response.text


def test_the_queue_page_without_javascript_shows_the_scan_result_in_full(officer_a_client, stocked, household_a):
    response = officer_a_client.post(SCAN, {"photo": photo_of(CCCD_A)})
    assert response.status_code == 200 and "<h1>Phát nhanh</h1>" in response.text
    assert f'id="hh-{household_a.pk}"' in response.text


def test_a_photo_larger_than_the_limit_is_refused_in_words(officer_a_client, stocked, settings):
    settings.ANSINH_SCAN_MAX_PHOTO_BYTES = 1024 * 1024
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"\x00" * (3 * 1024 * 1024), content_type="image/jpeg")
    response = officer_a_client.post(SCAN, {"photo": big}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Ảnh quá lớn (tối đa 1 MB)" in response.text


def test_a_photo_past_the_memory_threshold_is_never_written_to_a_temporary_file(
    officer_a_client, stocked, household_a, settings, monkeypatch
):
    from django.core.files import uploadedfile

    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # Django's own handlers would spill anything larger to disk
    monkeypatch.setattr(uploadedfile.TemporaryUploadedFile, "__init__", lambda *a, **k: pytest.fail("a temporary file"))
    response = officer_a_client.post(SCAN, {"photo": photo_of(CCCD_A)}, HTTP_HX_REQUEST="true")
    assert f'id="hh-{household_a.pk}"' in response.text


def test_the_scanner_still_checks_the_csrf_token(officer_a, stocked):
    from django.test import Client

    from tests.conftest import sign_in

    client = Client(enforce_csrf_checks=True)
    sign_in(client, officer_a)
    assert client.post(SCAN, {"code": CCCD_A}).status_code == 403


# Registration: the CCCD fills the form, the officer corrects, the usual checks apply.


@pytest.mark.parametrize("how", ["photo", "text"])
def test_a_scanned_cccd_fills_the_registration_form_and_saves_nothing(officer_a_client, stocked, how):
    scanned = {"photo": photo_of(CCCD_NEW, "low contrast")} if how == "photo" else {"code": CCCD_NEW}
    response = officer_a_client.post(CREATE, {"phone": "0903111222", "members": "4", **scanned})
    form = response.context["form"]
    assert response.status_code == 200 and not form.is_bound
    assert form.initial["national_id"] == "079186000789"
    assert form.initial["head_name"] == "Phạm Thị Dung"
    assert form.initial["head_birth_date"] == datetime.date(1986, 9, 9)
    assert form.initial["head_sex"] == "female"
    assert form.initial["address"] == "5 An Dương Vương, Phường 1, Quận 5"
    assert (form.initial["phone"], form.initial["members"]) == ("0903111222", "4")  # what was typed stays
    assert 'value="09/09/1986"' in response.text and '<option value="female" selected>' in response.text
    assert "Đã điền số CCCD, họ tên, ngày sinh, giới tính và địa chỉ từ mã." in response.text
    assert not Household.objects.exists()


def test_the_officer_corrects_a_scanned_field_and_saves(officer_a_client, officer_a, stocked):
    officer_a_client.post(CREATE, {"code": CCCD_NEW})
    data = {
        "head_name": "Phạm Thị Dung",
        "national_id": "079186000789",
        "head_birth_date": "09/09/1986",
        "head_sex": "female",
        "address": "5 An Dương Vương, tổ 3",  # corrected: where she lives now
        "members": "2",
        "residence": "permanent",
    }
    response = officer_a_client.post(CREATE, data)
    household = Household.objects.get()
    assert response.status_code == 302
    assert (household.head_birth_date, household.head_sex, household.address) == (
        datetime.date(1986, 9, 9),
        "female",
        "5 An Dương Vương, tổ 3",
    )
    assert household.history.get().head_birth_date == datetime.date(1986, 9, 9)


def test_a_scanned_cccd_already_registered_warns_as_typing_it_would(
    officer_a_client, stocked, household_a, household_b
):
    mine = officer_a_client.post(CREATE, {"code": CCCD_A})
    assert "Có thể trùng với hộ đã có" in mine.text and "Trùng số CCCD với hộ ở Phường 1" in mine.text
    elsewhere = officer_a_client.post(CREATE, {"code": CCCD_B})
    assert "Số CCCD này đã được đăng ký ở phường khác" in elsewhere.text
    assert (
        f"/phuong/ho/{household_b.pk}/" not in elsewhere.text
        and "Trùng số CCCD với hộ ở Phường 2" not in elsewhere.text
    )
    saved = officer_a_client.post(
        CREATE,
        {
            "head_name": "Trần Thị Bích",
            "national_id": "079185000456",
            "address": "40 Nguyễn Trãi",
            "members": "1",
            "residence": "permanent",
        },
    )
    assert saved.status_code == 200 and Household.objects.count() == 2  # the usual check holds the save back


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"scan": "1"}, "Chưa có mã nào"),
        ({"code": "Q5-2021-T000001"}, "Mã vừa quét không phải mã QR của CCCD gắn chip."),
        ({"code": CCCD_NEW.replace("09091986", "31021986")}, "Ngày sinh trong mã CCCD phải là ngày có thật"),
        ({"photo": SimpleUploadedFile("a.jpg", encoded(photo()), content_type="image/jpeg")}, "Không tìm thấy mã QR"),
    ],
)
def test_a_bad_cccd_scan_at_registration_says_why_and_keeps_what_was_typed(officer_a_client, stocked, data, message):
    response = officer_a_client.post(CREATE, {"head_name": "Phạm Thị Dung", **data})
    assert response.status_code == 200 and message in response.text
    assert response.context["form"].initial["head_name"] == "Phạm Thị Dung"
    assert not Household.objects.exists()


def test_nothing_scanned_reaches_the_logs(officer_a_client, stocked, household_a, ward_a, caplog):
    caplog.set_level(logging.DEBUG)
    officer_a_client.post(SCAN, {"code": CCCD_A}, HTTP_HX_REQUEST="true")
    officer_a_client.post(SCAN, {"code": CCCD_B + "|extra"}, HTTP_HX_REQUEST="true")
    officer_a_client.post(CREATE, {"photo": photo_of(CCCD_NEW)})
    officer_a_client.post(hand_out_url(household_a), hand_out_data(stocked, photo=photo_of(CCCD_A)))
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for secret in ("Nguyễn Văn An", "Trần Thị Bích", "Phạm Thị Dung", "079081000123", "079185000456", "15031981"):
        assert secret not in logged


def test_the_scanner_and_the_photo_inputs_are_on_the_hand_out_and_registration_pages(
    officer_a_client, stocked, household_a
):
    queue = officer_a_client.get(reverse("ward:queue"), {"q": "nguyen"}).text
    assert 'action="/phuong/phat-nhanh/quet/"' in queue and 'capture="environment"' in queue
    assert "Quét CCCD</button>" in queue and "Quét nhãn túi</button>" in queue
    assert 'enctype="multipart/form-data"' in queue and "js/scan.js" in queue
    form = officer_a_client.get(CREATE).text
    assert 'name="photo"' in form and 'capture="environment"' in form and "Quét CCCD</button>" in form
    assert 'enctype="multipart/form-data"' in form
    # Correcting a household is not a scan: its page has no scanner.
    edit = officer_a_client.get(reverse("ward:household_edit", args=[household_a.pk])).text
    assert 'name="photo"' not in edit
