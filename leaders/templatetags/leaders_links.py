"""Links of the leaders' pages that a page repeats for every ward."""

from functools import lru_cache

from django import template
from django.urls import get_script_prefix, reverse

register = template.Library()


@lru_cache(maxsize=4096)
def _ward_path(prefix, pk):
    return reverse("leaders:ward", args=[pk])


@register.filter
def ward_page(ward):
    """The path of ``ward``'s page for leaders. A ward's path never changes while the process runs (the URLs and the
    prefix the app is served under are fixed), so it is reversed once: ``reverse`` matches the URL patterns on
    every call, and the dashboard links every ward twice."""
    return _ward_path(get_script_prefix(), ward.pk)
