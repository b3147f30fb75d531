"""Base45 (RFC 9285): the encoding that keeps a signed QR in its alphanumeric mode."""

BASE45_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_BASE45_VALUES = {character: value for value, character in enumerate(BASE45_ALPHABET)}


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
    group that does not fit its bytes (RFC 9285 §6: such input is refused)."""
    try:
        values = [_BASE45_VALUES[character] for character in text]
    except KeyError:
        raise ValueError("character outside the Base45 alphabet") from None
    if len(values) % 3 == 1:
        raise ValueError("truncated Base45")
    out = bytearray()
    whole = len(values) - len(values) % 3
    for low, middle, high in zip(
        values[0:whole:3], values[1:whole:3], values[2:whole:3], strict=True
    ):
        n = low + middle * 45 + high * 2025
        if n > 0xFFFF:
            raise ValueError("Base45 group out of range")
        out += n.to_bytes(2, "big")
    if whole < len(values):
        n = values[whole] + values[whole + 1] * 45
        if n > 0xFF:
            raise ValueError("Base45 group out of range")
        out.append(n)
    return bytes(out)
