"""The dashboard's filter form draws its selects and inputs in Python (leaders.forms.QuickSelect, QuickInput) and
reads its choices once: the same HTML Django's widget templates draw, escaped the same way, without a query per
select."""

import datetime
import re

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leaders.forms import DashboardFilterForm, QuickDateInput, QuickHiddenInput, QuickSelect
from leaders.templatetags.leaders_links import ward_page
from relief.models import Campaign, scope_of

pytestmark = pytest.mark.django_db


def attributes(html):
    """The tag's name and its attributes as a set, whatever their order."""
    tag = re.match(r"<(\w+)", html).group(1)
    return tag, set(re.findall(r'(\w[\w-]*)(?:="([^"]*)")?', html[len(tag) + 1 : html.index(">")]))


def test_a_quick_input_draws_what_djangos_template_draws_in_any_attribute_order():
    attrs = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "id": "id_date_from", "required": True}
    value = datetime.date(2021, 8, 22)

    quick = QuickDateInput(format="%d/%m/%Y").render("date_from", value, attrs)
    django = forms.DateInput(format="%d/%m/%Y").render("date_from", value, attrs)

    assert attributes(quick) == attributes(django)
    assert 'value="22/08/2021"' in quick and " required" in quick


def test_a_quick_hidden_input_escapes_its_value():
    html = QuickHiddenInput().render("sort", '"><script>alert(1)</script>')
    assert "<script>" not in html and "&quot;&gt;&lt;script&gt;" in html


def test_a_quick_select_escapes_the_labels_and_marks_the_chosen_choice():
    widget = QuickSelect(choices=[("", "(tất cả)"), ("1", "Quận <5> & Co"), ("2", "Quận 6")])

    html = widget.render("district", "1", {"id": "id_district"})

    assert html.startswith('<select name="district" id="id_district">')
    assert '<option value="1" selected>Quận &lt;5&gt; &amp; Co</option>' in html
    assert '<option value="2">Quận 6</option>' in html and html.count("selected") == 1


def test_the_form_reads_its_campaigns_and_districts_once_however_often_it_is_drawn(leader, campaign):
    Campaign.objects.create(code="Q5-2022", name="Đợt hai", district=campaign.district, is_open=False)
    scope_of(leader)  # the leader's reach, read once per request
    with CaptureQueriesContext(connection) as queries:
        form = DashboardFilterForm({}, user=leader)
        filters = form.filters()
        for _ in range(3):
            str(form["campaign"]), str(form["district"])

    assert len(queries) == 2  # the campaigns in scope, the districts in scope
    assert filters.campaign == campaign  # the open one before the closed one


def test_the_default_campaign_is_the_newest_open_one_and_a_campaign_without_a_start_counts_as_oldest(leader, campaign):
    Campaign.objects.create(code="Q5-X", name="Không ngày", district=campaign.district)
    newer = Campaign.objects.create(
        code="Q5-2022", name="Đợt hai", district=campaign.district, starts_on=datetime.date(2022, 1, 1)
    )
    assert DashboardFilterForm({}, user=leader).filters().campaign == newer


def test_a_wards_link_is_the_path_reverse_gives(ward_a, ward_b):
    for ward in (ward_a, ward_b, ward_a):
        assert ward_page(ward) == reverse("leaders:ward", args=[ward.pk])
