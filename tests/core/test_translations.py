"""The translation catalogues: the project's (hirfa/locale) and each app's own
(hirfa/<app>/locale, made with `makemessages` run inside the app's folder).

Arabic, French and Tamazight must be complete (Tamazight written in Tifinagh only: a code,
an address or an example in Latin letters goes in a placeholder); English is the source
language.
The .po files are read with a small reader of our own (standard library only).
"""

import gettext
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "hirfa" / "locale"
LOCALES = [LOCALE, *sorted(ROOT.glob("hirfa/*/locale"))]
LANGUAGES = ["ar", "zgh", "fr", "en"]
COMPLETE_LANGUAGES = ["ar", "fr", "zgh"]


def catalogues(languages):
    """(locale folder, language) pairs to run a test on, named like "register-ar"."""
    return pytest.mark.parametrize(
        ("locale", "language"),
        [(locale, language) for locale in LOCALES for language in languages],
        ids=lambda value: value.parent.name if isinstance(value, Path) else value,
    )


PLURAL_FORMS = {
    "ar": (
        "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 "
        ": n%100>=11 && n%100<=99 ? 4 : 5;"
    ),
    "zgh": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
    "en": "nplurals=2; plural=(n != 1);",
}
TIFINAGH = range(0x2D30, 0x2D80)

_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")$')
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
# printf-style placeholders of python-format messages, and template variables.
_PYTHON_PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?[a-zA-Z%]")
_TEMPLATE_PLACEHOLDER = re.compile(r"\{\{.*?\}\}")
_HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


@dataclass
class Entry:
    msgctxt: str | None = None
    msgid: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def translations(self) -> list[str]:
        return [self.msgstr[index] for index in sorted(self.msgstr)]

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.translations)


def _unquote(token: str, where: str) -> str:
    def unescape(match):
        try:
            return _ESCAPES[match.group(1)]
        except KeyError:
            raise ValueError(f"{where}: unknown escape \\{match.group(1)}") from None

    return re.sub(r"\\(.)", unescape, token[1:-1])


def read_po(path: Path) -> list[Entry]:
    """Every entry of a .po file, the header (msgid "") first; obsolete ones are left out."""
    entries: list[Entry] = []
    entry = Entry()
    target = None  # the field that continuation lines extend

    def finish():
        nonlocal entry, target
        if entry.msgid is not None:
            entries.append(entry)
        entry, target = Entry(), None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        where = f"{path}:{number}"
        line = raw.strip()
        if not line:
            finish()  # gettext separates entries with blank lines
        elif line.startswith("#~"):
            continue
        elif line.startswith("#"):
            if entry.msgstr:
                finish()
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(","))
            target = None
        elif line.startswith('"'):
            if target is None:
                raise ValueError(f"{where}: a string continues nothing")
            name, index = target
            text = _unquote(line, where)
            if name == "msgstr":
                entry.msgstr[index] += text
            else:
                setattr(entry, name, getattr(entry, name) + text)
        elif match := _KEYWORD.match(line):
            name, index, token = match.groups()
            if name in ("msgctxt", "msgid") and entry.msgstr:
                finish()
            text = _unquote(token, where)
            if name == "msgstr":
                target = (name, int(index or 0))
                entry.msgstr[target[1]] = text
            else:
                target = (name, None)
                setattr(entry, name, text)
        else:
            raise ValueError(f"{where}: cannot read {raw!r}")
    finish()
    return entries


def po_path(language: str, locale: Path = LOCALE) -> Path:
    return locale / language / "LC_MESSAGES" / "django.po"


def header(language: str, locale: Path = LOCALE) -> dict[str, str]:
    first = read_po(po_path(language, locale))[0]
    assert first.msgid == "", "the header entry must come first"
    lines = first.msgstr[0].splitlines()
    return dict(line.split(": ", 1) for line in lines if ": " in line)


def messages(language: str, locale: Path = LOCALE) -> list[Entry]:
    """The messages of a catalogue, without its header."""
    return [entry for entry in read_po(po_path(language, locale)) if entry.msgid]


def label(entry: Entry) -> str:
    return repr(entry.msgid) if entry.msgctxt is None else f"{entry.msgctxt!r}|{entry.msgid!r}"


def placeholders(text: str, python_format: bool) -> list[str]:
    """What a translation must carry over from its source: placeholders and markup."""
    found = _TEMPLATE_PLACEHOLDER.findall(text) + _HTML_TAG.findall(text)
    if python_format:
        found += [p for p in _PYTHON_PLACEHOLDER.findall(text) if p != "%%"]
    return sorted(found)


def test_the_po_reader_joins_multi_line_strings_and_reads_plurals_and_flags(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n\n'
        '#, fuzzy, python-format\nmsgid ""\n"Two "\n"lines \\"quoted\\""\nmsgstr "x"\n\n'
        'msgid "%(n)d file"\nmsgid_plural "%(n)d files"\nmsgstr[0] "%(n)d fichier"\n'
        'msgstr[1] ""\n"%(n)d fichiers"\n\n'
        '#~ msgid "gone"\n#~ msgstr "parti"\n',
        encoding="utf-8",
    )
    head, multi, plural = read_po(po)
    assert head.msgstr == {0: "Language: fr\n"}
    assert (multi.msgid, multi.flags) == ('Two lines "quoted"', {"fuzzy", "python-format"})
    assert plural.msgid_plural == "%(n)d files"
    assert plural.translations == ["%(n)d fichier", "%(n)d fichiers"]


@catalogues(LANGUAGES)
def test_each_catalogue_declares_its_language_and_plural_forms(locale, language):
    fields = header(language, locale)
    assert fields["Language"] == language
    assert fields["Content-Type"] == "text/plain; charset=UTF-8"
    assert fields["Plural-Forms"] == PLURAL_FORMS[language]


@catalogues(COMPLETE_LANGUAGES)
def test_the_arabic_french_and_tamazight_catalogues_translate_every_message(locale, language):
    nplurals = int(re.search(r"nplurals=(\d+)", header(language, locale)["Plural-Forms"])[1])
    untranslated = [
        label(entry)
        for entry in messages(language, locale)
        if not entry.translated
        or (entry.msgid_plural is not None and len(entry.msgstr) != nplurals)
    ]
    assert not untranslated, f"{len(untranslated)} untranslated in {language}: {untranslated}"


@catalogues(COMPLETE_LANGUAGES)
def test_the_arabic_french_and_tamazight_catalogues_keep_no_fuzzy_entry(locale, language):
    fuzzy = [label(e) for e in read_po(po_path(language, locale)) if "fuzzy" in e.flags]
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {language} (header is ''): {fuzzy}"


@catalogues(LANGUAGES)
def test_every_translation_keeps_the_placeholders_and_markup_of_its_source(locale, language):
    broken = []
    for entry in messages(language, locale):
        python_format = "python-format" in entry.flags
        source = placeholders(entry.msgid, python_format)
        if entry.msgid_plural is None:
            text = entry.msgstr.get(0, "")
            if text and placeholders(text, python_format) != source:
                broken.append(f"{label(entry)}: {text!r}")
            continue
        # A plural form may leave the number out ("one document", Arabic duals),
        # but never bring in what the source does not have.
        allowed = set(source) | set(placeholders(entry.msgid_plural, python_format))
        for index, text in entry.msgstr.items():
            if text and not set(placeholders(text, python_format)) <= allowed:
                broken.append(f"{label(entry)} [{index}]: {text!r}")
    assert not broken, "\n".join(broken)


def test_the_project_tamazight_catalogue_translates_something():
    assert any(entry.translated for entry in messages("zgh"))


@catalogues(["zgh"])
def test_the_tamazight_catalogues_write_their_translations_in_tifinagh_only(locale, language):
    translations = [
        (entry, text) for entry in messages(language, locale) for text in entry.translations if text
    ]
    foreign = []
    for entry, text in translations:
        # Placeholders and markup (<bdi dir="ltr">…) are not words of the language.
        bare = _HTML_TAG.sub("", _TEMPLATE_PLACEHOLDER.sub("", _PYTHON_PLACEHOLDER.sub("", text)))
        letters = {c for c in bare if unicodedata.category(c).startswith("L")}
        if outside := sorted(c for c in letters if ord(c) not in TIFINAGH):
            foreign.append(f"{label(entry)}: {text!r} has {''.join(outside)!r}")
    assert not foreign, "\n".join(foreign)


@catalogues(LANGUAGES)
def test_each_compiled_catalogue_holds_exactly_the_translations_of_its_po_file(locale, language):
    expected = {}
    for entry in messages(language, locale):
        if "fuzzy" in entry.flags or not any(entry.translations):
            continue  # msgfmt leaves these out
        key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            expected[key] = entry.msgstr[0]
        else:
            expected.update({(key, index): text for index, text in entry.msgstr.items()})
    mo = po_path(language, locale).with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run `hirfa compilemessages`"
    with mo.open("rb") as file:
        compiled = dict(gettext.GNUTranslations(file)._catalog)
    compiled.pop("", None)  # the header
    stale = sorted(map(str, set(expected.items()) ^ set(compiled.items())))
    assert not stale, f"{mo} differs from its .po: run `hirfa compilemessages`\n{stale[:20]}"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("ar", "تسجيل الدخول"), ("fr", "Se connecter"), ("zgh", "ⴽⵛⵎ"), ("en", "Log in")],
)
def test_log_in_is_said_in_the_active_language(language, expected):
    with translation.override(language):
        assert translation.gettext("Log in") == expected


def test_arabic_plurals_use_the_form_the_number_calls_for():
    plural = next(entry for entry in messages("ar") if entry.msgid_plural)
    # n == 0, 1, 2, 3..10, 11..99 and the rest (100, 102...) take forms 0 to 5.
    with translation.override("ar"):
        for number, form in [(0, 0), (1, 1), (2, 2), (7, 3), (42, 4), (100, 5), (102, 5)]:
            text = translation.ngettext(plural.msgid, plural.msgid_plural, number)
            assert text == plural.msgstr[form], number


@pytest.mark.django_db
def test_the_home_page_speaks_french_to_whoever_chose_french(client):
    client.cookies["hirfa_language"] = "fr"
    page = client.get("/").content.decode()
    assert "Ce que vous obtenez" in page
    assert "Se connecter" in page
    assert "What you get" not in page


@pytest.mark.django_db
def test_the_home_page_speaks_arabic_by_default(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-MA,fr;q=0.9").content.decode()
    assert "ما تحصل عليه" in page
    assert "السجل الوطني للصناعة التقليدية" in page
    assert "What you get" not in page
