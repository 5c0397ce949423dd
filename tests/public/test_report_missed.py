"""Anyone reports someone the lists missed, from a phone, without an account; abuse is bounded."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from households.models import MissedReport
from households.reports import MAX_PER_ADDRESS_HOUR, MAX_PER_PHONE_DAY

pytestmark = pytest.mark.django_db


def url(campaign):
    return reverse("public:report_missed", args=[campaign.code])


def report(client, campaign, address="203.0.113.7", **data):
    body = {"name": "Trần Văn Tư", "staying_at": "Gầm cầu Chữ Y", "situation": "Bán vé số, mất việc", **data}
    return client.post(url(campaign), body, REMOTE_ADDR=address)


def test_anyone_reports_a_person_and_gets_a_tracking_code_that_shows_only_the_status(client, campaign, ward_a):
    response = report(client, campaign, ward=ward_a.pk, phone="0912 345 678", reporter_phone="+84 903 111 222")
    assert response.status_code == 302
    stored = MissedReport.objects.get()
    assert (stored.ward, stored.phone, stored.reporter_phone) == (ward_a, "0912345678", "0903111222")
    assert stored.status == MissedReport.Status.OPEN and len(stored.code) == 8
    page = client.get(response.url).content.decode()
    assert stored.code in page and "Đang chờ cán bộ địa phương xác minh" in page
    assert "Trần Văn Tư" not in page and "0912345678" not in page and "Chữ Y" not in page


def test_a_report_with_the_ward_unknown_waits_for_the_district(client, campaign):
    report(client, campaign, ward="")
    assert MissedReport.objects.get().ward is None


def test_a_report_without_a_name_or_a_place_is_refused_in_words(client, campaign):
    response = report(client, campaign, name="  ", staying_at="")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Hãy ghi họ tên người cần hỗ trợ" in page and "Hãy ghi nơi người đó đang ở" in page
    assert not MissedReport.objects.exists()


def test_a_bot_filling_the_hidden_field_is_thanked_and_nothing_is_saved(client, campaign):
    response = report(client, campaign, website="http://spam.example")
    assert response.status_code == 302
    assert not MissedReport.objects.exists()


def test_one_address_can_file_only_a_few_reports_an_hour(client, campaign):
    for n in range(MAX_PER_ADDRESS_HOUR):
        assert report(client, campaign, name=f"Người {n}").status_code == 302
    response = report(client, campaign, name="Người thêm")
    assert "Đã nhận nhiều báo cáo từ địa chỉ mạng này" in response.content.decode()
    assert MissedReport.objects.count() == MAX_PER_ADDRESS_HOUR
    assert report(client, campaign, name="Người khác", address="198.51.100.9").status_code == 302


def test_one_phone_number_is_reported_only_a_few_times_a_day_from_anywhere(client, campaign):
    for n in range(MAX_PER_PHONE_DAY):
        report(client, campaign, phone="0912345678", address=f"198.51.100.{n}")
    response = report(client, campaign, phone="0912345678", address="198.51.100.99")
    assert "số điện thoại này" in response.content.decode()
    assert MissedReport.objects.count() == MAX_PER_PHONE_DAY


def test_a_link_in_a_report_is_never_rendered_as_a_link(client, campaign, ward_a, officer_a_client):
    report(client, campaign, ward=ward_a.pk, situation='<a href="http://evil.example">bấm</a> http://evil.example')
    page = officer_a_client.get(reverse("ward:missed_report", args=[MissedReport.objects.get().pk])).content.decode()
    assert 'href="http://evil.example"' not in page


def test_a_closed_campaign_takes_no_reports(client, campaign):
    campaign.is_open = False
    campaign.save()
    assert client.get(url(campaign)).status_code == 404


def test_an_unknown_tracking_code_says_so(client):
    page = client.get(reverse("public:report_status"), {"ma": "ZZZZ2222"}).content.decode()
    assert "Không tìm thấy báo cáo có mã" in page


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.fixed_dictionaries(
        {
            "name": st.text(max_size=200),
            "staying_at": st.text(max_size=300),
            "phone": st.one_of(st.just(""), st.text(max_size=30), st.from_regex(r"0[0-9]{9}", fullmatch=True)),
            "situation": st.text(max_size=1200),
            "ward": st.one_of(st.just(""), st.integers().map(str), st.text(max_size=5)),
        }
    )
)
def test_whatever_is_typed_the_form_saves_a_clean_report_or_says_why_and_never_fails(client, campaign, data):
    MissedReport.objects.all().delete()
    response = client.post(url(campaign), {k: v.replace("\x00", "") for k, v in data.items()})
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        stored = MissedReport.objects.get()
        assert stored.name and stored.name == stored.name.strip()
        assert stored.phone == "" or (len(stored.phone) == 10 and stored.phone.isdigit())
    else:
        assert not MissedReport.objects.exists()
