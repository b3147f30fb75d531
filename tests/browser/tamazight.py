"""The checker of the Tamazight journey: what a page shows must be written in Tifinagh.

A page fails when a text the visitor can see (a text node of a visible element, a
placeholder, a button's value) holds an Arabic or a Latin letter that is not one of the
things allowed to be written so. Allowed, and only these:

- text inside an element that says it is in another language (`lang="ar"`, `lang="fr"`…):
  the language switcher's names of languages, names shown in their own script;
- NAMES given to the checker: what the person typed (names in Arabic and Latin letters
  as on the CNIE, addresses, place of birth), and the reference names of places and
  crafts that have no Tifinagh name yet (communes, provinces, regions, activities,
  branches, in Arabic or French);
- CODES: a CNIE number (one or two capital letters and digits: BE123456), a name of an
  uploaded file (document.png), an e-mail address;
- digits, Tifinagh, punctuation and symbols: anything that is not a letter.
"""

import re

ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
LATIN = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
CODES = [
    re.compile(r"\b[A-Z]{1,2}[0-9]{4,8}\b"),  # a CNIE number
    re.compile(r"[\w.-]+\.(?:png|jpe?g|pdf)\b", re.IGNORECASE),  # an uploaded file's name
    re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"),  # an e-mail address
]

_VISIBLE_TEXTS = """() => {
    const shown = [];
    const own = (element) => {
        const marked = element.closest("[lang]");
        return marked ? marked.getAttribute("lang") : "";
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent.trim();
        const element = node.parentElement;
        if (!text || !element || element.closest("script, style, template, noscript")) continue;
        const select = element.closest("select");
        if (!(select || element).checkVisibility({ visibilityProperty: true })) continue;
        shown.push([text, own(element), element.tagName.toLowerCase()]);
    }
    for (const field of document.querySelectorAll("input, textarea")) {
        if (!field.checkVisibility({ visibilityProperty: true })) continue;
        if (field.placeholder) shown.push([field.placeholder, own(field), "placeholder"]);
        if (["submit", "button"].includes(field.type) && field.value)
            shown.push([field.value, own(field), "button"]);
    }
    return shown;
}"""


def foreign_texts(page, names) -> list[str]:
    """What the page shows in Arabic or Latin letters beyond the allowed; [] when none."""
    names = sorted({n for n in names if n}, key=len, reverse=True)
    found = []
    for text, language, tag in page.evaluate(_VISIBLE_TEXTS):
        if language and language != "zgh":
            continue
        rest = text
        for name in names:
            rest = rest.replace(name, " ")
        for code in CODES:
            rest = code.sub(" ", rest)
        if ARABIC.search(rest) or LATIN.search(rest):
            found.append(f"<{tag}> {text!r}")
    return found


def assert_in_tamazight(page, names) -> None:
    assert page.locator("html").get_attribute("lang") == "zgh", page.url
    # Tifinagh is written left to right: the full stop at the right end.
    assert page.locator("html").get_attribute("dir") == "ltr", page.url
    found = foreign_texts(page, names)
    assert not found, f"{page.url} shows Arabic or Latin letters:\n" + "\n".join(found)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, page.url
