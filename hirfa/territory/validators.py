import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from hirfa.core.validators import TIFINAGH_CHARACTERS, is_tifinagh_script

# What a Tifinagh name may hold is core's rule; the territory adds its separators
# (space, hyphen, apostrophes, period), each standing alone between letters.
# name_zgh is the Tamazight name as written in Tifinagh, never a transliteration.
TIFINAGH_SEPARATORS = " -'’."
TIFINAGH_NAME = re.compile(
    rf"[{TIFINAGH_CHARACTERS}]+(?:[{re.escape(TIFINAGH_SEPARATORS)}][{TIFINAGH_CHARACTERS}]+)*"
)


def validate_tifinagh(value: str) -> None:
    if value and not (
        is_tifinagh_script(value, punctuation=TIFINAGH_SEPARATORS)
        and TIFINAGH_NAME.fullmatch(value)
    ):
        raise ValidationError(
            _("Write the Tamazight name in Tifinagh letters only."), code="not_tifinagh"
        )
