"""Names folded so that every spelling of a Moroccan name finds the same person.

Three layers, each a pure function that never fails on any text:

- `normalize_arabic`: the Arabic letters without diacritics, tatweel, hamza and
  alef variants, ta marbuta (ة→ه) and alef maqsura (ى→ي);
- `fold_latin`: lower case, no accents, separators made spaces;
- `phonetic_key`: a consonant skeleton in one small alphabet, the same for the
  Arabic and the Latin spellings of a name: محمد, Mohamed, Mohammed and Mhamed
  all give `mhmd`. Vowels are dropped (Arabic does not write short vowels), the
  letters that transliterations confuse share a class (ح/ه→h, ق/ك/خ→k, ش/ch→x…),
  doubled letters collapse, a final h goes (Abdellah/عبد الله, Salah/صلاح).

`name_keys` is what the search index holds for a registrant (the register's models
compute it on save); `query_keys` is what a typed query is turned into. Text processing
only, knowing no app: it lives in core so that the register need not import the search.
See docs/search.md.
"""

import functools
import re
import unicodedata

# Harakat, tanween, shadda, sukun, superscript alef, Quranic marks, and tatweel.
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_LETTERS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ٲ": "ا",
        "ٳ": "ا",
        "ى": "ي",
        "ی": "ي",
        "ې": "ي",
        "ئ": "ي",
        "ؤ": "و",
        "ء": "",
        "ة": "ه",
        "ۀ": "ه",
        "ک": "ك",
        "ڪ": "ك",
        "گ": "ڭ",
        "ڨ": "ڭ",
        "ڤ": "ف",
        "ڥ": "ف",
        "پ": "ب",
        "چ": "ش",
        **{0x0660 + i: str(i) for i in range(10)},
        **{0x06F0 + i: str(i) for i in range(10)},
    }
)
# Letters that plain accent stripping leaves alone.
_LATIN_LETTERS = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "ł": "l", "ı": "i", "þ": "th"}
)
_NOT_WORD = re.compile(r"[\W_]+")
# An apostrophe joins (M'barek, M'hamed are one word).
_APOSTROPHES = re.compile("['’‘ʼ`´]")
# Abbreviations of civil-status practice.
_ABBREVIATIONS = {"med": "mohamed", "mly": "moulay"}
# Ta marbuta after alef is pronounced t: حياة is Hayat, نجاة is Najat.
_TA_MARBUTA_T = re.compile("اة(?=\\W|$)")
_MAX_LENGTH = 500


def _clean(text: object) -> str:
    if not isinstance(text, str):
        return ""
    # Long inputs are cut, not refused: a search box must never fail.
    return text[:_MAX_LENGTH]


def normalize_arabic(text: str) -> str:
    """Arabic letters in one canonical form, words separated by single spaces."""
    text = _ARABIC_MARKS.sub("", _clean(text)).translate(_ARABIC_LETTERS)
    return _NOT_WORD.sub(" ", text).strip()


def _fold_once(text: str) -> str:
    text = normalize_arabic(_APOSTROPHES.sub("", text)).casefold().translate(_LATIN_LETTERS)
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in decomposed if not unicodedata.combining(c))
    text = unicodedata.normalize("NFC", text).translate(_LATIN_LETTERS)
    return _NOT_WORD.sub(" ", _APOSTROPHES.sub("", text)).strip()


def fold_latin(text: str) -> str:
    """Lower case, without accents, words separated by single spaces (Arabic kept)."""
    return _fold(_clean(text))


# Names repeat: a search re-ranks hundreds of candidates bearing a few hundred names.
@functools.lru_cache(maxsize=16_384)
def _fold(text: str) -> str:
    # Decomposing can make new capitals, separators or Arabic letter forms (ᴬ, ¼, ﻷ):
    # folded again until nothing changes (twice or three times at most in practice).
    for _ in range(5):
        folded = _fold_once(text)
        if folded == text:
            break
        text = folded
    return text


# Consonant classes. Letters absent from both tables (vowels, ع, ا, و, ي, w, y)
# carry no consonant: French transliterations write و as "ou" or "w", ي as "i"
# or "y", and ع as a vowel or nothing.
_ARABIC_CLASSES = {
    "ب": "b",
    "ت": "t",
    "ث": "t",
    "ط": "t",
    "ج": "j",
    "ح": "h",
    "ه": "h",
    "خ": "k",
    "ق": "k",
    "ك": "k",
    "د": "d",
    "ذ": "d",
    "ض": "d",
    "ظ": "d",
    "ر": "r",
    "ز": "z",
    "س": "s",
    "ص": "s",
    "ش": "x",
    "غ": "g",
    "ڭ": "k",
    "ف": "f",
    "ل": "l",
    "م": "m",
    "ن": "n",
}
# Latin spellings, longest first. "c" is s before e/i/y (Lahcen, Houcine), k elsewhere.
_LATIN_CLASSES = [
    ("sch", "x"),
    ("ch", "x"),
    ("dj", "j"),
    ("gh", "g"),
    ("ph", "f"),
    ("ck", "k"),
    ("ce", "s"),
    ("ci", "s"),
    ("cy", "s"),
    ("c", "k"),
    ("q", "k"),
    ("k", "k"),
    # Spanish-era spellings of the north write ش as x (Xauen).
    ("x", "x"),
    ("b", "b"),
    ("p", "b"),
    ("t", "t"),
    ("j", "j"),
    ("h", "h"),
    ("d", "d"),
    ("r", "r"),
    ("z", "z"),
    ("s", "s"),
    # Moroccan names write ق and ك as g (Regragui, Chergaoui, Aznag).
    ("g", "k"),
    ("f", "f"),
    ("v", "f"),
    ("l", "l"),
    ("m", "m"),
    ("n", "n"),
    # Arabic chat alphabet ("3abdelhak", "7assan").
    ("7", "h"),
    ("9", "k"),
    ("5", "k"),
    ("8", "g"),
]
_CLASS_OF = {**dict(_LATIN_CLASSES), **_ARABIC_CLASSES}
_LETTERS = re.compile(
    "|".join(re.escape(spelling) for spelling, _ in _LATIN_CLASSES)
    + "|["
    + "".join(_ARABIC_CLASSES)
    + "]"
)
# Applied to the classes of both scripts alike, so that a consonant followed by h
# reads the same whether the h is a letter of a digraph (Othmane, Khalid, Hicham's
# "sh" spelling) or a letter of its own (عثمان, فتحي/Fathi, أدهم/Adham).
_DIGRAPHS = re.compile("th|dh|kh|gh|sh")
_DIGRAPH_CLASS = {"th": "t", "dh": "d", "kh": "k", "gh": "g", "sh": "x"}
_REPEATS = re.compile(r"(.)\1+")
# The key of a name without any consonant (Aya, آية): never empty, never a consonant.
VOWELS_ONLY = "a"


def _classes(word: str) -> str:
    """The consonant classes of one word, its digraphs read."""
    # A final ة (or ه) is silent inside a name too: فاطمة الزهراء is Fatimazahra.
    if len(word) > 1:
        word = word.removesuffix("ه")
    classes = _REPEATS.sub(r"\1", "".join(_CLASS_OF[m.group()] for m in _LETTERS.finditer(word)))
    # Within a word only: "Ait Hammou" is not "Athmou".
    return _DIGRAPHS.sub(lambda match: _DIGRAPH_CLASS[match.group()], classes)


def _skeleton(classes: str) -> str:
    collapsed = _REPEATS.sub(r"\1", classes)
    # A final h is silent in Latin spellings (Abdellah, Salah, Fatimah) and ة/ه
    # ends many Arabic names: dropped in both scripts.
    return collapsed.removesuffix("h") or VOWELS_ONLY


def phonetic_key(text: str) -> str:
    """The consonant skeleton of a name (all its words together), whatever its script."""
    return _skeleton("".join(_classes(word) for word in _words(text)))


# Words that belong to the next one: "Abd El Haq" is one name, like Abdelhaq and
# عبد الحق; "Ait Ali", "Ben Ali", "Bou Ali" are family names written in one or two words.
_PARTICLES = frozenset(
    {
        "abd",
        "abdel",
        "abdal",
        "abdul",
        "abdoul",
        "el",
        "al",
        "ul",
        "es",
        "er",
        "et",
        "ed",
        "ez",
        "en",
        "ech",
        "ben",
        "bel",
        "bin",
        "ibn",
        "bou",
        "abou",
        "abu",
        "ait",
        "id",
        "ould",
        "ou",
        "او",
        "oulad",
        "ouled",
        "عبد",
        "ال",
        "بن",
        "ابن",
        "بو",
        "ابو",
        "ايت",
        "اد",
        "ولد",
        "اولاد",
    }
)
# Articles stand alone in Latin ("El Houssaine") and are written or not ("Houssaine").
# Assimilated, the article takes the next consonant: "Es-Saidi", "Er-Rachidi".
_ARTICLES = frozenset({"el", "al", "ul", "es", "er", "et", "ed", "ez", "en", "ech", "ال"})
# In Arabic the article is always written but often not transliterated: الحسين is
# Lahcen and Houssaine, عبد الرحمن is Abderrahmane (assimilated) and Abdelrahman.
_ARABIC_ARTICLE = re.compile("^((?:عبد|ابن|ابو|بن|بو|ايت)?)ال(?=..)")


def _words(text: str) -> list[str]:
    text = fold_latin(_TA_MARBUTA_T.sub("ات", _clean(text)))
    return [_ABBREVIATIONS.get(word, word) for word in text.split()]


def _compounds(words: list[str]) -> list[list[str]]:
    """The words grouped into names: each particle joined to the word after it."""
    groups: list[list[str]] = []
    current: list[str] = []
    for word in words:
        current.append(word)
        if word not in _PARTICLES:
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def _alternatives(group: list[str]) -> set[str]:
    """The keys of one name, with and without its articles."""
    without_articles = [
        _ARABIC_ARTICLE.sub(r"\1", word) for word in group if word not in _ARTICLES
    ] or group
    return {phonetic_key(" ".join(group)), phonetic_key(" ".join(without_articles))}


def _written_as_one(group: list[str]) -> set[str]:
    """The keys of a name of several words written as one word (Aitouahmane)."""
    if len(group) < 2:
        return set()
    without_articles = [word for word in group if word not in _ARTICLES]
    return {phonetic_key("".join(group)), phonetic_key("".join(without_articles or group))}


def name_keys(*names: str) -> str:
    """The phonetic keys of names for the search index, space-separated, sorted.

    Each name gives the keys of its compounds (with and without articles) and of
    their parts, so that "Ait", "Ait Ali" and "Aitali" all find أيت علي.
    """
    keys: set[str] = set()
    for name in names:
        words = _words(name)
        groups = _compounds(words)
        for group in groups:
            keys |= _alternatives(group) | _written_as_one(group)
            if len(group) > 1:
                keys.update(phonetic_key(word) for word in group if word not in _ARTICLES)
        if len(groups) > 1:
            # Written in one word too: Fatimazahra, Noureddine (نور الدين).
            keys |= _alternatives(words) | _written_as_one(words)
    return " ".join(sorted(keys))


def query_keys(text: str) -> list[set[str]]:
    """What a typed query asks: one set of alternative keys per name, all required."""
    return [_alternatives(group) for group in _compounds(_words(text))]


def name_text(*names: str) -> str:
    """The names folded (Latin) and normalised (Arabic), for re-ranking candidates."""
    return " ".join(filter(None, (fold_latin(name) for name in names)))
