"""Records of ward A and of the district that the trust tests point every URL at."""

import pytest
from django.forms import MultiWidget

from donations.models import BagFunding, Donation
from households.hand_outs import distribution_record
from households.models import ImportJob
from households.reports import report_missed
from relief.models import Allocation, Bag
from relief.services import ward_request_create, write_off_propose
from tests.conftest import client_for


@pytest.fixture
def world(stocked, ward_a, household_a, household_b, officer_a, staff, donor):
    """One of everything, owned by ward A or the district, with the id each URL needs."""
    distribution = distribution_record(household=household_a, campaign=stocked, recorded_by=officer_a)
    ward_request = ward_request_create(
        campaign=stocked, ward=ward_a, quantity=3, reason="Thiếu túi cho hộ mới", created_by=officer_a
    )
    spare_bag = Bag.objects.filter(ward=ward_a, state=Bag.State.ALLOCATED).first()
    return {
        "household": household_a,
        "distribution": distribution,
        "bag": distribution.bag,
        "spare_bag": spare_bag,
        "report": report_missed(
            campaign=stocked,
            ward=ward_a,
            name="Trần Văn Tư",
            staying_at="Gầm cầu Chữ Y",
            created_by=staff,
            channel="phone",
        ),
        "write_off": write_off_propose(bag=spare_bag, reason="Rách bao, gạo đổ", proposed_by=officer_a),
        "ward_request": ward_request,
        "donation": Donation.objects.get(campaign=stocked),
        "donor": donor,
        "campaign": stocked,
        "ward": ward_a,
        "allocation": Allocation.objects.filter(ward=ward_a).first(),
        "funding": BagFunding.objects.filter(bag=distribution.bag).first(),
        "officer": officer_a,
        "import_job": ImportJob.objects.create(
            started_by=staff, district=staff.district, suffix=".csv", status=ImportJob.Status.DONE, imported=2
        ),
    }


@pytest.fixture
def personas(client, officer_a, officer_b, staff, leader, administrator):
    """Every kind of visitor, by the short name the expectation tables use."""
    return {
        "anon": client,
        "A": client_for(officer_a),
        "B": client_for(officer_b),
        "S": client_for(staff),
        "L": client_for(leader),
        "X": client_for(administrator),
    }


def form_body(response, instance=None):
    """A POST body that re-sends what an admin form page shows: its form's values and its inlines' management data.

    Built from the page's own form, so a POST with it is valid wherever the page would save: a refusal then proves
    a rule, not a malformed body. With ``instance``, the page's (add) form is filled from that record instead.
    """
    context = response.context
    adminform = context.get("adminform") if context is not None else None
    if adminform is None:
        return {}
    form = adminform.form if instance is None else type(adminform.form)(instance=instance)
    body = {}
    for bound in form:
        value = bound.value()
        if value is None or value is False:
            continue
        widget = bound.field.widget
        if isinstance(widget, MultiWidget):  # the admin's date and time boxes of one datetime
            parts = value if isinstance(value, list) else widget.decompress(value)
            for index, (part, box) in enumerate(zip(parts, widget.widgets, strict=True)):
                body[f"{bound.html_name}_{index}"] = box.format_value(part) or ""
        elif value is True:
            body[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            body[bound.html_name] = [str(getattr(item, "pk", item)) for item in value]
        else:
            body[bound.html_name] = str(getattr(value, "pk", value))
    for inline in context.get("inline_admin_formsets") or ():
        management = inline.formset.management_form
        body.update({field.html_name: field.value() for field in management})
    return body
