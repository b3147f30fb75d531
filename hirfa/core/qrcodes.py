"""QR codes drawn by the site itself (cards, attestations, posters, the second factor's
enrolment): zxing-cpp makes the modules; the callers draw the dark runs."""

from collections.abc import Iterator

import zxingcpp


def qr_matrix(text: str, *, ec_level: str = "Q") -> tuple[int, bytes]:
    """The QR code's modules, row by row (0 dark, 255 light), and its side in modules."""
    barcode = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level=ec_level)
    image = barcode.to_image(scale=1, add_quiet_zones=False)
    return image.shape[0], bytes(memoryview(image))


def dark_runs(size: int, modules: bytes) -> Iterator[tuple[int, int, int]]:
    """(row, first column, length) of each horizontal run of dark modules: a code drawn as
    some hundreds of rectangles instead of a thousand and more squares."""
    for row in range(size):
        line = modules[row * size : (row + 1) * size]
        column = 0
        while column < size:
            if line[column]:
                column += 1
                continue
            start = column
            while column < size and not line[column]:
                column += 1
            yield row, start, column - start
