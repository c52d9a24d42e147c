"""Real PDFs made with PyMuPDF for the tests: one and two columns, running headers, page numbers,
hyphenation, and the broken kinds (encrypted, damaged, image-only)."""

from __future__ import annotations

import html
from pathlib import Path

import pymupdf

CSS = (
    "p {text-align: justify; margin-bottom: 5pt; font-size: 10pt;}"
    " p.title {font-size: 15pt; font-weight: bold; margin-bottom: 8pt; text-align: left}"
)


def _html(paragraphs: list[str], title: str | None) -> str:
    body = f'<p class="title">{html.escape(title)}</p>' if title else ""
    return body + "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)


def story_pdf(path: Path, paragraphs: list[str], *, title: str | None = None, css: str = CSS, page: str = "a4") -> Path:
    """One justified column laid out by PyMuPDF Story (HTML/CSS), as report generators make them.

    Story (PyMuPDF 2.0) sometimes drops or repeats text at page breaks in narrow frames, so the result
    is checked: a test must never expect paragraphs the PDF does not hold."""
    mediabox = pymupdf.paper_rect(page)
    frame = pymupdf.Rect(56, 70, mediabox.width - 56, mediabox.height - 70)
    story = pymupdf.Story(_html(paragraphs, title), user_css=css)
    writer = pymupdf.DocumentWriter(str(path))
    more = True
    while more:
        dev = writer.begin_page(mediabox)
        more, _ = story.place(frame)
        story.draw(dev)
        writer.end_page()
    writer.close()
    if not _complete(path, paragraphs):
        raise RuntimeError("PyMuPDF Story dropped text; change the test's layout")
    return path


def flow_pdf(
    path: Path,
    paragraphs: list[str],
    *,
    title: str | None = None,
    columns: int = 1,
    header: str | None = None,
    page_numbers: bool = False,
    page: str = "a4",
    fontsize: float = 10,
    paragraph_gap: float = 5,
    indent: float = 0,
) -> Path:
    """Flow paragraphs through columns and pages line by line (PyMuPDF TextWriter, Noto Sans),
    continuing a paragraph across column and page breaks, with an optional running header and
    page numbers: the layouts of journals and reports."""
    font, bold = pymupdf.Font("notos"), pymupdf.Font("notosbo")
    mediabox = pymupdf.paper_rect(page)
    left, right, top, bottom = 56, mediabox.width - 56, 70, mediabox.height - 70
    gap = 18
    width = (right - left - gap * (columns - 1)) / columns
    doc = pymupdf.open()
    pg = doc.new_page(width=mediabox.width, height=mediabox.height)
    col, y = 0, top
    blocks = ([(title, bold, fontsize * 1.5)] if title else []) + [(p, font, fontsize) for p in paragraphs]
    for text, fnt, size in blocks:
        words = text.split()
        first = True
        while words:
            x0 = left + col * (width + gap)
            lead = indent if first and fnt is font else 0
            line = _take_line(words, fnt, size, width - lead)
            if y + size * 1.2 > bottom:
                col += 1
                if col == columns:
                    pg = doc.new_page(width=mediabox.width, height=mediabox.height)
                    col = 0
                y = top
                continue
            tw = pymupdf.TextWriter(pg.rect)
            tw.append((x0 + lead, y + size), " ".join(line), font=fnt, fontsize=size)
            tw.write_text(pg)
            words = words[len(line) :]
            y += size * 1.25
            first = False
        y += paragraph_gap
    for number, p in enumerate(doc, start=1):
        if header:
            _write(p, (left, 45), header, font, 8)
        if page_numbers:
            _write(p, (mediabox.width / 2 - 4, mediabox.height - 35), str(number), font, 8)
    doc.save(path)
    return path


def lines_pdf(path: Path, lines: list[str], *, fontsize: float = 11) -> Path:
    """One page with exactly these lines, left-aligned at a regular pitch: line breaks as given."""
    font = pymupdf.Font("notos")
    doc = pymupdf.open()
    page = doc.new_page()
    for i, line in enumerate(lines):
        _write(page, (72, 100 + i * fontsize * 1.25), line, font, fontsize)
    doc.save(path)
    return path


def _take_line(words: list[str], font: pymupdf.Font, size: float, width: float) -> list[str]:
    line = [words[0]]
    for word in words[1:]:
        if font.text_length(" ".join([*line, word]), fontsize=size) > width:
            break
        line.append(word)
    return line


def _write(page: pymupdf.Page, pos: tuple[float, float], text: str, font: pymupdf.Font, size: float) -> None:
    tw = pymupdf.TextWriter(page.rect)
    tw.append(pos, text, font=font, fontsize=size)
    tw.write_text(page)


def _complete(path: Path, paragraphs: list[str]) -> bool:
    with pymupdf.open(path) as doc:
        text = "".join("".join(page.get_text().split()) for page in doc)
    pos = 0
    for para in paragraphs:
        pos = text.find("".join(para.split()), pos)
        if pos < 0:
            return False
    return True


def encrypted_pdf(path: Path, text: str = "Tài liệu mật") -> Path:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), text)
    doc.save(path, encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw="owner", user_pw="secret")
    return path


def image_only_pdf(path: Path) -> Path:
    doc = pymupdf.open()
    page = doc.new_page()
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 60, 40), False)
    pix.clear_with(200)
    page.insert_image(pymupdf.Rect(72, 72, 372, 272), pixmap=pix)
    doc.save(path)
    return path


def damaged_pdf(path: Path, source: Path) -> Path:
    """A real PDF cut in half, as an interrupted download leaves it."""
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    return path


def garbage_pdf(path: Path) -> Path:
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    return path
