"""Numbers the Vietnamese way: 1.000.000 ₫, 22/08/2021."""

from django import template
from django.utils.html import format_html

register = template.Library()


def format_vnd(amount):
    """Whole đồng with dots between thousands and the ₫ sign: 49000000 → "49.000.000 ₫"."""
    if amount is None or amount == "":
        return ""
    amount = int(amount)
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(amount):,} ₫".replace(",", ".")


def format_count(number):
    """A count with dots between thousands: 16000 → "16.000"."""
    if number is None or number == "":
        return ""
    return f"{int(number):,}".replace(",", ".")


def show_vnd(amount):
    """An amount on a page: ``format_vnd`` in a ``money`` span, which the stylesheet keeps on one line, so "₫"
    never stands alone on the next line of a narrow column."""
    text = format_vnd(amount)
    return format_html('<span class="money">{}</span>', text) if text else ""


register.filter("vnd", show_vnd)
register.filter("count", format_count)
