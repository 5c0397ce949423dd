"""Form fields shared by the apps' forms."""

from django import forms
from django.core.exceptions import ValidationError


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
