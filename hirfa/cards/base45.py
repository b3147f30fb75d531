"""Base45 (RFC 9285): the encoding that keeps a signed QR in its alphanumeric mode."""

import struct

BASE45_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_OUTSIDE = 0xFF
_VALUES = bytes(  # byte → its value, or _OUTSIDE
    BASE45_ALPHABET.find(chr(byte)) if chr(byte) in BASE45_ALPHABET else _OUTSIDE
    for byte in range(256)
)


def b45encode(data: bytes) -> str:
    out = []
    for i in range(0, len(data) - 1, 2):
        n = data[i] * 256 + data[i + 1]
        n, c = divmod(n, 45)
        e, d = divmod(n, 45)
        out += (BASE45_ALPHABET[c], BASE45_ALPHABET[d], BASE45_ALPHABET[e])
    if len(data) % 2:
        d, c = divmod(data[-1], 45)
        out += (BASE45_ALPHABET[c], BASE45_ALPHABET[d])
    return "".join(out)


def b45decode(text: str) -> bytes:
    """Raises ValueError on a character outside the alphabet, a dangling character or a
    group that does not fit its bytes (RFC 9285 §6: such input is refused).

    Every online check of a card decodes its QR text here: the characters are turned into
    their values by one `bytes.translate` and the groups packed by `struct` (a quarter of
    the time of a loop over characters, docs/decisions/0082)."""
    try:
        values = text.encode("ascii").translate(_VALUES)
    except UnicodeEncodeError:
        values = b"\xff"
    if _OUTSIDE in values:
        raise ValueError("character outside the Base45 alphabet")
    rest = len(values) % 3
    if rest == 1:
        raise ValueError("truncated Base45")
    whole = len(values) - rest
    groups = [
        low + middle * 45 + high * 2025
        for low, middle, high in zip(
            values[0:whole:3], values[1:whole:3], values[2:whole:3], strict=True
        )
    ]
    if groups and max(groups) > 0xFFFF:
        raise ValueError("Base45 group out of range")
    out = struct.pack(f">{len(groups)}H", *groups)
    if rest:
        n = values[whole] + values[whole + 1] * 45
        if n > 0xFF:
            raise ValueError("Base45 group out of range")
        out += bytes((n,))
    return out
