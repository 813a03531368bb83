"""Write the logo cases of the hostile corpus (tests/data/hostile/images/*.logo.*).

The files are committed; this script documents how each was made and rewrites them
(``python tests/data/hostile/make_logos.py``). Every file stays under a few kilobytes:
the dangerous ones only *declare* huge sizes or expand when decoded.
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).parent / "images"


def pillow(mode: str, size: tuple[int, int], fmt: str, **save) -> bytes:
    image = Image.new(mode, size)
    ImageDraw.Draw(image).rectangle((0, 0, size[0] // 2, size[1] // 2), fill=_ink(mode))
    out = io.BytesIO()
    image.save(out, fmt, **save)
    return out.getvalue()


def _ink(mode: str):
    return {"1": 1, "L": 90, "LA": (90, 255), "P": 3, "I;16": 30000, "I": 30000, "CMYK": (0, 80, 80, 20)}.get(
        mode, (31, 78, 121) if mode == "RGB" else (31, 78, 121, 200)
    )


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width: int, height: int, idat: bytes, extra: bytes = b"", depth: int = 8, color: int = 2) -> bytes:
    """A PNG from raw parts, so headers can declare what the data does not hold."""
    header = struct.pack(">IIBBBBB", width, height, depth, color, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + extra + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def rows(width: int, height: int) -> bytes:
    return zlib.compress(b"".join(b"\x00" + b"\x20\x40\x80" * width for _ in range(height)))


def cases() -> dict[str, bytes]:
    good_png = pillow("RGB", (40, 20), "PNG")
    good_jpeg = pillow("RGB", (40, 20), "JPEG", quality=80)
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90
    apng = io.BytesIO()
    frames = [Image.new("RGB", (20, 10), c) for c in ((200, 0, 0), (0, 0, 200))]
    frames[0].save(apng, "PNG", save_all=True, append_images=frames[1:], duration=100, loop=0)
    bad_crc = bytearray(good_png)
    bad_crc[29] ^= 0xFF  # inside the IHDR checksum
    return {
        # printable logos in every PNG/JPEG flavour a clinic's designer might send
        "rgb.logo.png": good_png,
        "one-pixel.logo.png": pillow("RGB", (1, 1), "PNG"),
        "grey.logo.png": pillow("L", (40, 20), "PNG"),
        "grey-alpha.logo.png": pillow("LA", (40, 20), "PNG"),
        "rgba.logo.png": pillow("RGBA", (40, 20), "PNG"),
        "palette-transparent.logo.png": pillow("P", (40, 20), "PNG", transparency=0),
        "one-bit.logo.png": pillow("1", (40, 20), "PNG"),
        "sixteen-bit.logo.png": pillow("I;16", (40, 20), "PNG"),
        "interlaced.logo.png": _interlaced(),
        "animated.logo.png": apng.getvalue(),
        "wide.logo.png": pillow("RGB", (2000, 1), "PNG"),
        "tall.logo.png": pillow("RGB", (1, 2000), "PNG"),
        "text-chunk.logo.png": png(40, 20, rows(40, 20), chunk(b"tEXt", b"Comment\x00" + b"x" * 2000)),
        "rgb.logo.jpg": good_jpeg,
        "grey.logo.jpg": pillow("L", (40, 20), "JPEG"),
        "cmyk.logo.jpg": pillow("CMYK", (40, 20), "JPEG"),
        "progressive.logo.jpg": pillow("RGB", (40, 20), "JPEG", progressive=True),
        "exif-rotated.logo.jpg": pillow("RGB", (40, 20), "JPEG", exif=exif),
        "png-named-jpg.logo.jpg": good_png,
        # broken files
        "text.logo.png": b"this is not an image\n",
        "empty.logo.png": b"",
        "png-signature-only.logo.png": good_png[:8],
        "png-truncated-header.logo.png": good_png[:20],
        "png-truncated-data.logo.png": good_png[: len(good_png) - 30],
        "png-bad-checksum.logo.png": bytes(bad_crc),
        "png-no-data.logo.png": png(40, 20, b""),
        "png-short-data.logo.png": png(40, 20, rows(40, 2)),
        "png-zero-width.logo.png": png(0, 20, rows(0, 20)),
        "jpeg-truncated.logo.jpg": good_jpeg[: len(good_jpeg) // 2],
        "jpeg-header-only.logo.jpg": good_jpeg[:2] + b"\xff\xe0garbage",
        # sizes that exhaust memory when decoded
        "bomb-header.logo.png": png(100_000, 100_000, rows(1, 1)),
        "bomb-wide.logo.png": png(1_000_000, 300, rows(1, 1)),
        "over-limit.logo.png": png(6000, 6000, zlib.compress(b"\x00" * 6001 * 3 * 10)),
        "bomb-jpeg.logo.jpg": _jpeg_declaring(65000, 65000, good_jpeg),
        "text-chunk-bomb.logo.png": png(
            40, 20, rows(40, 20), chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"x" * 2_000_000, 9))
        ),
        "idat-bomb.logo.png": png(40, 20, zlib.compress(b"\x00" * 10_000_000, 9)),
        # other formats and things that pretend to be images
        "gif.logo.gif": pillow("P", (40, 20), "GIF"),
        "bmp.logo.bmp": pillow("RGB", (4, 2), "BMP"),
        "tiff.logo.tiff": pillow("RGB", (4, 2), "TIFF"),
        "webp.logo.webp": pillow("RGB", (4, 2), "WEBP"),
        "ico.logo.ico": pillow("RGB", (16, 16), "ICO"),
        "svg.logo.svg": (
            b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20"/></svg>\n'
        ),
        "svg-script.logo.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>\n',
        "svg-entity.logo.svg": b'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg>&x;</svg>\n',
        "pdf.logo.pdf": b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
        "html.logo.png": b"<html><script>alert(1)</script></html>\n",
        "zip.logo.png": b"PK\x03\x04" + b"\x00" * 26,
        "elf.logo.png": b"\x7fELF\x02\x01\x01" + b"\x00" * 57,
        "gif-polyglot.logo.png": b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00;*/=alert(1)//;",
    }


def _interlaced() -> bytes:
    """Pillow cannot write interlaced PNGs: an Adam7 image of one colour, by hand."""
    width, height = 8, 8
    passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
    data = b""
    for x0, y0, dx, dy in passes:
        cols = len(range(x0, width, dx))
        lines = len(range(y0, height, dy))
        data += b"".join(b"\x00" + b"\x1f\x4e\x79" * cols for _ in range(lines))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 1)
    body = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(data)) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body


def _jpeg_declaring(width: int, height: int, jpeg: bytes) -> bytes:
    """A real JPEG whose frame header (SOF0) claims another size."""
    at = jpeg.index(b"\xff\xc0") + 5
    return jpeg[:at] + struct.pack(">HH", height, width) + jpeg[at + 4 :]


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for name, data in cases().items():
        (OUT / name).write_bytes(data)
        print(f"{name}: {len(data)} bytes")


if __name__ == "__main__":
    main()
