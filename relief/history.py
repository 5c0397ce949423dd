"""A record's history as a person reads it on the record's page: who, when, and each field's old and new value.

The values come from django-simple-history's ``diff_against``; this module only turns them into words (Vietnamese
field labels, choice labels, names instead of ids, dates as 22/08/2021) and masks personal numbers, so a history
section never shows a full national ID or phone that the page itself keeps masked.
"""

import datetime
import functools
from dataclasses import dataclass, field

from django.db import connections, models, router
from django.utils import timezone

from .text import mask_national_id, mask_phone


@functools.cache
def history_of(model):
    """``model.history``, made once. django-simple-history builds a new manager class on every access (with
    ``inspect`` over the queryset's methods), work the busiest request should not repeat; the manager keeps no
    state of its own, so one per model serves every request."""
    return model.history


def history_columns(model, connection):
    """``(table, tracked, extra)``: the quoted name of ``model``'s history table, the columns it copies from the
    model's table, and its own four columns (when, change reason, kind, user), each list joined with commas."""
    historical = history_of(model).model
    quote = connection.ops.quote_name
    tracked = ", ".join(quote(field.column) for field in historical.tracked_fields)
    extra = [historical._meta.get_field(name) for name in HISTORY_FIELDS]
    return quote(historical._meta.db_table), tracked, ", ".join(quote(field.column) for field in extra)


HISTORY_FIELDS = ("history_date", "history_change_reason", "history_type", "history_user")


def copy_to_history(model, pk, *, user, kind):
    """Write the history row of ``model``'s row ``pk`` as it stands now (``kind`` "+" created, "~" changed, by
    ``user``, now), the row django-simple-history's ``save`` would write, in one ``INSERT … SELECT`` from the row.

    For the hand-out, which moves a bag and records a hand-out in every request: the database copies the row it
    already holds, where simple-history would build the history object field by field in Python.
    """
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    table, tracked, extra = history_columns(model, connection)
    when = history_of(model).model._meta.get_field("history_date").get_db_prep_value(timezone.now(), connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({tracked}, {extra}) SELECT {tracked}, %s, %s, %s, %s"
            f" FROM {quote(model._meta.db_table)} WHERE {quote(model._meta.pk.column)} = %s",
            [when, "", kind, user.pk if user else None, pk],
        )


KINDS = {"+": "Tạo", "~": "Sửa", "-": "Xóa"}
# Numbers that identify a person: the full value appears only through the recorded reveal, never in a history.
MASKS = {"national_id": mask_national_id, "phone": mask_phone}  # a household's personal numbers
# What a history shows masked: a household's numbers and a missed-household report's phones.
MASKED_IN_HISTORY = {**MASKS, "reporter_phone": mask_phone}
EMPTY = "—"


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class Change:
    when: datetime.datetime
    who: str
    kind: str
    fields: list = field(default_factory=list)


def record_history(record, *, fields=None, limit=50):
    """The last ``limit`` changes to ``record``, newest first, each with its changed ``fields`` in words.

    ``fields`` defaults to every field the history tracks and a person can set, in the model's order. The
    queries do not grow with the history: its rows with their users, the rows of the many-to-many fields shown,
    then one query per related model to name the ids that changed.
    """
    model = type(record)
    fields = list(fields or _tracked_fields(model))
    m2m = [name for name in fields if model._meta.get_field(name).many_to_many]
    history = record.history.select_related("history_user").order_by("-history_date", "-history_id")
    rows = list(history[: limit + 1])  # one more than shown: the state before the oldest change shown
    related_ids = {name: _m2m_ids(model, name, rows) for name in m2m}
    plain = [name for name in fields if name not in m2m]
    diffs = []
    for row, previous in zip(rows[:limit], [*rows[1:], None], strict=False):
        changes = []
        if previous is not None and row.history_type == "~":
            delta = row.diff_against(previous, included_fields=plain)
            changes = [(change.field, change.old, change.new) for change in delta.changes]
            for name, ids in related_ids.items():
                old, new = ids.get(previous.pk, []), ids.get(row.pk, [])
                if old != new:
                    changes.append((name, old, new))
        diffs.append((row, sorted(changes, key=lambda change: fields.index(change[0]))))
    names = _names(model, [change for _, changes in diffs for change in changes])

    def in_words(name, old, new):
        return FieldChange(_label(model, name), _show(model, name, old, names), _show(model, name, new, names))

    return [
        Change(row.history_date, _who(row.history_user), KINDS[row.history_type], [in_words(*c) for c in changes])
        for row, changes in diffs
    ]


def _tracked_fields(model):
    tracked = {tracked_field.name for tracked_field in model.history.model.tracked_fields}
    return [f.name for f in model._meta.concrete_fields if f.name in tracked and f.editable and not f.primary_key]


def _who(user):
    return (user.get_full_name() or user.username) if user else "hệ thống"


def _label(model, name):
    label = str(model._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


def _m2m_ids(model, name, rows):
    """``{history id: related ids}`` of a many-to-many field for every row, in one query, in the related order."""
    if not rows:
        return {}
    target = model._meta.get_field(name).m2m_reverse_field_name()
    lines = getattr(rows[0], name).model.objects.filter(history__in=rows).order_by(target)
    ids = {}
    for history_id, related_id in lines.values_list("history_id", f"{target}_id"):
        ids.setdefault(history_id, []).append(related_id)
    return ids


def _names(model, changes):
    """``{(related model, id): str}`` for every id that a foreign key or many-to-many change refers to."""
    wanted = {}
    for name, old, new in changes:
        model_field = model._meta.get_field(name)
        if model_field.is_relation:
            values = [*(old or []), *(new or [])] if model_field.many_to_many else [old, new]
            wanted.setdefault(model_field.related_model, set()).update(v for v in values if v is not None)
    names = {}
    for related, ids in wanted.items():
        for obj in related._default_manager.filter(pk__in=ids):
            names[related, obj.pk] = str(obj)
    return names


def _show(model, name, value, names):
    model_field = model._meta.get_field(name)
    if value is None or value == "" or value == []:
        return EMPTY
    if name in MASKED_IN_HISTORY:
        return MASKED_IN_HISTORY[name](value)
    if model_field.many_to_many:
        return ", ".join(names.get((model_field.related_model, pk), f"#{pk}") for pk in value)
    if model_field.is_relation:
        return names.get((model_field.related_model, value), f"#{value}")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return "Có" if value else "Không"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)
