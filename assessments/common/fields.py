"""Form fields for a choice of rows by id that refuse an id no database row can have.

Django's model choice fields look a sent id up as it is; a number past the largest bigint
then fails inside the database driver (SQLite raises OverflowError) instead of being an
invalid choice. These refuse it first, with the field's own message.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from assessments.common.converters import MAX_ID


def _check_in_range(field: forms.Field, values) -> None:
    for item in values:
        try:
            number = int(str(item).strip())
        except ValueError:
            continue  # not a number: the field's own lookup refuses it
        if abs(number) > MAX_ID:
            raise ValidationError(
                field.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": item},
            )


class IdModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values:
            _check_in_range(self, [value])
        return super().to_python(value)


class IdModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def clean(self, value):
        if isinstance(value, list | tuple):
            _check_in_range(self, value)
        return super().clean(value)
