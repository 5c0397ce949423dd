"""Pages go out compressed to browsers that accept gzip, with Django's mitigations of BREACH on every response."""

import gzip

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_ward_register_is_sent_compressed_to_a_browser_that_accepts_gzip(officer_a_client, household_a):
    response = officer_a_client.get(reverse("ward:households"), HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    page = gzip.decompress(response.content).decode()
    assert household_a.head_name in page
    assert len(response.content) < len(page) / 2


def test_a_browser_that_does_not_accept_gzip_gets_the_page_as_it_is(officer_a_client, household_a):
    response = officer_a_client.get(reverse("ward:households"))

    assert not response.has_header("Content-Encoding")
    assert household_a.head_name in response.text


def test_two_compressed_answers_to_the_same_request_differ_in_length_and_csrf_token(officer_a_client, household_a):
    """BREACH reads a secret from the compressed length across many requests: the CSRF token is masked anew in
    each response and GZipMiddleware adds random padding, so the same request gives different bodies and lengths."""
    url = reverse("ward:households")
    bodies = [officer_a_client.get(url, HTTP_ACCEPT_ENCODING="gzip").content for _ in range(6)]

    assert len({len(body) for body in bodies}) > 1
    tokens = {gzip.decompress(body).decode().split('name="csrfmiddlewaretoken" value="')[1][:64] for body in bodies}
    assert len(tokens) == len(bodies)
