"""The donor autocomplete: staff type part of a name, with or without diacritics, and choose from a short list."""

import pytest
from django.urls import reverse

from donations.models import Donor
from tests.donations.conftest import assert_staff_only

pytestmark = pytest.mark.django_db

URL = reverse("money:donor_search")


def options(client, text):
    return client.get(URL, {"donor_query": text}).content.decode()


def test_only_district_staff_and_administrators_get_suggestions(personas, donor):
    statuses = assert_staff_only(personas, URL, data={"donor_query": "hao"})
    assert statuses["staff"] == statuses["admin"] == 200


def test_the_autocomplete_answers_only_get(staff_client):
    assert staff_client.post(URL, {"donor_query": "hao"}).status_code == 405


def test_a_name_typed_without_diacritics_finds_the_donor(staff_client, donor):
    assert f'data-donor-id="{donor.pk}"' in options(staff_client, "nguyen van hao")
    assert f'data-donor-id="{donor.pk}"' in options(staff_client, "HẢO")


def test_d_typed_for_đ_finds_the_donor(staff_client, district):
    dung = Donor.objects.create(name="Đặng Văn Dũng", district=district)
    assert f'data-donor-id="{dung.pk}"' in options(staff_client, "dang van")


def test_an_organisation_or_a_phone_finds_the_donor_too(staff_client, district):
    company = Donor.objects.create(
        name="Bà Lan", organisation="Công ty Minh Phát", phone="0912345678", district=district
    )
    assert f'data-donor-id="{company.pk}"' in options(staff_client, "minh phat")
    assert f'data-donor-id="{company.pk}"' in options(staff_client, "0912 345")
    assert f'data-donor-id="{company.pk}"' in options(staff_client, "+84912")


def test_names_starting_with_the_text_come_first(staff_client, district):
    later = Donor.objects.create(name="An Văn Hòa", district=district)
    first = Donor.objects.create(name="Hòa Thị Mai", district=district)
    content = options(staff_client, "hoa")
    assert content.index(f'data-donor-id="{first.pk}"') < content.index(f'data-donor-id="{later.pk}"')


def test_another_districts_donor_is_never_suggested(staff_client, donor, other_donor):
    content = options(staff_client, "tran thi bac")
    assert f'data-donor-id="{other_donor.pk}"' not in content


def test_the_last_option_adds_a_new_donor_with_the_typed_name(staff_client, donor):
    content = options(staff_client, "Bà Sáu bán bánh mì")
    assert 'data-new-donor data-label="Bà Sáu bán bánh mì"' in content


def test_an_empty_query_suggests_nothing(staff_client, donor):
    assert 'role="option"' not in options(staff_client, "   ")


def test_suggestions_are_few_and_take_two_queries(staff_client, district, django_assert_max_num_queries):
    Donor.objects.bulk_create(Donor(name=f"Nguyễn Văn {n}", district=district) for n in range(40))
    with django_assert_max_num_queries(2 + 4):  # + session, user
        content = options(staff_client, "nguyen")
    assert content.count("data-donor-id=") == 8
