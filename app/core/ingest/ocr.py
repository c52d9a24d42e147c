"""Offline OCR of scanned pages with the Tesseract inside MuPDF (`pymupdf`), run in the PDF child.

Which pages: a page with no text layer that shows an image, and a page covered by an image whose
text layer is unusable (a scanner's OCR that lost the Vietnamese diacritics: "CONG HOA.xA HOI cnu
NGHiA"); such a layer is replaced only when our OCR of the page reads better. The data files
(`vie.traineddata`, `eng.traineddata`, Apache-2.0) ship in `resources/tessdata`; no Tesseract needs to
be installed. Rotation by 90/180/270 degrees is found by OCR-ing the middle of a small rendering of
the page each way and keeping the way whose text is most like Vietnamese (MuPDF has no orientation detection); a
small skew (up to 4 degrees) by the row profile of small renderings turned each way (`skew`).

MuPDF does not pass Tesseract's word confidences on, so a paragraph's confidence is an estimate on
the same 0-100 scale: the share of its Vietnamese-looking words that are well-formed syllables,
lowered by stray symbols (`paragraph_confidence`).

Tesseract cannot run two threads in one process, so a document with two pages or more to read is
shared between the child and extra worker processes (`_read_parallel`; DOICHIEU_OCR_WORKERS=0 reads
in turn), which give the same result page for page.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import pickle
import queue
import re
import subprocess
import tempfile
import threading
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.errors import InputTooLargeError, NoTextLayerError
from app.core.model import Paragraph, PdfLine, PdfPage, Repair

if TYPE_CHECKING:
    import pymupdf

TESSDATA_ENV = "DOICHIEU_TESSDATA"  # a folder with other traineddata files (tests, power users)
LANGUAGE_ENV = "DOICHIEU_OCR_LANGUAGE"
# "vie" alone: it reads the Latin letters of English words as well. Measured on 2 pages of Vietnamese
# prose at 200 dpi (bench/ocr_quality.py --language): vie 0.22 % CER after repair, 3.8 CPU s/page;
# vie+eng 0.56 %, 4.3 s. On a page of English (this README at 200 dpi): vie 0.98 %, eng 2.61 %,
# eng+vie 1.72 %. eng.traineddata ships for DOICHIEU_OCR_LANGUAGE=eng / vie+eng.
LANGUAGE = "vie"
DPI = 200  # measured best: 150 dpi loses small diacritics, 300 dpi is no better; Tesseract time on a
# page of text hardly changes with dpi (3.1 CPU s at 200, 2.9 at 150, 2.4-2.8 at 120: its LSTM scales lines
# to 36 px), so reading at less buys little speed (issue 17, ocrspeed helper, bench/ocr_quality.py)
MAX_SIDE = 3500  # pixels: a 4000-pixel phone photo is read at this size (Tesseract's time grows with it)
SKEW_DPI = 40  # the renderings that measure a small skew
SKEW_GAIN = 1.15  # a turn must sharpen the row profile this much over the page as it is
PROBE_DPI = 100  # the small rendering that decides a page's orientation (its middle only)
IMAGE_DPI = 100  # the page image kept for the reader
IMAGE_JPEG_QUALITY = 60
MAX_OCR_PAGES = 100  # ~3-5 s a page: beyond this, ask to split the file
SECONDS_PER_PAGE = 30.0  # the child's time limit grows by this per page to read by OCR
MIN_IMAGE_COVER = 0.10  # a page without text showing images over this share of it is a scan
FULL_IMAGE_COVER = 0.80  # a page covered this much by an image whose text layer is suspicious: OCR it
GOOD_ORIENTATION = 0.2  # text pages read upright score 0.3-0.9, sideways or upside down under 0.1
PICTURE = 0.05  # a page OCR reads this badly (reading_score) is a picture, not text
LOW_CONFIDENCE = 80.0  # paragraphs below this are marked CHECK in the reader and the reports
CHECK = "read by OCR — check against the page"

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")

Report = Callable[[int, int, str], None]


def tessdata_dir() -> Path | None:
    """The folder holding vie.traineddata: $DOICHIEU_TESSDATA, else the app's resources (source tree
    or frozen build). None when it is missing (a build made without it)."""
    from app.resources import resource_path

    override = os.environ.get(TESSDATA_ENV)
    folder = Path(override) if override else resource_path("tessdata")
    return folder if (folder / "vie.traineddata").is_file() else None


def language() -> str:
    lang = os.environ.get(LANGUAGE_ENV, LANGUAGE)
    return lang if re.fullmatch(r"[a-z_]+(\+[a-z_]+)*", lang) else LANGUAGE


# --------------------------------------------------------------------------- judging text


def words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFC", text))


def diacritic_share(text: str) -> float:
    """Share of the words carrying a Vietnamese letter (ă, ơ, đ, a tone mark...): ~0.6-0.8 in
    Vietnamese prose, ~0 in a layer that lost its diacritics (and in English)."""
    ws = [w for w in words(text) if w.isalpha()]
    if not ws:
        return 0.0
    from app.core.syllables import looks_vietnamese

    return sum(1 for w in ws if looks_vietnamese(w)) / len(ws)


def reading_score(text: str) -> float:
    """How much `text` reads like text (0-1, higher is better): the share of its non-space characters
    that belong to readable words (well-formed Vietnamese syllables, or Latin words of three letters
    or more with a vowel, in lower, Title or UPPER case), scaled down when there are fewer than 300
    such characters. Text OCR makes of a page held sideways or upside down is single letters and
    symbols, and scores low."""
    from app.core.syllables import is_syllable

    chars = sum(1 for ch in text if not ch.isspace())
    if not chars:
        return 0.0
    readable = 0
    for w in words(text):
        if len(w) < 2 or not w.isalpha():
            continue
        if is_syllable(w) or (len(w) >= 3 and _LATIN_WORD.fullmatch(w)):
            readable += len(w)
    return readable / chars * min(1.0, readable / 300)


def layer_score(text: str) -> float:
    """For choosing between a page's own text layer and our OCR of it: `reading_score` once glued
    syllables are split, plus a bonus for diacritics (a layer that lost them reads "CONG HOA XA HOI",
    all well-formed syllables). An English page scores the same both ways, and keeps its layer."""
    from app.core.syllables import repair_glued

    return reading_score(repair_glued(text)[0]) + 0.5 * diacritic_share(text)


_LATIN_WORD = re.compile(r"(?=.*[aeiouyAEIOUY])(?:[a-z]+|[A-Z][a-z]+|[A-Z]+)")


# --------------------------------------------------------------------------- which pages


def image_cover(page: pymupdf.Page) -> float:
    """Share of the page's area covered by its images (the biggest one, clipped to the page)."""
    import pymupdf

    area = abs(page.rect) or 1.0
    best = 0.0
    try:
        infos = page.get_image_info()
    except Exception:  # a damaged image list: treat as no image
        return 0.0
    for info in infos:
        box = pymupdf.Rect(info["bbox"]) & page.rect
        if not box.is_empty:
            best = max(best, abs(box) / area)
    return best


_JUNK = re.compile(r"[a-z][A-Z]|[A-Za-z]\d[A-Za-z]|~")  # "NGHiA", "d6ng", "I~p": a scanner's OCR


def layer_suspicious(lines: Iterable[PdfLine]) -> bool:
    """A text layer that lost the Vietnamese diacritics (a scanner's OCR: "CONG HOA.xA HOI cnu NGHiA"):
    almost no marked letters, yet words that are unmarked Vietnamese syllables ("CONG", "HOA": English
    has ~1 in 4) or junk inside words. A layer with diacritics, or English, is kept as it is."""
    from app.core.syllables import is_syllable

    text = "\n".join(line.text for line in lines)
    alpha = [w for w in words(text) if w.isalpha()]
    if len(alpha) < 5:
        return True
    if diacritic_share(text) >= 0.05:
        return False
    syllables = sum(1 for w in alpha if is_syllable(w)) / len(alpha)
    tokens = text.split()
    junk = sum(1 for t in tokens if _JUNK.search(t)) / max(1, len(tokens))
    return syllables >= 0.45 or junk >= 0.05


def pages_to_read(doc: pymupdf.Document, pages: list[PdfPage]) -> list[tuple[int, str]]:
    """(index, why) of the pages to OCR: "scan" (no text layer, an image shows) or "layer" (an image
    covers it and its text layer looks broken; replaced only if OCR reads better)."""
    out: list[tuple[int, str]] = []
    for i, page in enumerate(pages):
        if not page.lines:
            if image_cover(doc[i]) >= MIN_IMAGE_COVER:
                out.append((i, "scan"))
        elif _lists_images(doc[i]) and layer_suspicious(page.lines) and image_cover(doc[i]) >= FULL_IMAGE_COVER:
            out.append((i, "layer"))
    return out


def _lists_images(page: pymupdf.Page) -> bool:
    """Whether the page's resources (and those of its forms) name an image: read from the resources
    alone (~0.03 ms a page), where `image_cover` interprets the page's content (~1.7 ms). A text page
    without one is never a scan, so a 300-page text PDF does not pay for `image_cover` on every page
    (bench/layout_speed.py). An inline image (drawn without a resource) is not seen: only a page
    that also has a text layer is skipped that way."""
    try:
        return bool(page.get_images())
    except Exception:  # a damaged resource list: look at the page itself
        return True


# --------------------------------------------------------------------------- reading a page


@dataclass(frozen=True)
class OcrResult:
    page: PdfPage
    rotation: int  # degrees the page was turned (clockwise) to be read upright
    score: float
    image: bytes  # JPEG of the page as read, for the reader


def _zoom(page: pymupdf.Page, dpi: int) -> float:
    """`dpi` / 72, but a page that is one image is never enlarged past the image's own pixels (a photo
    recorded at 72 or 96 dpi would be blown up 3x for nothing), and no side goes over MAX_SIDE."""
    zoom = dpi / 72.0
    try:
        infos = page.get_image_info()
    except Exception:
        infos = []
    if len(infos) == 1 and page.rect.width > 0:
        native = infos[0]["width"] / max(1.0, abs(infos[0]["bbox"][2] - infos[0]["bbox"][0]))
        if infos[0].get("transform", (1, 0))[1] != 0:  # the image is drawn turned: its height runs across
            native = infos[0]["height"] / max(1.0, abs(infos[0]["bbox"][2] - infos[0]["bbox"][0]))
        zoom = min(zoom, max(native, 72 / 72.0))
    side = max(page.rect.width, page.rect.height) or 1.0
    return min(zoom, MAX_SIDE / side)


def skew(page: pymupdf.Page) -> float:
    """The small turn (degrees, -4..4) that levels the page's text lines, 0.0 when none is clearly
    better: small renderings turned each way, scored by how sharply ink and paper alternate from row
    to row (level lines of text give dark rows and white gaps; skewed ones smear them)."""
    import pymupdf

    zoom = _zoom(page, DPI) * SKEW_DPI / DPI

    def sharpness(angle: float) -> float:
        pix = page.get_pixmap(
            matrix=pymupdf.Matrix(zoom, zoom).prerotate(angle), colorspace=pymupdf.csGRAY, alpha=False
        )
        data, stride, w = pix.samples, pix.stride, pix.width
        rows = [w * 255 - sum(data[i * stride : i * stride + w]) for i in range(pix.height)]
        return float(sum((b - a) ** 2 for a, b in itertools.pairwise(rows)))

    level = sharpness(0.0)
    coarse = max((sharpness(a / 2), a / 2) for a in range(-8, 9) if a)
    best = max(coarse, *((sharpness(coarse[1] + d), coarse[1] + d) for d in (-0.25, 0.25)))
    return best[1] if best[0] > SKEW_GAIN * level else 0.0


def _render(page: pymupdf.Page, dpi: int, rotation: float) -> pymupdf.Pixmap:
    import pymupdf

    zoom = _zoom(page, DPI) * dpi / DPI
    dpi = round(zoom * 72)
    pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom).prerotate(rotation), alpha=False)
    if pix.n != 3:  # pdfocr needs RGB (a gray pixmap gives no text at all)
        pix = pymupdf.Pixmap(pymupdf.csRGB, pix)
    pix.set_dpi(max(dpi, 70), max(dpi, 70))  # Tesseract refuses less
    return pix


def _ocr_pixmap(pix: pymupdf.Pixmap, tessdata: Path, lang: str) -> pymupdf.Page:
    import pymupdf

    # compress=False: the PDF is only read back here, and deflating the page image cost ~0.07 s a page
    data = pix.pdfocr_tobytes(compress=False, language=lang, tessdata=str(tessdata))
    return pymupdf.open("pdf", data)[0]


def _page_lines(page: pymupdf.Page) -> list[PdfLine]:
    import pymupdf

    from app.core.ingest.pdf import _line_from_dict

    lines: list[PdfLine] = []
    flags = pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP
    for block_no, block in enumerate(page.get_text("dict", flags=flags)["blocks"]):
        if block.get("type") != 0:
            continue
        for raw in block["lines"]:
            line = _line_from_dict(raw, block_no)
            if line is not None:
                lines.append(line)
    return lines


def even_sizes(lines: list[PdfLine]) -> list[PdfLine]:
    """OCR gives each line the size of its own box (13.0, 13.9, 13.2 for lines of one paragraph), and
    layout repair reads a size change as a new paragraph: sizes within 25 % of the page's body size
    (the median of its longer lines) become that size."""
    long = sorted(line.size for line in lines if len(line.text) > 20) or sorted(line.size for line in lines)
    if not long:
        return lines
    body = round(long[len(long) // 2], 1)
    out: list[PdfLine] = []
    for ln in lines:
        size = body if 0.75 * body <= ln.size <= 1.25 * body else ln.size
        out.append(dataclasses.replace(ln, size=size) if size != ln.size else ln)
    return out


def _nfc_line(line: PdfLine) -> PdfLine:
    text = unicodedata.normalize("NFC", line.text)
    if text == line.text:
        return line
    return PdfLine(text, line.x0, line.y0, line.x1, line.y1, line.size, line.bold, line.font, line.block)


def orientation(page: pymupdf.Page, tessdata: Path, lang: str, level: float = 0.0) -> tuple[int, float]:
    """(rotation, score) of the first other way (180, 90, 270) in which the middle of the page (half
    its width and height, at PROBE_DPI) reads as text, else the best of them. Called only when the
    page does not read as it stands. Only the middle: Tesseract's time on text hardly depends on the
    resolution (its LSTM scales every line to 36 pixels high: 3.1 CPU s a page at 200 dpi, 2.9 at
    150), it grows with the text read, so a whole page at 100 dpi cost as much as reading it; the
    small rendering keeps a picture cheap (a noisy photo page: 9.8 s at 200 dpi, 0.25 s at 100)."""
    import pymupdf

    r = page.rect
    middle = pymupdf.Rect(r.x0 + r.width / 4, r.y0 + r.height / 4, r.x1 - r.width / 4, r.y1 - r.height / 4)
    zoom = _zoom(page, DPI) * PROBE_DPI / DPI
    best = (0, -1.0)
    for rotation in (180, 90, 270):
        matrix = pymupdf.Matrix(zoom, zoom).prerotate(rotation + level)
        pix = page.get_pixmap(matrix=matrix, clip=middle, alpha=False)
        if pix.n != 3:  # pdfocr needs RGB
            pix = pymupdf.Pixmap(pymupdf.csRGB, pix)
        dpi = max(70, round(zoom * 72))
        pix.set_dpi(dpi, dpi)
        score = reading_score(_ocr_pixmap(pix, tessdata, lang).get_text())
        if score > best[1]:
            best = (rotation, score)
        if score >= GOOD_ORIENTATION:
            break
    return best


def read_page(page: pymupdf.Page, number: int, tessdata: Path, *, dpi: int = DPI, lang: str = "") -> OcrResult:
    """OCR one page upright. It is read as it stands first; only if that does not read like text are
    the other three orientations tried on the middle of a small rendering (`orientation`)."""
    lang = lang or language()
    level = skew(page)  # a scan fed a little crooked (Tesseract copes with ~3 degrees, less well beyond)
    rotation = 0
    pix = _render(page, dpi, level)
    read = _ocr_pixmap(pix, tessdata, lang)
    lines = _page_lines(read)
    score = reading_score("\n".join(line.text for line in lines))
    if score < GOOD_ORIENTATION:
        turned, _ = orientation(page, tessdata, lang, level)
        if turned:
            read2 = _ocr_pixmap(_render(page, dpi, turned + level), tessdata, lang)
            lines2 = _page_lines(read2)
            score2 = reading_score("\n".join(line.text for line in lines2))
            if score2 > 1.3 * score + 0.05:  # clearly better, or the page stays as it stood
                rotation, read, lines, score = turned, read2, lines2, score2
    rect = read.rect
    out = PdfPage(number, rect.width, rect.height, tuple(even_sizes(lines)))
    return OcrResult(out, rotation, score, page_image(page, rotation + level))


def page_image(page: pymupdf.Page, rotation: float = 0) -> bytes:
    """A small JPEG of the page (upright), what the reader shows beside the OCR text."""
    try:
        pix = _render(page, IMAGE_DPI, rotation)
        return bytes(pix.tobytes("jpeg", jpg_quality=IMAGE_JPEG_QUALITY))
    except Exception:  # the reader then shows no image: never a reason to refuse the document
        return b""


# --------------------------------------------------------------------------- the hook in the child


@dataclass(frozen=True)
class OcrOutcome:
    pages: list[PdfPage]
    read: dict[int, int]  # page number -> rotation, for every page whose text came from OCR
    images: list[tuple[int, str, bytes]]  # (page number, mime, image) of the pages read by OCR


def read_scanned_pages(
    doc: pymupdf.Document,
    pages: list[PdfPage],
    name: str,
    report: Report | None = None,
    source: tuple[str, bool] | None = None,
) -> OcrOutcome:
    """`pages` with the scanned ones read by OCR (see `pages_to_read`). `report(done, total, what)`
    hears each page; raises NoTextLayerError when nothing can be read and OCR is not available,
    InputTooLargeError over MAX_OCR_PAGES pages to read. With `source` (the file's path, and whether
    `doc` was read stripped of its extras) and two pages or more to read, extra worker processes read
    some of them at the same time (`_read_parallel`)."""
    todo = pages_to_read(doc, pages)
    scans = sum(1 for _i, why in todo if why == "scan")
    todo = [t for t in todo if t[1] == "scan"] + [t for t in todo if t[1] == "layer"][: max(0, MAX_OCR_PAGES - scans)]
    todo.sort()
    if not todo:
        return OcrOutcome(pages, {}, [])
    tessdata = tessdata_dir()
    if tessdata is None:
        if any(p.lines for p in pages):
            return OcrOutcome(pages, {}, [])
        raise NoTextLayerError(
            f"{name}: this PDF has no text layer (it is scanned images) and this copy of DoiChieu has no OCR "
            "data (resources/tessdata); reinstall it, or run OCR first (for example with ocrmypdf)"
        )
    if scans > MAX_OCR_PAGES:
        raise InputTooLargeError(
            f"{name}: {scans:,} scanned pages to read by OCR, more than the {MAX_OCR_PAGES} DoiChieu reads "
            f"at once (about 4 s a page); split it (for example with `qpdf --split-pages={MAX_OCR_PAGES}`) "
            "and import the parts"
        )
    out = list(pages)
    read: dict[int, int] = {}
    images: list[tuple[int, str, bytes]] = []
    lang = language()
    numbered = [(i, pages[i].number) for i, _why in todo]
    workers = worker_count(len(todo)) if source else 0
    if workers and source:
        results = _read_parallel(doc, numbered, tessdata, lang, source, workers, report)
    else:
        results = {}
        for n, (i, number) in enumerate(numbered):
            if report:
                report(n, len(todo), f"reading page {number} by OCR ({n + 1}/{len(todo)})")
            results[i] = read_page(doc[i], number, tessdata, lang=lang)
    for i, why in todo:
        result = results[i]
        number = pages[i].number
        if why == "scan" and result.score < PICTURE and any(p.lines for p in pages):
            continue  # a figure or a photo in a document with text: no words to read, nothing to keep
        if why == "layer":
            old = layer_score("\n".join(line.text for line in pages[i].lines))
            if layer_score("\n".join(line.text for line in result.page.lines)) <= old:
                continue  # the layer it carries reads as well: keep it
        out[i] = result.page
        read[number] = result.rotation
        if result.image:
            images.append((number, "image/jpeg", result.image))
    if report:
        report(len(todo), len(todo), "OCR done")
    return OcrOutcome(out, read, images)


# --------------------------------------------------------------------------- pages read in parallel

WORKER_COMMAND = "_ocr-worker"  # the frozen app's hidden subcommand (app/cli) for an OCR worker
WORKERS_ENV = "DOICHIEU_OCR_WORKERS"  # how many extra OCR processes; "0" reads every page in the child
MAX_WORKERS = 3


def worker_count(todo: int) -> int:
    """Extra processes to read `todo` pages with: Tesseract cannot run two threads in one process
    (Leptonica refuses), so a second core is used by a second process. One fewer than the cores, at
    most MAX_WORKERS, and never more than the pages beyond the child's first."""
    env = os.environ.get(WORKERS_ENV, "")
    wanted = int(env) if env.isdigit() else min(MAX_WORKERS, (os.cpu_count() or 1) - 1)
    return max(0, min(wanted, todo - 1))


def _start_worker(task: dict[str, object]) -> subprocess.Popen[bytes] | None:
    """An OCR worker given `task` (`workers.start`); None if it cannot start: the child then reads
    those pages itself."""
    from app.core.ingest import workers

    return workers.start(workers.command(WORKER_COMMAND, "app.core.ingest.ocr"), task)


Frame = tuple[int, int, "OcrResult | None"]  # (worker, page index, result: None when it starts the page)


def _frames(k: int, proc: subprocess.Popen[bytes], into: queue.Queue[Frame]) -> None:
    """Worker `k`'s pickled frames into `into`: (k, index, None) as it starts a page, (k, index,
    OcrResult) when it has read it, then (k, -1, None) at its end. A result comes as the path of the
    file the worker left it in (`_spool`)."""
    assert proc.stdout is not None
    try:
        while True:
            i, spooled = pickle.load(proc.stdout)
            result = pickle.loads(Path(spooled).read_bytes()) if spooled else None
            into.put((k, i, result))
    except Exception:  # EOF, or a worker that died mid-frame: its missing pages are read by the child
        pass
    finally:
        into.put((k, -1, None))


def _read_parallel(
    doc: pymupdf.Document,
    numbered: list[tuple[int, int]],
    tessdata: Path,
    lang: str,
    source: tuple[str, bool],
    workers: int,
    report: Report | None,
) -> dict[int, OcrResult]:
    """OCR the pages `numbered` ((index, page number)), dealt in turn to this process and `workers`
    others; each worker opens the file itself and answers (index, OcrResult) per page on a pipe. The
    results are the same as reading every page here. Once through its own share, this process reads
    the pages a working worker has not started yet (from the last), and every page of a worker that
    ended without answering it (one that failed or could not start)."""
    total = len(numbered)
    numbers = dict(numbered)
    owner = {i: k % (workers + 1) - 1 for k, (i, _n) in enumerate(numbered)}  # -1: this process
    results: dict[int, OcrResult] = {}
    into: queue.Queue[Frame] = queue.Queue()
    procs: list[subprocess.Popen[bytes]] = []
    ended = {-1}  # workers that answer no more (and this process)
    heard: set[int] = set()  # workers that have started a page: their later pages may be taken over
    started: set[int] = set()
    from app.core.ingest.pdf import SPOOL_ENV
    from app.core.ingest.workers import stop

    path, strip = source
    own = (
        None
        if os.environ.get(SPOOL_ENV)
        else tempfile.TemporaryDirectory(prefix="doichieu-ocr-", ignore_cleanup_errors=True)
    )
    folder = own.name if own else os.environ[SPOOL_ENV]  # read_pdf's, which outlives a killed child
    for k in range(workers):
        share = [(i, n) for i, n in numbered if owner[i] == k]
        task = {
            "path": path,
            "strip": strip,
            "tessdata": str(tessdata),
            "lang": lang,
            "pages": share,
            "spool": folder,
        }
        proc = _start_worker(task)
        if proc is None:
            ended.add(k)
            continue
        procs.append(proc)
        threading.Thread(target=_frames, args=(k, proc, into), daemon=True).start()

    def take(block: bool) -> None:
        while len(ended) <= workers:
            try:
                k, i, result = into.get(block=block)
            except queue.Empty:
                return
            block = False  # wait for one frame at most
            if i < 0:
                ended.add(k)
            elif result is None:
                heard.add(k)
                started.add(i)
            elif i not in results:
                results[i] = result
                if report:
                    report(len(results), total, f"page {numbers[i]} read by OCR ({len(results)}/{total})")

    def free(i: int) -> bool:
        return i not in results and (owner[i] in ended or (owner[i] in heard and i not in started))

    try:
        while len(results) < total:
            take(block=False)
            left = [(i, n) for i, n in numbered if free(i)]
            if not left:
                take(block=True)  # the rest is being read by the workers
                continue
            i, number = left[0] if owner[left[0][0]] in ended else left[-1]
            if report:
                report(len(results), total, f"reading page {number} by OCR ({len(results) + 1}/{total})")
            results[i] = read_page(doc[i], number, tessdata, lang=lang)
    finally:
        for proc in procs:
            stop(proc)
        if own:  # read_pdf's folder goes when the child has ended, with every page in it
            own.cleanup()
    return results


def worker_main() -> int:
    """Entry point of an OCR worker: OCR the task's pages, write one pickled (index, "") frame as it
    starts a page and (index, path of the spooled OcrResult) when it has read it."""
    from app.core.ingest import workers

    answer, task = workers.begin()
    doc = workers.open_document(task)
    tessdata = Path(task["tessdata"])
    for i, number in task["pages"]:
        answer.write(pickle.dumps((i, ""), protocol=pickle.HIGHEST_PROTOCOL))  # started: not taken over
        answer.flush()
        result = read_page(doc[i], number, tessdata, lang=task["lang"])
        answer.write(pickle.dumps((i, _spool(Path(task["spool"]), i, result)), protocol=pickle.HIGHEST_PROTOCOL))
        answer.flush()
    workers.finish(answer)
    return 0


def _spool(folder: Path, index: int, result: OcrResult) -> str:
    """`result` in a file of `folder`, its path returned: the frames on the pipe stay small. A frame
    larger than the pipe's buffer (a page image is ~100 KB) would block this worker until the child
    reads it, and the child reads only between its own pages: MuPDF's OCR keeps Python's lock."""
    path = folder / f"page-{index}.pickle"
    part = path.with_suffix(".part")
    part.write_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    part.replace(path)
    return str(path)


# --------------------------------------------------------------------------- repairing OCR text

_ODD = re.compile(r"[^\w\s.,;:!?()\[\]\"'“”‘’«»/%&+=*#@°–—-]")


def paragraph_confidence(text: str) -> float | None:
    """0-100 for a paragraph read by OCR: the share of its Vietnamese-looking words that are
    well-formed syllables, lowered by stray symbols (⁄, Ñ, ƒ...) that OCR makes of stamps and
    pictures. None for text without words."""
    from app.core.syllables import malformed_share

    if not words(text):
        return None
    odd = len(_ODD.findall(text)) / max(1, len(text.replace(" ", "")))
    return round(100.0 * (1.0 - malformed_share(text)) * max(0.0, 1.0 - 3.0 * odd), 1)


def repair_ocr(
    paragraphs: list[Paragraph], repairs: list[Repair], ocr_pages: Iterable[int]
) -> tuple[list[Paragraph], list[Repair], list[float | None]]:
    """Repair the paragraphs that come from pages read by OCR: diacritics recomposed (NFC) and glued
    syllables split (app/core/syllables, with the document's own vocabulary), each split space one
    undoable `split_glued` repair (`at`: the offset of the space it inserted). The offsets of the
    layout repairs already made in those paragraphs move with the inserted spaces. Returns the
    paragraphs, all repairs and each paragraph's confidence (None: not read by OCR). Pure."""
    from app.core.syllables import vocabulary

    pages = set(ocr_pages)
    vocab = vocabulary(p.text for p in paragraphs)
    out: list[Paragraph] = []
    moved = list(repairs)
    added: list[Repair] = []
    confidence: list[float | None] = []
    for i, para in enumerate(paragraphs):
        if para.page not in pages:
            out.append(para)
            confidence.append(None)
            continue
        text = para.text
        nfc = unicodedata.normalize("NFC", text)
        if nfc != text:
            changed = sum(1 for a, b in zip(text, nfc, strict=False) if a != b) or 1
            added.append(Repair("ocr_nfc", i, f"{changed} letters with their marks recomposed (NFC)", page=para.page))
            text = nfc  # NFC only joins characters: the layout repairs' offsets are re-based below
            moved = [_rebase(r, i, para.text) for r in moved]
        fixed, edits = split_glued_ocr(text, vocab)
        inserted: list[int] = []  # offsets in `text` before which one space went in
        shift = 0
        for start, end, replacement in edits:
            glued = text[start:end]
            pos = 0
            for k, ch in enumerate(replacement):
                if ch == " " and (pos >= len(glued) or glued[pos] != " "):
                    inserted.append(start + pos)
                    added.append(
                        Repair("split_glued", i, f"{glued} → {replacement}", page=para.page, at=start + k + shift)
                    )
                    continue
                pos += 1
            shift += len(replacement) - len(glued)
        if inserted:
            moved = [_shifted(r, i, inserted) for r in moved]
        out.append(Paragraph(fixed, para.kind, para.lang, para.page))
        confidence.append(paragraph_confidence(fixed))
    return out, moved + added, confidence


_TOKEN = re.compile(r"([^\W\d_]+)(\d+(?![^\W\d_]))?")  # letters, and digits glued after them ("số37")
_ASCII_WORD = re.compile(r"[A-Za-z]{2,}")


def split_glued_ocr(text: str, vocab: Counter[str]) -> tuple[str, list[tuple[int, int, str]]]:
    """`text` with the syllables OCR glued together split, and the edits (start, end, replacement).

    Tesseract's Vietnamese model loses the space after a syllable that carries a mark ("sửdụng",
    "Tựdo", "vềfrontier", "cảUS"). The syllable grammar (`syllables.split_glued`) splits runs of
    Vietnamese syllables; a run of them glued to a Latin word is cut where the Latin word starts. A
    token of plain ASCII letters is left alone: OCR rarely glues those, and English words split into
    syllable-like pieces ("volume" -> "vo lu me")."""
    from app.core.syllables import is_syllable, looks_vietnamese, split_glued

    edits: list[tuple[int, int, str]] = []
    out: list[str] = []
    last = 0
    for m in _TOKEN.finditer(text):
        token, digits = m.group(1), m.group(2)
        if not looks_vietnamese(token):
            continue
        pieces = [token] if is_syllable(token) else split_glued(token, vocab)
        if len(pieces) < 2 and not is_syllable(token):
            pieces = _split_before_latin(token, vocab)
        if digits and all(is_syllable(p) for p in pieces):
            pieces = [*pieces, digits]
        elif digits:
            pieces = [token + digits]
        if len(pieces) < 2:
            continue
        joined = " ".join(pieces)
        out.append(text[last : m.start()])
        out.append(joined)
        edits.append((m.start(), m.end(), joined))
        last = m.end()
    out.append(text[last:])
    return "".join(out), edits


def _split_before_latin(token: str, vocab: Counter[str]) -> list[str]:
    """ "vềfrontier" -> ["về", "frontier"], "mẽvềLLM" -> ["mẽ", "về", "LLM"]: Vietnamese syllables
    (the last one marked) followed by a Latin word of two letters or more; else [token]."""
    from app.core.syllables import is_syllable, looks_vietnamese, split_glued

    for i in range(len(token) - 2, 0, -1):
        head, tail = token[:i], token[i:]
        if not looks_vietnamese(head[-1]) or not _ASCII_WORD.fullmatch(tail):
            continue
        first = [head] if is_syllable(head) else split_glued(head, vocab)
        if all(is_syllable(p) for p in first):
            return [*first, tail]
    return [token]


def _shifted(repair: Repair, paragraph: int, inserted: list[int]) -> Repair:
    if repair.paragraph != paragraph or repair.at is None or repair.kind.startswith("drop_"):
        return repair
    at = repair.at + sum(1 for p in inserted if p < repair.at)
    return dataclasses.replace(repair, at=at)


def _rebase(repair: Repair, paragraph: int, before: str) -> Repair:
    if repair.paragraph != paragraph or repair.at is None or repair.kind.startswith("drop_"):
        return repair
    return dataclasses.replace(repair, at=len(unicodedata.normalize("NFC", before[: repair.at])))


if __name__ == "__main__":  # an OCR worker from a source tree (frozen: `_ocr-worker`, app/cli)
    import sys

    from app.core.ingest.ocr import worker_main as _main  # this module's classes, not __main__'s, get pickled

    sys.exit(_main())
