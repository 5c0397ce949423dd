import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
URL = reverse("leaders:report")


@pytest.mark.parametrize("persona", ["leader_client", "staff_client", "admin_client_"])
def test_leaders_staff_and_administrators_see_the_printable_report(request, persona, in_progress):
    assert request.getfixturevalue(persona).get(URL).status_code == 200


def test_a_ward_officer_is_refused(officer_a_client, in_progress):
    assert officer_a_client.get(URL).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client, in_progress):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_leader_cannot_post_to_the_report(leader_client, in_progress):
    assert leader_client.post(URL).status_code == 405


def test_the_report_names_the_district_the_campaign_and_the_date_and_has_room_to_sign(leader_client, in_progress):
    response = leader_client.get(URL)
    text = response.text
    now = response.context["now"]

    assert "Quận 5" in text
    assert "Túi an sinh xã hội Quận 5" in text
    assert f"ngày {now:%d} tháng {now:%m} năm {now:%Y}" in text
    assert "Người lập biểu" in text and "Lãnh đạo" in text and "(Ký, ghi rõ họ tên" in text
    assert "10.000.000 ₫" in text
    assert "Tổng cộng" in text and "Phường 2" in text


def test_the_report_shows_the_dashboards_figures(leader_client, in_progress):
    board = leader_client.get(reverse("leaders:dashboard")).context["board"]
    report = leader_client.get(URL).context["board"]

    assert report.totals == board.totals
    assert report.bags == board.bags
