"""Convert an X window dump (`xwd -root`, 24/32-bit TrueColor) to PNG with the standard library
only: the smoke test runs with no project venv and no image tools.

    python3 xwd2png.py screen.xwd screen.png
"""

from __future__ import annotations

import struct
import sys
import zlib


def convert(source: bytes) -> bytes:
    header = struct.unpack(">25I", source[:100])
    header_size, _version, _format, depth, width, height = header[:6]
    byte_order, bits_per_pixel, line_bytes = header[7], header[11], header[12]
    red_mask, green_mask, blue_mask = header[14:17]
    colours = header[19]  # ncolors: the colour entries written after the header, 12 bytes each
    if bits_per_pixel not in (24, 32) or depth < 24:
        raise SystemExit(f"unsupported dump: {bits_per_pixel} bits per pixel, depth {depth}")
    pixels = source[header_size + 12 * colours :]
    step = bits_per_pixel // 8
    order = "<" if byte_order == 0 else ">"
    shifts = [(mask, (mask & -mask).bit_length() - 1) for mask in (red_mask, green_mask, blue_mask)]
    rows = bytearray()
    for y in range(height):
        rows.append(0)
        line = pixels[y * line_bytes : y * line_bytes + width * step]
        for x in range(0, width * step, step):
            chunk = line[x : x + step] + (b"\0" if step == 3 else b"")
            (value,) = struct.unpack(order + "I", chunk)
            rows.extend((value & mask) >> shift for mask, shift in shifts)
    return _png(width, height, bytes(rows))


def _png(width: int, height: int, raw: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    head = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    signature = b"\x89PNG\r\n\x1a\n"
    return (
        signature
        + chunk(b"IHDR", head)
        + chunk(b"IDAT", zlib.compress(raw, 6))
        + chunk(b"IEND", b"")
    )


if __name__ == "__main__":
    with open(sys.argv[1], "rb") as dump, open(sys.argv[2], "wb") as out:
        out.write(convert(dump.read()))
