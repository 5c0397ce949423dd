"""Random, huge, negative, empty, unicode and malicious input at every form and import: never a server error.

A submission the page accepts must have stored what the form's rules allow (the row passes the model's
``full_clean`` again, a household is a fixed point of the officers' form) and the page must show it escaped.
A refused one must leave every count, sum and bag state as it was, and say in Vietnamese what is wrong, beside
the field's label (or, for a button on a list, in the message on the next page).
"""

import io
import re

import pytest
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import Count, Sum
from django.template.defaultfilters import linebreaksbr
from django.urls import resolve, reverse
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from district.forms import HouseholdVerifyForm, RequestDecisionForm
from donations.models import Donation, Donor
from households.forms import CancelForm, HandOutForm, HouseholdForm, WardRequestForm
from households.hand_outs import distribution_record
from households.models import Household
from relief.models import Allocation, Bag, Distribution, WardRequest
from relief.services import ward_request_create
from tests.conftest import give, make_household

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

# The same examples on every run (derandomize): each fuzzed form must see both outcomes (``fuzz_both_ways``), and
# 30 random draws of one form's fields once gave no refused example on a clean run, a red CI that said nothing.
fuzz = settings(
    max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def form_data(field_names, base):
    """A valid submission ``base`` with some of the form's fields given a random value each.

    Starting from what the form accepts lets both branches be tried: unchanged or harmless values are saved,
    malicious ones refused. ``base`` values are plain (Django's client sends str) or strategies.
    """
    overrides = st.dictionaries(st.sampled_from(field_names), values, max_size=len(field_names))
    base = st.fixed_dictionaries({k: v if isinstance(v, st.SearchStrategy) else st.just(v) for k, v in base.items()})
    return st.tuples(base, overrides).map(lambda pair: {**pair[0], **pair[1]})


KEY = st.uuids().map(str)


def fuzz_both_ways(check):
    """Run ``check(data)`` over the generated examples and require that some were accepted and some refused.

    ``check`` answers "accepted", "refused" or why neither; a run that never saved anything would leave the
    checks of what was saved untested.
    """

    def run(strategy):
        outcomes = []

        @fuzz
        @given(data=strategy)
        def example(data):
            outcomes.append(check(data))

        example()
        assert {"accepted", "refused"} <= set(outcomes), outcomes

    return run


def totals():
    """Every count and sum a refused form must leave alone: rows, their history, money and bags by state."""
    return (
        Household.objects.count(),
        Household.history.count(),
        Distribution.objects.count(),
        Distribution.history.count(),
        WardRequest.objects.count(),
        WardRequest.history.count(),
        Allocation.objects.count(),
        Donation.objects.count(),
        Donation.objects.aggregate(total=Sum("amount"))["total"],
        Donor.objects.count(),
        tuple(Bag.objects.values_list("state").annotate(n=Count("pk")).order_by("state")),
    )


# Any Vietnamese letter with a diacritic: Django's English defaults ("This field is required.") have none.
VIETNAMESE = re.compile(r"[À-ỹĐđ]")


def submit(client, url, data):
    """POST ``data``; never a server error, never the script back unescaped. Returns (response, totals before)."""
    before = totals()
    response = client.post(url, {k: v.replace("\x00", "") for k, v in data.items()})
    assert response.status_code < 500
    assert SCRIPT not in response.content.decode()
    return response, before


def assert_refused_with_reasons(response, before):
    """The form came back with nothing saved, and every error is in Vietnamese, shown beside its field's label."""
    assert response.status_code == 200
    assert totals() == before
    form, body = response.context["form"], response.content.decode()
    assert form.errors
    for name, errors in form.errors.items():
        for error in errors:
            assert VIETNAMESE.search(error), error
            assert escape(error) in body
        if name != NON_FIELD_ERRORS and not form[name].is_hidden:
            assert escape(form[name].label) in body


def assert_refused_by_message(client, response, before):
    """A list or a button that answers with a redirect: nothing saved, and the next page says why, in Vietnamese."""
    assert response.status_code == 302
    assert totals() == before
    said = [str(message) for message in client.get(response.url).context["messages"]]
    assert said and all(VIETNAMESE.search(message) for message in said), said


def assert_stored_valid(record):
    """What was saved passes the model's own checks again, exactly as stored."""
    record.refresh_from_db()
    record.full_clean()


def assert_shown_escaped(client, url, *values):
    body = client.get(url).content.decode()
    assert SCRIPT not in body
    for value in values:
        assert linebreaksbr(value, autoescape=True) in body


def newest(model):
    return model.objects.order_by("-pk").first()


HOUSEHOLD_FIELDS = ("head_name", "national_id", "phone", "address", "members", "residence", "notes")


def assert_household_valid(client, household):
    """Saved as the officers' form allows: the stored row is a fixed point of the form and of the model."""
    assert_stored_valid(household)
    data = {name: getattr(household, name) for name in HOUSEHOLD_FIELDS}
    form = HouseholdForm({**data, "categories": list(household.categories.values_list("pk", flat=True))})
    assert form.is_valid(), form.errors
    assert {name: form.cleaned_data[name] for name in HOUSEHOLD_FIELDS} == data
    assert_shown_escaped(client, reverse("ward:household", args=[household.pk]), household.head_name, household.address)


def assert_household_refused(response, before):
    if response.context["duplicates"]:  # a likely duplicate waits for the officer's confirmation: nothing saved
        assert totals() == before and "Có thể trùng" in response.content.decode()
    else:
        assert_refused_with_reasons(response, before)


HOUSEHOLD = {"head_name": "Lê Thị Hoa", "address": "5 Hùng Vương", "members": "2", "residence": "permanent"}


def test_the_household_form_saves_only_a_valid_household_and_refuses_the_rest(officer_a_client, ward_a):
    def check(data):
        response, before = submit(officer_a_client, reverse("ward:household_create"), data)
        if response.status_code != 302:
            assert_household_refused(response, before)
            return "refused"
        assert totals()[0] == before[0] + 1
        assert_household_valid(officer_a_client, newest(Household))
        return "accepted"

    fuzz_both_ways(check)(form_data(list(HouseholdForm.base_fields), HOUSEHOLD))


def test_the_household_edit_saves_only_valid_values_and_refuses_the_rest(world, officer_a_client):
    household = world["household"]

    def check(data):
        response, before = submit(officer_a_client, reverse("ward:household_edit", args=[household.pk]), data)
        if response.status_code != 302:
            assert_household_refused(response, before)
            return "refused"
        assert totals()[0] == before[0]
        assert_household_valid(officer_a_client, household)
        return "accepted"

    base = {**HOUSEHOLD, "head_name": household.head_name, "national_id": household.national_id}
    fuzz_both_ways(check)(form_data(list(HouseholdForm.base_fields), base))


def test_the_hand_out_records_a_valid_hand_out_or_says_why_not(world, officer_a_client, ledger_balances_afterwards):
    waiting = iter(range(1000))

    def check(data):
        # A household that has no bag yet, until the ward's three spare bags run out.
        household = make_household(world["ward"], f"Hộ chờ nhận {next(waiting)}", address="7 Hùng Vương")
        response, before = submit(officer_a_client, reverse("ward:hand_out", args=[household.pk]), data)
        if totals()[2] == before[2]:
            assert_refused_by_message(officer_a_client, response, before)
            return "refused"
        distribution = newest(Distribution)
        assert distribution.household == household and distribution.bag.state == Bag.State.HANDED_OUT
        assert_stored_valid(distribution)
        page = reverse("ward:household", args=[household.pk])
        assert_shown_escaped(officer_a_client, page, distribution.received_by)
        return "accepted"

    base = {"campaign": str(world["campaign"].pk), "request_key": KEY}
    fuzz_both_ways(check)(form_data(list(HandOutForm.base_fields), base))


def test_the_cancellation_keeps_a_valid_reason_or_says_why_not(world, officer_a_client, ledger_balances_afterwards):
    distribution = world["distribution"]

    def check(data):
        if not Distribution.objects.active().filter(household=distribution.household).exists():
            # An earlier example cancelled the hand-out: hand the bag out again, so there is one to cancel.
            distribution_record(
                household=distribution.household, campaign=distribution.campaign, recorded_by=world["officer"],
                serial=distribution.bag.serial,
            )  # fmt: skip
        current = Distribution.objects.active().get(household=distribution.household)
        response, before = submit(officer_a_client, reverse("ward:cancel_hand_out", args=[current.pk]), data)
        if response.status_code != 302:
            assert_refused_with_reasons(response, before)
            return "refused"
        assert_stored_valid(current)
        assert current.cancelled_at is not None and current.cancel_reason.strip()
        page = reverse("ward:household", args=[current.household_id])
        assert_shown_escaped(officer_a_client, page, current.cancel_reason)
        return "accepted"

    fuzz_both_ways(check)(form_data(list(CancelForm.base_fields), {"reason": "Ghi nhầm hộ"}))


def test_the_ward_request_saves_only_a_valid_request_and_refuses_the_rest(world, officer_a_client):
    def check(data):
        response, before = submit(officer_a_client, reverse("ward:requests"), data)
        if response.status_code != 302:
            assert_refused_with_reasons(response, before)
            return "refused"
        ward_request = newest(WardRequest)
        assert totals()[4] == before[4] + 1 and ward_request.ward == world["ward"]
        assert_stored_valid(ward_request)
        page = reverse("ward:request", args=[ward_request.pk])
        assert_shown_escaped(officer_a_client, page, ward_request.reason)
        return "accepted"

    base = {"campaign": str(world["campaign"].pk), "quantity": "3", "reason": "Thiếu túi cho hộ mới"}
    fuzz_both_ways(check)(form_data(list(WardRequestForm.base_fields), base))


DONATION_FIELDS = ["campaign", "donor", "donor_query", "new_donor", "donor_kind", "donor_phone", "method",
                   "amount", "bags_in_kind", "received_on", "note", "submission_key"]  # fmt: skip


def test_a_new_donation_is_recorded_valid_or_refused(world, staff_client, ledger_balances_afterwards):
    def check(data):
        response, before = submit(staff_client, reverse("money:donation_new"), data)
        if response.status_code != 302:
            assert_refused_with_reasons(response, before)
            return "refused"
        donation = Donation.objects.get(pk=resolve(response.url).kwargs["pk"])
        assert_stored_valid(donation.donor)
        assert_stored_valid(donation)
        assert donation.amount > 0 or donation.bags_in_kind > 0
        assert_shown_escaped(staff_client, response.url, donation.donor.name, donation.note)
        return "accepted"

    base = {"campaign": str(world["campaign"].pk), "donor": str(world["donor"].pk), "method": "cash",
            "amount": "2.000.000", "received_on": "20/08/2021", "submission_key": KEY}  # fmt: skip
    fuzz_both_ways(check)(form_data(DONATION_FIELDS, base))


def test_a_reversal_is_recorded_valid_or_refused(world, staff_client, ledger_balances_afterwards):
    def check(data):
        donation = give(world["campaign"], world["donor"], world["officer"], amount=3_000_000)[0]
        response, before = submit(staff_client, reverse("money:donation_reverse", args=[donation.pk]), data)
        if response.status_code != 302:
            assert_refused_with_reasons(response, before)
            return "refused"
        reversal = Donation.objects.get(reverses=donation)
        assert_stored_valid(reversal)
        assert reversal.amount == -donation.amount and reversal.reason.strip()
        assert_shown_escaped(staff_client, response.url, reversal.reason)
        return "accepted"

    fuzz_both_ways(check)(
        form_data(["reason", "submission_key"], {"reason": "Ghi nhầm số tiền", "submission_key": KEY})
    )


def test_the_allocation_plan_allocates_valid_quantities_or_refuses(world, staff_client, ledger_balances_afterwards):
    ward_field = f"ward_{world['ward'].pk}"

    def check(data):
        give(world["campaign"], world["donor"], world["officer"], amount=world["campaign"].bag_value)
        data = {(ward_field if key == "ward_x" else key): value for key, value in data.items()}
        response, before = submit(staff_client, reverse("district:allocate"), data)
        if response.status_code != 302:
            assert_refused_with_reasons(response, before)
            return "refused"
        for allocation in Allocation.objects.order_by("-pk")[: totals()[6] - before[6]]:
            assert_stored_valid(allocation)
            assert allocation.quantity == allocation.bags.count() > 0
        return "accepted" if totals()[6] > before[6] else "nothing to allocate"

    base = {"campaign": str(world["campaign"].pk), "plan_key": KEY, "ward_x": "1"}
    fuzz_both_ways(check)(form_data(["plan_key", "note", "ward_x"], base))


def test_a_request_decision_is_stored_valid_or_refused(world, staff_client, ledger_balances_afterwards):
    def check(data):
        ward_request = ward_request_create(
            campaign=world["campaign"], ward=world["ward"], quantity=2, reason="Thiếu", created_by=world["officer"]
        )
        give(world["campaign"], world["donor"], world["officer"], amount=2 * world["campaign"].bag_value)
        decide = reverse("district:request_decide", args=[ward_request.pk])
        response, before = submit(staff_client, decide, data)
        if response.status_code != 302:
            assert_refused_with_reasons(response, before)
            return "refused"
        assert_stored_valid(ward_request)
        assert ward_request.status != WardRequest.Status.WAITING
        assert 0 <= ward_request.approved_quantity <= ward_request.quantity
        assert_shown_escaped(staff_client, decide, ward_request.decision_note)
        return "accepted"

    fuzz_both_ways(check)(form_data(list(RequestDecisionForm.base_fields), {"decision": "approve"}))


def test_the_verification_changes_statuses_validly_or_says_why_not(world, staff_client):
    household = world["household"]

    def check(data):
        Household.objects.filter(pk=household.pk).update(status=Household.Status.PROPOSED)  # waiting again
        response, before = submit(staff_client, reverse("district:households_verify"), data)
        household.refresh_from_db()
        if household.status != Household.Status.PROPOSED:
            assert_stored_valid(household)
            return "accepted"
        if response.status_code == 404:
            # Not the id of a household the staff can see ("", "<script>", another district's): answered as for
            # an outsider's record, and nothing changed.
            assert "households" in data and data["households"] != str(household.pk)
            assert totals() == before
            return "not found"
        assert_refused_by_message(staff_client, response, before)
        return "refused"

    base = {"households": str(household.pk), "action": "approve"}
    fuzz_both_ways(check)(form_data(list(HouseholdVerifyForm.base_fields), base))


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
    body, report, form = response.content.decode(), response.context.get("report"), response.context["form"]
    if report is None:  # the file as a whole was refused: the upload form says why
        said = [error for errors in form.errors.values() for error in errors]
        assert said and all(VIETNAMESE.search(error) and escape(error) in body for error in said), said
    for problem in report.errors if report else []:  # each refused cell: which row, which column, why, in Vietnamese
        assert problem.row >= 2 and problem.column in header
        assert VIETNAMESE.search(problem.message) and escape(problem.message) in body, problem
