"""Form fields shared by the apps' forms."""

from django import forms
from django.core.exceptions import ValidationError

from .text import clean_text


class SearchField(forms.CharField):
    """A search box. Its words are cleaned by ``clean_text``: a NUL byte or a zero-width space pasted or sent in a
    query string is dropped, not refused and not sent to the database, so the search finds what the words name."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault("error_messages", {"max_length": "Từ khóa tìm kiếm dài quá 100 ký tự."})
        super().__init__(**kwargs)

    def to_python(self, value):
        return clean_text(super().to_python(value))


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """Records chosen by id; an id that is not a small whole number is refused before it reaches the database.

    Django sends the ids to an ``IN`` query, and SQLite raises OverflowError (a server error) on a number past
    64 bits: a mangled or hostile form must get the field's message instead.
    """

    default_error_messages = {"invalid_pk_value": "Mã “%(pk)s” không hợp lệ."}

    def clean(self, value):
        for pk in value or []:
            if not (str(pk).isdigit() and len(str(pk)) < 10):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super().clean(value)
