"""One way to catch a repeated submission: the form's one-time key, kept in a unique column.

A form carries a new key each time it is shown; the record it creates stores that key in its ``submission_key``
column, which the database keeps unique. A double click, a resubmitted form or two app servers racing therefore
meet the earlier record instead of making a second one. Donations, reversals, allocation plans, recalls and
household import jobs go through ``submit_once``. A hand-out (``households.hand_outs``) reads its earlier record in
the statement that locks the household, so it asks only ``repeat_answered`` what a key seen before means.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

REUSED_KEY = "Biểu mẫu này đã được dùng cho một khoản khác. Hãy tải lại trang rồi thử lại."


def repeat_answered(earlier, same, *, message=REUSED_KEY):
    """The answer to a submission whose key ``earlier`` already carries: ``earlier`` when ``same(earlier)`` says it
    answers this very submission (a double click, a retry), else refused with ``message``: the key was spent on
    another request, so the form is stale or copied."""
    if not same(earlier):
        raise ValidationError(message)
    return earlier


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
            return repeat_answered(earlier, same), False
    try:
        with transaction.atomic():
            return create(), True
    except IntegrityError:
        earlier = model.objects.filter(submission_key=key).first() if key is not None else None
        if earlier is None:
            raise
        return repeat_answered(earlier, same), False
