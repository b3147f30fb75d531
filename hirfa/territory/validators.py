import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Tifinagh letters (U+2D30-U+2D7F) with the spaces and punctuation a name may hold:
# name_zgh is the Tamazight name as written in Tifinagh, never a transliteration.
TIFINAGH_NAME = re.compile(r"[\u2d30-\u2d7f]+(?:[ \-'’.][\u2d30-\u2d7f]+)*")


def validate_tifinagh(value: str) -> None:
    if value and not TIFINAGH_NAME.fullmatch(value):
        raise ValidationError(
            _("Write the Tamazight name in Tifinagh letters only."), code="not_tifinagh"
        )
