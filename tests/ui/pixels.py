"""Just enough PNG reading to tell a drawn canvas from a blank one.

Chromium's screenshots are 8-bit RGB or RGBA, not interlaced; Pillow is not
a dependency, so the five scanline filters are undone here.
"""

from __future__ import annotations

import struct
import zlib


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def pixels(png: bytes) -> tuple[int, int, list[bytes]]:
    """Return (width, height, rows of raw pixel bytes) of a screenshot."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, data, width = 8, b"", 0
    height = channels = 0
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos : pos + 8])
        chunk = png[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(
                ">IIBBBBB", chunk
            )
            assert depth == 8 and interlace == 0 and colour in (2, 6)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            data += chunk
        pos += 12 + length
    raw, stride, rows, prev = zlib.decompress(data), width * channels, [], None
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        prev = prev or bytearray(stride)
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, corner = prev[i], prev[i - channels] if i >= channels else 0
            line[i] = (
                line[i]
                + (0, left, up, (left + up) // 2, _paeth(left, up, corner))[kind]
            ) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, height, rows


def colours(png: bytes) -> int:
    """Count the distinct colours of a screenshot."""
    width, _, rows = pixels(png)
    step = len(rows[0]) // width
    return len({row[i : i + step] for row in rows for i in range(0, len(row), step)})
