"""The words a page uses for the organizing unit and its receiving units, taken from their levels.

A page written for Quận 5 said "quận" and "phường"; the same page for Phường Mẫu must say "phường" and "khu phố".
Templates read ``words.org`` and ``words.unit`` (lowercase; ``|capfirst`` at the start of a sentence). The context
processor gives the signed-in person's own units, read only when a page prints a word; a page about one campaign
passes ``UnitWords(campaign.district)`` instead.
"""

from functools import cached_property

from django.utils.functional import SimpleLazyObject

ORGANIZER_FALLBACK = "đơn vị tổ chức"
UNIT_FALLBACK = "đơn vị nhận"


class UnitWords:
    """``unit``, when given, is the one receiving unit the page is about (an officer's own)."""

    def __init__(self, organizer, unit=None):
        self.organizer = organizer
        self.one_unit = unit

    @cached_property
    def org(self):
        """The organizing unit's level: "quận", "thành phố", "phường"."""
        return self.organizer.level_word if self.organizer else ORGANIZER_FALLBACK

    @cached_property
    def unit(self):
        """Its receiving units' level: "phường", "khu phố", "thôn / ấp"."""
        if self.one_unit is not None:
            return self.one_unit.level_word
        return self.organizer.units_label.lower() if self.organizer else UNIT_FALLBACK


def words_for(user):
    """The words of a person's own units: an officer's unit and its organizer, or the organizing unit they work in
    (the page header has already read ``user.ward``); generic words for an administrator or a visitor."""
    if not user or not user.is_authenticated:
        return UnitWords(None)
    if user.ward_id:
        return UnitWords(user.district, unit=user.ward)
    return UnitWords(user.district)


def unit_words(request):
    """``words`` for every template, computed at the first word a page prints (no query on pages without one)."""
    user = getattr(request, "user", None)
    return {"words": SimpleLazyObject(lambda: words_for(user))}
