import pytest
from django.urls import reverse

from relief.models import Distribution
from tests.households.conftest import hand_out_data

pytestmark = pytest.mark.django_db
URL = reverse("ward:queue")


def test_the_queue_page_opens_on_an_empty_search_with_the_stock(officer_a_client, stocked):
    response = officer_a_client.get(URL)
    assert response.status_code == 200
    assert 'name="q"' in response.text and '<strong data-testid="stock">4</strong>' in response.text


def test_typing_a_name_without_diacritics_lists_the_person_with_a_hand_out_button(
    officer_a_client, stocked, household_a, household_b
):
    response = officer_a_client.get(URL, {"q": "nguyen van"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="queue-results")
    assert response.templates[0].name == "ward/partials/queue_results.html"
    assert "Nguyễn Văn An" in response.text and "Trao túi</button>" in response.text
    assert 'name="mode" value="queue"' in response.text


def test_the_queue_never_finds_another_ward(officer_a_client, stocked, household_b):
    response = officer_a_client.get(URL, {"q": "tran thi bich"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="queue-results")
    assert "Không thấy hộ nào" in response.text and "Trần Thị Bích" not in response.text


def test_a_hand_out_from_the_queue_offers_the_next_person(officer_a_client, stocked, household_a):
    data = hand_out_data(stocked, mode="queue")
    response = officer_a_client.post(reverse("ward:hand_out", args=[household_a.pk]), data, HTTP_HX_REQUEST="true")
    assert "Người tiếp theo" in response.text
    assert Distribution.objects.count() == 1


def test_without_javascript_the_queue_search_renders_the_whole_page(officer_a_client, stocked, household_a):
    response = officer_a_client.get(URL, {"q": "an"})
    assert response.templates[0].name == "ward/queue.html" and "Nguyễn Văn An" in response.text


@pytest.mark.parametrize("persona", ["staff_client", "leader_client"])
def test_other_roles_are_refused_the_queue(request, persona):
    assert request.getfixturevalue(persona).get(URL).status_code == 403


def test_anonymous_is_sent_to_log_in(client, db):
    assert client.get(URL).status_code == 302


def test_the_queue_refuses_post(officer_a_client):
    assert officer_a_client.post(URL).status_code == 405
