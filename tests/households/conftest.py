"""Fixtures of the ward officer's pages: a hand-out already recorded, and the fields a hand-out form posts."""

import uuid

import pytest

from households.hand_outs import distribution_record


def hand_out_data(campaign, **extra):
    """What the hand-out button posts: the campaign and a fresh one-time key, plus any typed fields."""
    return {"campaign": campaign.pk, "request_key": str(uuid.uuid4()), **extra}


@pytest.fixture
def hand_out_a(stocked, household_a, officer_a):
    """Ward A's officer handed household A a bag today."""
    return distribution_record(household=household_a, campaign=stocked, recorded_by=officer_a)
