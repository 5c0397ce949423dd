"""Template helpers of the ward officer's pages."""

import uuid

from django import template

from households.models import Household
from relief.text import mask_national_id, mask_phone

register = template.Library()


@register.simple_tag
def one_time_key():
    """A fresh UUID for a hand-out form: each rendered form is recorded at most once, however often it is sent."""
    return uuid.uuid4()


@register.filter
def masked_id(value):
    """A CCCD with all but its last three digits hidden, for lists a queue can read over the officer's shoulder."""
    return mask_national_id(value)


@register.filter
def masked_phone(value):
    return mask_phone(value)


@register.simple_tag
def can_hand_out(household, campaign, just_done=None):
    """Whether to offer the hand-out button; the service still decides, this only spares a wrong tap.

    Never on the card that confirms a hand-out (``just_done``): a second tap there is the accident to avoid, and a
    further bag in a campaign that allows several starts from a fresh list. Never to a household that holds the
    campaign's limit of bags: ``bags_received`` is counted by the query that fed the list.
    """
    if just_done or campaign is None or not campaign.is_open or household.status != Household.Status.APPROVED:
        return False
    return household.bags_received < campaign.household_limit
