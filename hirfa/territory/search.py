"""Folding names so that a search finds them however they are typed.

People type "fes" for Fès, "ait melloul" for Aït-Melloul, and Arabic without
hamza or with a final ه for ة. SQLite compares case only for ASCII letters, so
the folding is done once in Python and stored, not left to the database.
"""

import re
import unicodedata

_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_LETTERS = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ئ": "ي", "ؤ": "و", "ة": "ه"}
)
_SEPARATORS = re.compile(r"[\s\-'’‘`ʼ_]+")


def fold(text: str) -> str:
    """Lower-case, without accents or Arabic diacritics, separators made spaces."""
    text = _ARABIC_MARKS.sub("", text).translate(_ARABIC_LETTERS)
    decomposed = unicodedata.normalize("NFKD", text)
    # Accents go with the marks they decompose into. Control characters go too:
    # PostgreSQL refuses a NUL in a query.
    text = "".join(
        c
        for c in decomposed
        if c.isspace()
        or (not unicodedata.combining(c) and unicodedata.category(c) not in ("Cc", "Cf"))
    )
    text = unicodedata.normalize("NFC", text).casefold()
    return _SEPARATORS.sub(" ", text).strip()


def search_key(code: str, name_ar: str, name_fr: str) -> str:
    # A folded query has no line breaks, so it can never match across two fields.
    return "\n".join([code, fold(name_fr), fold(name_ar)])
