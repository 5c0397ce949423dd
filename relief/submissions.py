"""One way to catch a repeated submission: the form's one-time key, kept in a unique column.

A form carries a new key each time it is shown; the record it creates stores that key in its ``submission_key``
column, which the database keeps unique. A double click, a resubmitted form or two app servers racing therefore
meet the earlier record instead of making a second one. Donations, reversals and allocations all go through
``submit_once``.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

REUSED_KEY = "Biểu mẫu này đã được dùng cho một khoản khác. Hãy tải lại trang rồi thử lại."


def _answer(earlier, same):
    if not same(earlier):
        raise ValidationError(REUSED_KEY)
    return earlier, False


def submit_once(model, *, key, same, create):
    """Run ``create`` once per ``key``; return ``(record, created)``.

    ``create`` makes the ``model`` row carrying ``submission_key=key`` and whatever goes with it (a receipt number,
    bags, a new donor). It runs in a savepoint: when the unique column refuses the key because a simultaneous
    submission got there first, all of it is undone, so a repeat leaves no trace (no receipt number spent).
    ``same(earlier)`` says whether the earlier record answers this very submission; a key already spent on other
    content is a stale form, refused with a message. A ``key`` of None is no protection: ``create`` simply runs.
    Callers that number things hold the lock that serialises them first, so the look-up below sees a repeat that
    committed while they waited.
    """
    if key is not None:
        earlier = model.objects.filter(submission_key=key).first()
        if earlier is not None:
            return _answer(earlier, same)
    try:
        with transaction.atomic():
            return create(), True
    except IntegrityError:
        earlier = model.objects.filter(submission_key=key).first() if key is not None else None
        if earlier is None:
            raise
        return _answer(earlier, same)
