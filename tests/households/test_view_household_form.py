import datetime

import pytest
from django.urls import reverse

from households.models import Category, Household, PersonalDataView
from tests.conftest import make_household

pytestmark = pytest.mark.django_db
CREATE = reverse("ward:household_create")


def edit_url(household):
    return reverse("ward:household_edit", args=[household.pk])


def typed(**extra):
    data = {
        "head_name": "Phạm Thị Dung",
        "national_id": "079 185 000 789",
        "phone": "+84 903 111 222",
        "address": "5 Nguyễn Trãi",
        "members": "3",
        "residence": "permanent",
        "notes": "",
    }
    data.update(extra)
    return data


def test_officer_adds_a_household_to_their_ward_as_proposed(officer_a_client, officer_a, ward_a):
    poor = Category.objects.get(code="ho-ngheo")
    response = officer_a_client.post(CREATE, typed(categories=[poor.pk]))
    household = Household.objects.get()
    assert response.status_code == 302 and response.url == reverse("ward:household", args=[household.pk])
    assert (household.ward, household.status, household.created_by) == (ward_a, "proposed", officer_a)
    assert (household.national_id, household.phone) == ("079185000789", "0903111222")
    assert list(household.categories.all()) == [poor]
    assert {row.history_user for row in household.history.all()} == {officer_a}


def test_the_add_form_renders_for_the_officer(officer_a_client):
    response = officer_a_client.get(CREATE)
    assert response.status_code == 200 and "Họ và tên chủ hộ" in response.text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("national_id", "12345", "Số CCCD phải có 12 chữ số (hoặc CMND cũ 9 chữ số)."),
        ("national_id", "999185000789", "không phải mã tỉnh"),
        ("phone", "091234", "Số điện thoại phải có 10 chữ số"),
        ("phone", "1912345678", "Số điện thoại phải có 10 chữ số"),
        ("members", "0", "Hộ phải có ít nhất 1 nhân khẩu."),
        ("members", "ba", "Số nhân khẩu phải là một số nguyên."),
        ("head_name", "  ", "Hãy nhập họ và tên chủ hộ."),
        ("head_name", "123", "Họ và tên chủ hộ phải có chữ."),
        ("address", "", "Hãy nhập địa chỉ."),
        ("residence", "mars", "Hãy chọn tình trạng cư trú trong danh sách."),
        ("categories", ["999"], "Diện hỗ trợ không hợp lệ."),
        ("head_birth_date", "08/22/1961", "Ngày sinh phải là một ngày có thật, dạng ngày/tháng/năm"),
    ],
)
def test_bad_input_is_refused_in_vietnamese_and_nothing_is_saved(officer_a_client, field, value, message):
    response = officer_a_client.post(CREATE, typed(**{field: value}))
    assert response.status_code == 200
    assert message in response.text
    assert not Household.objects.exists()


def test_the_birth_date_is_typed_and_shown_as_day_month_year_not_in_the_browser_s_picker(officer_a_client):
    box = officer_a_client.get(CREATE).text
    assert 'name="head_birth_date"' in box and 'placeholder="dd/mm/yyyy"' in box and 'type="date"' not in box
    officer_a_client.post(CREATE, typed(head_birth_date="22/08/1961"))
    household = Household.objects.get()
    assert household.head_birth_date == datetime.date(1961, 8, 22)
    assert 'value="22/08/1961"' in officer_a_client.get(edit_url(household)).text


def test_an_old_nine_digit_id_is_accepted(officer_a_client):
    officer_a_client.post(CREATE, typed(national_id="023456789"))
    assert Household.objects.get().national_id == "023456789"


def test_the_same_national_id_in_another_ward_is_not_saved_with_the_not_a_duplicate_tick(officer_a_client, household_b):
    data = typed(national_id=household_b.national_id, phone="")
    response = officer_a_client.post(CREATE, data)
    assert response.status_code == 200
    assert "Có thể trùng" in response.text and "Số CCCD này đã được đăng ký ở phường khác" in response.text
    assert household_b.head_name not in response.text and "Phường 2" not in response.text
    assert 'name="confirm_duplicates"' not in response.text  # no tick is offered for a shared national ID
    response = officer_a_client.post(CREATE, {**data, "confirm_duplicates": "on"})
    assert response.status_code == 200
    assert "Một số CCCD chỉ thuộc về một người" in response.text and "báo quận" in response.text
    assert Household.objects.count() == 1


def test_the_same_national_id_in_the_ward_is_saved_once_the_number_is_corrected(officer_a_client, household_a):
    data = typed(national_id=household_a.national_id, phone="")
    response = officer_a_client.post(CREATE, {**data, "confirm_duplicates": "on"})
    assert response.status_code == 200 and "Trùng số CCCD" in response.text
    assert Household.objects.count() == 1
    assert officer_a_client.post(CREATE, typed(phone="")).status_code == 302
    assert Household.objects.count() == 2


def test_the_same_national_id_is_saved_once_the_district_has_rejected_the_other_household(
    officer_a_client, household_b
):
    data = {**typed(national_id=household_b.national_id, phone=""), "confirm_duplicates": "on"}
    assert officer_a_client.post(CREATE, data).status_code == 200
    Household.objects.filter(pk=household_b.pk).update(status=Household.Status.REJECTED)
    assert officer_a_client.post(CREATE, data).status_code == 302
    assert Household.objects.filter(national_id=household_b.national_id).count() == 2


def test_an_officer_can_confirm_past_a_similar_name_at_a_similar_address(officer_a_client, household_a):
    data = typed(head_name="nguyen van an", address="12 Tran Hung Dao", phone="", national_id="")
    response = officer_a_client.post(CREATE, data)
    assert "Tên và địa chỉ gần giống" in response.text and 'name="confirm_duplicates"' in response.text
    assert officer_a_client.post(CREATE, {**data, "confirm_duplicates": "on"}).status_code == 302
    assert Household.objects.count() == 2


def test_an_officer_can_confirm_past_a_phone_shared_with_another_household(officer_a_client, household_a):
    data = typed(phone=household_a.phone)
    assert "Trùng số điện thoại" in officer_a_client.post(CREATE, data).text
    assert officer_a_client.post(CREATE, {**data, "confirm_duplicates": "on"}).status_code == 302
    assert Household.objects.count() == 2


def test_a_similar_name_at_a_similar_address_in_the_ward_is_flagged(officer_a_client, household_a):
    response = officer_a_client.post(
        CREATE, typed(head_name="nguyen van an", address="12 Tran Hung Dao", phone="", national_id="")
    )
    assert "Tên và địa chỉ gần giống" in response.text
    assert Household.objects.count() == 1


def test_officer_corrects_a_household_of_their_ward(officer_a_client, officer_a, household_a):
    response = officer_a_client.post(
        edit_url(household_a), typed(head_name=household_a.head_name, national_id=household_a.national_id)
    )
    assert response.status_code == 302
    household_a.refresh_from_db()
    assert (household_a.address, household_a.members, household_a.status) == ("5 Nguyễn Trãi", 3, "approved")
    assert household_a.history.first().history_user == officer_a


def test_a_new_name_sends_an_approved_household_back_for_approval(officer_a_client, household_a):
    response = officer_a_client.post(
        edit_url(household_a), typed(head_name="Nguyễn Văn Bình", national_id=household_a.national_id), follow=True
    )
    household_a.refresh_from_db()
    assert household_a.status == "proposed"
    assert "trở lại trạng thái “Đề xuất”" in response.text


def test_the_edit_form_shows_the_current_values_and_records_that_the_officer_saw_the_numbers(
    officer_a_client, officer_a, household_a
):
    response = officer_a_client.get(edit_url(household_a))
    assert response.status_code == 200 and household_a.national_id in response.text
    views = PersonalDataView.objects.filter(household=household_a, viewer=officer_a)
    assert sorted(views.values_list("field", flat=True)) == ["national_id", "phone"]


def test_a_household_without_numbers_leaves_no_record_when_edited(officer_a_client, ward_a):
    household = make_household(ward_a, "Lò Văn Páo")
    assert officer_a_client.get(edit_url(household)).status_code == 200
    assert not PersonalDataView.objects.exists()


def test_a_bad_edit_changes_nothing(officer_a_client, household_a):
    response = officer_a_client.post(edit_url(household_a), typed(phone="12"))
    assert response.status_code == 200
    household_a.refresh_from_db()
    assert household_a.phone == "0912345678"


def test_officer_cannot_open_the_edit_form_of_another_ward(officer_b_client, household_a):
    assert officer_b_client.get(edit_url(household_a)).status_code == 404


def test_officer_cannot_edit_a_household_of_another_ward(officer_b_client, household_a):
    assert officer_b_client.post(edit_url(household_a), typed()).status_code == 404
    household_a.refresh_from_db()
    assert household_a.head_name == "Nguyễn Văn An"


@pytest.mark.parametrize("persona", ["staff_client", "leader_client"])
def test_other_roles_are_refused_the_household_forms(request, persona, household_a):
    client = request.getfixturevalue(persona)
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, typed()).status_code == 403
    assert client.get(edit_url(household_a)).status_code == 403


def test_anonymous_is_sent_to_log_in(client, household_a):
    assert client.get(CREATE).status_code == 302
    assert client.post(edit_url(household_a), typed()).status_code == 302
    assert Household.objects.count() == 1


def test_the_household_forms_refuse_other_methods(officer_a_client, household_a):
    assert officer_a_client.put(CREATE).status_code == 405
    assert officer_a_client.delete(edit_url(household_a)).status_code == 405


def test_an_officer_cannot_approve_a_household_by_posting_a_status(officer_a_client):
    officer_a_client.post(CREATE, typed(status="approved"))
    assert Household.objects.get().status == "proposed"


def test_an_officer_cannot_move_a_household_to_another_ward_by_posting_it(
    officer_a_client, household_a, ward_a, ward_b
):
    response = officer_a_client.post(
        edit_url(household_a),
        typed(head_name=household_a.head_name, national_id=household_a.national_id, ward=ward_b.pk),
    )
    assert response.status_code == 302
    household_a.refresh_from_db()
    assert (household_a.ward, household_a.address) == (ward_a, "5 Nguyễn Trãi")


def test_an_empty_post_is_refused_with_the_missing_fields_named(officer_a_client):
    response = officer_a_client.post(CREATE, {})
    assert "Hãy nhập họ và tên chủ hộ." in response.text and "Hãy nhập địa chỉ." in response.text
    assert not Household.objects.exists()
