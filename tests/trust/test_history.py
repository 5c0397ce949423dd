"""A record's history on its own page: who changed it, when, and each field's old and new value, numbers masked.

District staff read it on the district's household page, the receipt and the request decision; the ward's officer
on their own ward's household, bag and request pages; nobody else reaches those pages (404 / 403).
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from households.models import Category
from relief.models import User
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db

FULL_ID, NEW_ID = "079081000123", "079081000999"


def history_sections(page):
    """``{title: [(head, [(label, old, new), …]), …]}`` of every history section of a rendered page."""
    sections = {}
    for block in re.findall(r'<section class="card history no-print">(.*?)</section>', page, re.S):
        title = re.search(r"<h2>(.*?)</h2>", block, re.S).group(1).strip()
        entries = []
        for item in re.findall(r"<li>(.*?)</li>", block, re.S):
            head = re.search(r'<span class="change-head">(.*?)</span>', item, re.S).group(1).strip()
            rows = re.findall(r'<tr><th scope="row">(.*?)</th><td>(.*?)</td><td>(.*?)</td></tr>', item, re.S)
            entries.append((head, rows))
        sections[title] = entries
    return sections


def edit_household(client, household, **changes):
    data = {"head_name": household.head_name, "address": household.address, "members": "1"}
    data.update(residence="permanent", national_id=household.national_id, phone=household.phone, notes="")
    data["categories"] = [category.pk for category in household.categories.all()]
    data.update(changes)
    response = client.post(reverse("ward:household_edit", args=[household.pk]), data)
    assert response.status_code == 302, response.content.decode()[-2000:]


@pytest.fixture
def edited(world, officer_a_client):
    """Officer A moved household A, corrected its CCCD and added a category."""
    household = world["household"]
    extra = Category.objects.get(code="nguoi-co-cong")
    categories = [*household.categories.values_list("pk", flat=True), extra.pk]
    edit_household(officer_a_client, household, address="99 Nguyễn Trãi", national_id=NEW_ID, categories=categories)
    return household


def edits_by(entries, who):
    """Every field row of the entries ``who`` made as edits (one save writes the fields, then the categories)."""
    return [row for head, rows in entries if f"{who} · Sửa" in head for row in rows]


def test_district_staff_read_a_households_changes_field_by_field_with_the_numbers_masked(edited, staff_client):
    page = staff_client.get(reverse("district:household", args=[edited.pk])).content.decode()
    entries = history_sections(page)["Lịch sử thay đổi"]
    assert sorted(edits_by(entries, "Cán bộ Phường 1")) == [
        ("Diện", "Hộ nghèo", "Người có công, Hộ nghèo"),
        ("Số CCCD / CMND", "•••••••••123", "•••••••••999"),
        ("Trạng thái", "Đã duyệt", "Đề xuất"),  # a new CCCD sends the household back to the district
        ("Địa chỉ", "12 Trần Hưng Đạo", "99 Nguyễn Trãi"),
    ]
    assert entries[-1][0].endswith("Tạo")
    assert FULL_ID not in page and NEW_ID not in page


def test_the_officer_reads_their_own_wards_household_history_on_its_page(edited, officer_a_client):
    page = officer_a_client.get(reverse("ward:household", args=[edited.pk])).content.decode()
    rows = edits_by(history_sections(page)["Lịch sử thay đổi"], "Cán bộ Phường 1")
    assert ("Địa chỉ", "12 Trần Hưng Đạo", "99 Nguyễn Trãi") in rows
    assert FULL_ID not in page and NEW_ID not in page


def test_a_history_shows_what_was_typed_escaped(world, officer_a_client, staff_client):
    edit_household(officer_a_client, world["household"], notes="<script>alert(1)</script>")
    page = staff_client.get(reverse("district:household", args=[world["household"].pk])).content.decode()
    assert ("Ghi chú", "—", "&lt;script&gt;alert(1)&lt;/script&gt;") in history_sections(page)["Lịch sử thay đổi"][0][1]
    assert "<script>alert(1)" not in page


def test_the_district_household_page_is_for_district_staff_and_administrators_only(edited, personas):
    url = reverse("district:household", args=[edited.pk])
    statuses = {name: personas[name].get(url).status_code for name in ("anon", "A", "B", "S", "L", "X")}
    assert statuses == {"anon": 302, "A": 403, "B": 403, "S": 200, "L": 403, "X": 200}


def test_staff_of_another_district_cannot_open_a_households_page(edited, other_district):
    stranger = make_user("canbo_btl", User.Role.DISTRICT_STAFF, district=other_district)
    assert client_for(stranger).get(reverse("district:household", args=[edited.pk])).status_code == 404


def test_the_officer_of_another_ward_cannot_read_the_households_history(edited, officer_b_client):
    assert officer_b_client.get(reverse("ward:household", args=[edited.pk])).status_code == 404


def test_the_household_history_costs_the_same_queries_after_many_edits(world, officer_a_client, staff_client):
    household, url = world["household"], reverse("district:household", args=[world["household"].pk])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(url).status_code == 200
        return len(captured)

    edit_household(officer_a_client, household, address="1 Hùng Vương")
    few = queries()
    for number in range(2, 12):
        edit_household(officer_a_client, household, address=f"{number} Hùng Vương", members=str(number))
    assert queries() == few


def test_the_receipt_shows_who_recorded_the_donation(world, staff_client):
    page = staff_client.get(reverse("money:receipt", args=[world["donation"].pk])).content.decode()
    (head, rows), *_ = history_sections(page)["Lịch sử thay đổi"]
    assert head.endswith("Cán bộ quận · Tạo") and rows == []


def test_a_decided_request_shows_the_decision_in_its_history_to_the_district_and_the_ward(
    world, staff_client, officer_a_client, officer_b_client
):
    ward_request = world["ward_request"]
    decide = reverse("district:request_decide", args=[ward_request.pk])
    response = staff_client.post(decide, {"decision": "part", "approved_quantity": "2", "note": "Quận còn ít túi"})
    assert response.status_code == 302
    for client, url in ((staff_client, decide), (officer_a_client, reverse("ward:request", args=[ward_request.pk]))):
        head, rows = history_sections(client.get(url).content.decode())["Lịch sử thay đổi"][0]
        assert "Cán bộ quận · Sửa" in head
        assert ("Trạng thái", "Đang chờ", "Duyệt một phần") in rows
        assert ("Số túi được duyệt", "0", "2") in rows
    assert officer_b_client.get(reverse("ward:request", args=[ward_request.pk])).status_code == 404


def test_the_bag_page_shows_the_bag_and_its_hand_outs_history_to_its_wards_officer(
    world, officer_a_client, officer_b_client
):
    distribution = world["distribution"]
    cancel = reverse("ward:cancel_hand_out", args=[distribution.pk])
    assert officer_a_client.post(cancel, {"reason": "Ghi nhầm hộ"}).status_code == 302
    sections = history_sections(officer_a_client.get(reverse("ward:bag", args=[world["bag"].pk])).content.decode())
    _, bag_rows = sections["Lịch sử thay đổi của túi"][0]
    assert ("Trạng thái", "Đã trao", "Đã phân bổ") in bag_rows
    head, rows = sections["Lịch sử lượt trao cho hộ Nguyễn Văn An"][0]
    assert "Cán bộ Phường 1 · Sửa" in head
    assert ("Lý do hủy", "—", "Ghi nhầm hộ") in rows
    assert officer_b_client.get(reverse("ward:bag", args=[world["bag"].pk])).status_code == 404
