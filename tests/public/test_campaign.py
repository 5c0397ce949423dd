import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from donations.models import Donor
from donations.services import donation_reverse
from households.hand_outs import distribution_record
from relief.models import Bag, Ward
from relief.services import write_off_decide, write_off_propose
from tests.conftest import give, make_household

pytestmark = pytest.mark.django_db


def url(campaign):
    return reverse("public:campaign", args=[campaign.code])


@pytest.fixture
def disclosed(stocked, ward_a, ward_b, household_a, household_b, officer_a, officer_b, staff, district):
    """Hand-outs in both wards, a named donor, two anonymous ones and a gift taken back."""
    distribution_record(household=household_a, campaign=stocked, recorded_by=officer_a)
    distribution_record(household=household_b, campaign=stocked, recorded_by=officer_b, received_by="Trần Văn Con")
    hidden = Donor.objects.create(name="Lý Thị Kín", kind=Donor.Kind.INDIVIDUAL, anonymous=True, phone="0911222333")
    also_hidden = Donor.objects.create(name="Đặng Văn Giấu", anonymous=True, address="99 Bí Mật")
    give(stocked, hidden, staff, amount=2_000_000)
    give(stocked, also_hidden, staff, bags=3)
    company = Donor.objects.create(
        name="Công ty Bình An", kind=Donor.Kind.BUSINESS, phone="0281234567", address="5 Châu Văn Liêm"
    )
    give(stocked, company, staff, amount=5_000_000)
    mistaken = Donor.objects.create(name="Ngô Văn Nhầm", kind=Donor.Kind.INDIVIDUAL)
    wrong, _ = give(stocked, mistaken, staff, amount=500_000)
    donation_reverse(donation=wrong, recorded_by=staff, reason="Ghi nhầm người ủng hộ")
    return stocked


def test_anyone_sees_the_campaigns_disclosure(anyone, disclosed):
    response = anyone.get(url(disclosed))

    assert response.status_code == 200
    assert "Túi an sinh xã hội Quận 5" in response.text


def test_an_unknown_campaign_is_not_found(client, db):
    assert client.get(reverse("public:campaign", args=["KHONG-CO"])).status_code == 404


def test_nobody_can_post_to_the_disclosure(client, disclosed):
    assert client.post(url(disclosed)).status_code == 405


def test_it_shows_the_money_received_the_bags_funded_and_the_bags_handed_out_per_ward(client, disclosed):
    response = client.get(url(disclosed))

    assert response.context["money"]["net_cash"] == 17_000_000
    assert response.context["bags"]["funded"] == 10 + 2 + 5 + 3
    assert [(ward.name, f.allocated, f.handed_out) for ward, f in response.context["wards"]] == [
        ("Phường 1", 4, 1),
        ("Phường 2", 3, 1),
    ]
    assert "17.000.000 ₫" in response.text


def test_donors_are_named_with_their_amounts_and_anonymous_ones_are_added_up(client, disclosed):
    response = client.get(url(disclosed))
    donors = response.context["donors"]

    assert donors.named == [("Nguyễn Văn Hảo", 10_000_000, 0), ("Công ty Bình An", 5_000_000, 0)]
    assert (donors.anonymous_count, donors.anonymous_amount, donors.anonymous_bags) == (2, 2_000_000, 3)
    text = response.text
    assert "Nhà hảo tâm ẩn danh" in text
    assert "Lý Thị Kín" not in text and "Đặng Văn Giấu" not in text
    assert "Ngô Văn Nhầm" not in text  # a gift taken back in full is not a gift


def test_the_donors_table_has_a_bags_in_kind_column_only_when_someone_gave_bags(client, stocked, staff):
    assert "Túi hiện vật</th>" not in client.get(url(stocked)).text  # cash only so far
    give(stocked, Donor.objects.create(name="Cửa hàng Gạo Ngon"), staff, bags=2)
    assert "Túi hiện vật</th>" in client.get(url(stocked)).text


def test_the_page_leaks_no_personal_data_of_households_or_donors(client, disclosed, household_a, household_b):
    make_household(household_a.ward, "Hồ Thị Riêng", national_id="079190000111", phone="0933444555")

    text = client.get(url(disclosed)).text

    for household in [household_a, household_b]:
        assert household.head_name not in text
        assert household.national_id not in text
        assert household.phone not in text
        assert household.address not in text
    for secret in ["Hồ Thị Riêng", "079190000111", "0933444555", "Trần Văn Con", "0911222333", "0281234567"]:
        assert secret not in text
    assert "99 Bí Mật" not in text and "5 Châu Văn Liêm" not in text


def test_the_disclosure_takes_as_many_queries_for_twenty_wards_and_many_donors_as_for_few(client, disclosed, staff):
    with CaptureQueriesContext(connection) as few:
        client.get(url(disclosed))
    for n in range(3, 21):
        Ward.objects.create(district=disclosed.district, code=f"q5-p{n:02d}", name=f"Phường {n}")
        give(disclosed, Donor.objects.create(name=f"Nhà hảo tâm {n}"), staff, amount=100_000)

    with CaptureQueriesContext(connection) as many:
        client.get(url(disclosed))
    assert len(many) == len(few)


def test_the_public_page_shows_the_bags_each_ward_wrote_off(client, stocked, ward_a, officer_a, staff):
    bag = Bag.objects.filter(ward=ward_a, state=Bag.State.ALLOCATED).first()
    write_off_decide(
        write_off=write_off_propose(bag=bag, reason="Bao rách", proposed_by=officer_a), decided_by=staff, approve=True
    )
    page = client.get(reverse("public:campaign", args=[stocked.code])).content.decode()
    assert "Túi hủy (mất, hỏng)" in page
    assert '<td class="num">3</td><td class="num">0</td><td class="num">1</td>' in page


def test_the_public_page_counts_each_ward_s_reports_and_names_nobody(anyone, missed_reports):
    response = anyone.get(url(missed_reports))
    wards = {ward.name: figures for ward, figures in response.context["wards"]}

    assert (wards["Phường 1"].reports_open, wards["Phường 1"].reports_resolved) == (2, 1)
    assert (wards["Phường 2"].reports_open, wards["Phường 2"].reports_resolved) == (0, 0)
    totals = response.context["totals"]
    assert (totals.reports_open, totals.reports_resolved) == (3, 1)
    page = response.content.decode()
    assert "Báo bỏ sót đang xử lý" in page and "Báo bỏ sót đã xử lý" in page
    for person in ("Lâm Văn Chờ", "Tạ Thị Trễ", "Hồ Văn Xong", "Kha Văn Lạc", "Gầm cầu"):
        assert person not in page


@pytest.mark.parametrize("persona", ["client", "officer_a_client"])
def test_a_ward_s_own_campaign_speaks_of_its_khu_pho_and_of_the_ward_whoever_reads_it(
    request, persona, ward_campaign_under_way
):
    response = request.getfixturevalue(persona).get(url(ward_campaign_under_way.ward_campaign))
    page = response.text
    assert "Túi an sinh theo khu phố" in page and '<th scope="col">Khu phố</th>' in page
    assert "Túi đã nhận từ phường" in page
    assert '<tr><th scope="row">Khu phố 1</th><td class="num">3</td><td class="num">1</td>' in page
    assert "quận" not in page.lower() and "theo phường" not in page
