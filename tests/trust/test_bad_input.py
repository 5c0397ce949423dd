"""Random, huge, negative, empty, unicode and malicious input at every form and import: never a server error,
nothing saved when the form is refused, a message that says what is wrong, and what is shown back is escaped.
"""

import io

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from donations.models import Donation
from households.forms import CancelForm, HandOutForm, HouseholdForm, WardRequestForm
from households.models import Household
from relief.district_forms import HouseholdVerifyForm, RequestDecisionForm
from relief.models import Allocation, Distribution, WardRequest

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
NASTY = [
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE households_household; --",
    "1 OR 1=1",
    '=HYPERLINK("http://evil.example","bấm")',
    "+84 912 345 678",
    "-1",
    "0",
    "-999999999999999999999",
    "9" * 400,
    "1e309",
    "NaN",
    "",
    " ",
    "\x00",
    "Nguyễn Văn Đức 👨‍👩‍👧",
    "\u202etxt.exe",
    "../../etc/passwd",
    "49.000.000",
    "2021-02-30",
]
values = st.one_of(st.sampled_from(NASTY), st.text(max_size=300), st.integers().map(str))

fuzz = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def form_data(field_names):
    """A dict giving some of the form's fields a random value each (Django's client sends str)."""
    return st.dictionaries(st.sampled_from(field_names), values, max_size=len(field_names))


def totals():
    """Every count a refused form must leave alone, history included."""
    return (
        Household.objects.count(),
        Household.history.count(),
        Distribution.objects.count(),
        Distribution.history.count(),
        WardRequest.history.count(),
        Allocation.objects.count(),
        Donation.objects.count(),
    )


def posted(client, url, data, refusal_says_why=True):
    before = totals()
    response = client.post(url, {k: v.replace("\x00", "") for k, v in data.items()})
    body = response.content.decode()
    assert response.status_code < 500
    assert SCRIPT not in body
    if response.status_code == 200:  # the form came back: it was refused
        assert totals() == before
        if refusal_says_why:
            assert 'role="alert"' in body or 'class="errorlist' in body or 'class="errors' in body
    return response


@fuzz
@given(data=form_data(list(HouseholdForm.base_fields)))
def test_the_household_form_survives_anything(officer_a_client, ward_a, data):
    posted(officer_a_client, reverse("ward:household_create"), data)


@fuzz
@given(data=form_data(list(HouseholdForm.base_fields)))
def test_the_household_edit_survives_anything(world, officer_a_client, data):
    posted(officer_a_client, reverse("ward:household_edit", args=[world["household"].pk]), data)


@fuzz
@given(data=form_data(list(HandOutForm.base_fields)))
def test_the_hand_out_survives_anything(world, officer_a_client, data):
    posted(officer_a_client, reverse("ward:hand_out", args=[world["household"].pk]), data)


@fuzz
@given(data=form_data(list(CancelForm.base_fields)))
def test_the_cancellation_survives_anything(world, officer_a_client, data):
    distribution = world["distribution"]
    distribution.refresh_from_db()
    # Once an earlier example cancelled it, the page only says so; there is no form left to refuse.
    still_active = distribution.cancelled_at is None
    posted(officer_a_client, reverse("ward:cancel_hand_out", args=[distribution.pk]), data, still_active)


@fuzz
@given(data=form_data(list(WardRequestForm.base_fields)))
def test_the_ward_request_survives_anything(world, officer_a_client, data):
    posted(officer_a_client, reverse("ward:requests"), data)


@fuzz
@given(data=form_data(["campaign", "donor", "donor_query", "new_donor", "donor_kind", "donor_phone", "method",
                       "amount", "bags_in_kind", "received_on", "note", "submission_key"]))  # fmt: skip
def test_a_new_donation_survives_anything(world, staff_client, data):
    posted(staff_client, reverse("money:donation_new"), data)


@fuzz
@given(data=form_data(["reason", "submission_key"]))
def test_a_reversal_survives_anything(world, staff_client, data):
    posted(staff_client, reverse("money:donation_reverse", args=[world["donation"].pk]), data)


@fuzz
@given(data=st.dictionaries(st.sampled_from(["plan_key", "note", "ward_x"]), values, max_size=3))
def test_the_allocation_plan_survives_anything(world, staff_client, data):
    data = {(f"ward_{world['ward'].pk}" if key == "ward_x" else key): value for key, value in data.items()}
    posted(staff_client, reverse("district:allocate"), data)


@fuzz
@given(data=form_data(list(RequestDecisionForm.base_fields)))
def test_a_request_decision_survives_anything(world, staff_client, data):
    posted(staff_client, reverse("district:request_decide", args=[world["ward_request"].pk]), data)


@fuzz
@given(data=form_data(list(HouseholdVerifyForm.base_fields)))
def test_the_verification_survives_anything(world, staff_client, data):
    posted(staff_client, reverse("district:households_verify"), data)


@fuzz
@given(query=st.dictionaries(st.sampled_from(["number", "so", "q"]), values, max_size=2))
def test_the_public_receipt_check_survives_anything(client, world, query):
    response = client.get(reverse("public:receipt_check"), {k: v.replace("\x00", "") for k, v in query.items()})
    assert response.status_code == 200
    assert SCRIPT not in response.content.decode()


@fuzz
@given(query=st.dictionaries(st.sampled_from(["district", "campaign", "date_from", "date_to", "sort"]), values))
def test_the_leaders_filters_survive_anything(leader_client, world, query):
    clean = {k: v.replace("\x00", "") for k, v in query.items()}
    for name in ("leaders:dashboard", "leaders:report", "leaders:export"):
        response = leader_client.get(reverse(name), clean)
        assert response.status_code < 500
        if not response.streaming and response["Content-Type"].startswith("text/html"):
            assert SCRIPT not in response.content.decode()


def csv_upload(rows):
    text = "\n".join(",".join('"' + cell.replace('"', '""') + '"' for cell in row) for row in rows)
    upload = io.BytesIO(text.encode("utf-8"))
    upload.name = "danh-sach.csv"
    return upload


HOUSEHOLD_HEADER = ["Họ và tên chủ hộ", "CCCD", "Số điện thoại", "Địa chỉ", "Phường", "Số nhân khẩu"]
DONATION_HEADER = ["Nhà hảo tâm", "Số tiền", "Ngày nhận", "Hình thức", "Số túi hiện vật", "Ghi chú"]


@fuzz
@given(rows=st.lists(st.lists(values, min_size=6, max_size=6), min_size=1, max_size=5))
@pytest.mark.parametrize(("name", "header"), [("district:import_households", HOUSEHOLD_HEADER),
                                              ("district:import_donations", DONATION_HEADER)])  # fmt: skip
def test_an_import_file_full_of_bad_cells_is_checked_without_saving_anything(world, staff_client, name, header, rows):
    before = totals()
    cells = [[cell.replace("\x00", "").replace("\n", " ") for cell in row] for row in rows]
    response = staff_client.post(reverse(name), {"file": csv_upload([header, *cells])})
    assert response.status_code < 500
    assert SCRIPT not in response.content.decode()
    assert totals() == before  # the upload only checks; nothing is written before the confirmation
