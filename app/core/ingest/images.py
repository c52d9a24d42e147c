"""Image files (.png, .jpg/.jpeg, .tif/.tiff with several pages) imported as scanned pages.

Before MuPDF decodes anything, the header is read here to refuse what cannot fit in the PDF child's
memory (a 20,000 x 20,000 image is 1.2 GB decoded) and files cut short (an interrupted download or
copy), each with one clear line. The image then becomes a PDF in memory, one page per image, and
takes the scanned-PDF path (`ocr.read_scanned_pages`) in the same child process.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.errors import CorruptPdfError, InputTooLargeError

if TYPE_CHECKING:
    import pymupdf

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
MAX_PIXELS = 60_000_000  # per image: ~180 MB decoded as RGB (an A4 page at 600 dpi is 35 Mpx)
MAX_IMAGE_PAGES = 500  # images in one TIFF; OCR itself stops at ocr.MAX_OCR_PAGES


def is_image(path: str | Path) -> bool:
    return Path(path).suffix.lower() in IMAGE_SUFFIXES


def sniff(head: bytes) -> str | None:
    """ "png", "jpeg", "tiff" from the first bytes, else None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    return None


def _damaged(name: str, what: str) -> CorruptPdfError:
    return CorruptPdfError(f"{name}: {what}; save or download the image again and import that")


def _png_size(data: bytes, name: str) -> list[tuple[int, int]]:
    if len(data) < 33 or data[12:16] != b"IHDR":
        raise _damaged(name, "this PNG image is damaged (no header)")
    w, h = struct.unpack(">II", data[16:24])
    if data.find(b"IEND\xaeB`\x82", 33) < 0:  # data after the end chunk is allowed (some tools append)
        raise _damaged(name, "this PNG image is cut short (an interrupted download or copy leaves it so)")
    return [(w, h)]


def _jpeg_size(data: bytes, name: str) -> list[tuple[int, int]]:
    pos = 2
    size: tuple[int, int] | None = None
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            pos += 1
            continue
        marker = data[pos + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
            pos += 1 if marker == 0xFF else 2
            continue
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC) and pos + 9 <= len(data):
            h, w = struct.unpack(">HH", data[pos + 5 : pos + 9])
            size = (w, h)
            break
        pos += 2 + length
    if size is None:
        raise _damaged(name, "this JPEG image is damaged (no frame header)")
    # The scan data cannot hold FF D9 (an FF in it is stuffed as FF 00), so the end-of-image marker after
    # the first start-of-scan is the image's end, even when a phone appends a trailer (a motion photo).
    first_scan = data.find(b"\xff\xda", pos)
    if first_scan < 0 or data.find(b"\xff\xd9", first_scan) < 0:
        raise _damaged(name, "this JPEG image is cut short (an interrupted download or copy leaves it so)")
    return [size]


def _tiff_sizes(data: bytes, name: str) -> list[tuple[int, int]]:
    order = "<" if data[:2] == b"II" else ">"
    sizes: list[tuple[int, int]] = []
    (offset,) = struct.unpack(order + "I", data[4:8])
    seen: set[int] = set()
    while offset and offset not in seen:
        seen.add(offset)
        if offset + 2 > len(data):
            raise _damaged(name, "this TIFF image is cut short (an interrupted download or copy leaves it so)")
        (count,) = struct.unpack(order + "H", data[offset : offset + 2])
        end = offset + 2 + 12 * count
        if end + 4 > len(data):
            raise _damaged(name, "this TIFF image is cut short (an interrupted download or copy leaves it so)")
        w = h = 0
        for k in range(count):
            entry = data[offset + 2 + 12 * k : offset + 14 + 12 * k]
            tag, typ = struct.unpack(order + "HH", entry[:4])
            if tag in (256, 257):
                value = struct.unpack(order + ("H" if typ == 3 else "I"), entry[8:10] if typ == 3 else entry[8:12])[0]
                w, h = (value, h) if tag == 256 else (w, value)
        sizes.append((w, h))
        if len(sizes) > MAX_IMAGE_PAGES:
            raise InputTooLargeError(
                f"{name}: this TIFF holds more than {MAX_IMAGE_PAGES} images; split it and import the parts"
            )
        (offset,) = struct.unpack(order + "I", data[end : end + 4])
    if not sizes:
        raise _damaged(name, "this TIFF image holds no pages")
    return sizes


def check_image(path: str | Path) -> list[tuple[int, int]]:
    """The (width, height) of each image in the file, after refusing damaged, cut-short and too large
    ones with one line (CorruptPdfError / InputTooLargeError)."""
    p = Path(path)
    data = p.read_bytes()
    kind = sniff(data[:16])
    if kind is None:
        raise _damaged(p.name, f"this is not a {p.suffix.lstrip('.').upper()} image (its first bytes say otherwise)")
    sizes = {"png": _png_size, "jpeg": _jpeg_size, "tiff": _tiff_sizes}[kind](data, p.name)
    for w, h in sizes:
        if w <= 0 or h <= 0:
            raise _damaged(p.name, "this image has no pixels")
        if w * h > MAX_PIXELS:
            raise InputTooLargeError(
                f"{p.name}: this image is {w:,} x {h:,} pixels, more than DoiChieu reads "
                f"({MAX_PIXELS // 1_000_000} megapixels, an A4 page at 600 dpi is 35); scale it down and import that"
            )
    return sizes


def open_as_pdf(path: str | Path) -> pymupdf.Document:
    """The image file as a PDF in memory, one page per image, each page the size of its image at the
    resolution it records (96 dpi when it records none... MuPDF's default)."""
    import pymupdf

    p = Path(path)
    check_image(p)
    try:
        images = pymupdf.open(str(p))
        pdf = pymupdf.open("pdf", images.convert_to_pdf())
    except Exception as err:  # MuPDF's errors for damaged images come in several types
        raise _damaged(p.name, f"this image is damaged and cannot be read ({err})") from err
    if pdf.page_count == 0:
        raise _damaged(p.name, "this image holds no pages")
    return pdf
