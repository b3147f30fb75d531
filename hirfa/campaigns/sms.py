"""How many SMS a text takes: GSM-7 when every character is in the GSM 03.38 alphabet
(160 characters alone, 153 per part when split), UCS-2 otherwise — Arabic and Tifinagh
(70 characters alone, 67 per part). Characters of the extension table count twice."""

from dataclasses import dataclass

GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = set("^{}\\[~]|€\f")


@dataclass(frozen=True)
class Length:
    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets or UTF-16 code units
    segments: int


def measure(text: str) -> Length:
    if all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text):
        units = len(text) + sum(1 for char in text if char in GSM7_EXTENSION)
        single, part, encoding = 160, 153, "GSM-7"
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, part, encoding = 70, 67, "UCS-2"
    segments = 0 if units == 0 else 1 if units <= single else -(-units // part)
    return Length(encoding, units, segments)
