"""How well a pasted web page is reduced to its article: DoiChieu's extractor against the window's old
way (the whole page as text) and, when they are importable, trafilatura and readability-lxml.

    .venv/bin/python bench/web_extraction.py [--extra-path DIR]

Pages: tests/fixtures/web/*.html with a hand-made gold file (the article's paragraphs; the first is
its title): the Vietnamese Kubernetes page "Kubernetes la gi" (CC BY 4.0, see the folder's README).
The Tuoi Tre page is measured only with --tuoitre (its text may not be committed). Measured per page
and extractor:
- recall: share of gold paragraphs found whole in the output (spaces normalised);
- precision: share of the output's characters that belong to gold (or neutral) paragraphs;
- title: whether the document's title is the article's headline.
Plain text: the page as Qt renders it to text (what the window got before) through `article_text`.

--extra-path: a folder to put first on sys.path, e.g. one made with
`pip install --target DIR trafilatura readability-lxml`, so the comparison does not need them in the
project's environment.

--tuoitre DIR: also measure the Tuoi Tre Online article "Thanh tra vu chat cay xanh Ha Noi trong 30
ngay" (23 March 2015) from a checkout of github.com/naustudio/tuoitrevn-optimization-case-study (commit
07dd3fbfe225b6f8148a07004863c8fa04da2513; DIR/static/subpage.html and DIR/static/subpage_mobile.html).
Its text belongs to Tuoi Tre, so it is read at measuring time, and its gold is taken at measuring time
from the desktop page's markup (the <h1>; the lead p.txt-head; the <p> of div.fck; neutral: the photo
caption td.caption and the byline, the <strong> of div.wrapper-qt), the same paragraphs as written by
hand before.

--trafilatura-eval DIR: also score on trafilatura's own evaluation set (a clone of
github.com/adbar/trafilatura: DIR/tests/evaldata.json, DIR/tests/eval/, DIR/tests/cache/; ~990 pages
in many languages, each with hand-picked strings that must and must not be in the article). Its
metric: a "with" string found is a true positive, missed a false negative; a "without" string found
is a false positive. Held out: DoiChieu's rules were not written against these pages (trafilatura's
were, so its score there is an upper bound)."""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
FIXTURES = ROOT / "tests" / "fixtures" / "web"
_SPACE = re.compile(r"\s+")


def norm(text: str) -> str:
    return _SPACE.sub(" ", text.replace("\u00a0", " ").replace("\u200b", "")).strip()


def gold_for(page: Path) -> tuple[list[str], list[str]]:
    name = re.sub(r"-mobile$", "", page.stem)
    lines = (FIXTURES / f"{name}.gold.txt").read_text(encoding="utf-8").splitlines()
    lines = [line for line in lines if not line.startswith("# ")]
    cut = lines.index("## neutral")
    return [norm(x) for x in lines[:cut] if x.strip()], [norm(x) for x in lines[cut + 1 :] if x.strip()]


class _TuoitreGold(HTMLParser):
    """The article's paragraphs of the Tuoi Tre page, read from its markup (see --tuoitre)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, set[str]]] = []
        self.capture: tuple[str, str, int] | None = None  # (kind, tag, depth of that tag inside)
        self.parts: list[str] = []
        self.gold: list[str] = []
        self.neutral: list[str] = []

    def _inside(self, tag: str, cls: str) -> bool:
        return any(t == tag and cls in c for t, c in self.open)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"img", "br", "input", "meta", "link", "hr", "source", "col"}:
            return
        classes = set((dict(attrs).get("class") or "").split())
        if self.capture is not None:
            kind, ctag, depth = self.capture
            self.capture = (kind, ctag, depth + (tag == ctag))
        elif (tag == "h1" and not self.gold) or (tag == "p" and ("txt-head" in classes or self._inside("div", "fck"))):
            self.capture = ("gold", tag, 0)
        elif (tag == "td" and "caption" in classes and self._inside("div", "fck")) or (
            tag == "strong" and self._inside("div", "wrapper-qt")
        ):
            self.capture = ("neutral", tag, 0)
        self.open.append((tag, classes))

    def handle_endtag(self, tag: str) -> None:
        if self.capture is not None and tag == self.capture[1]:
            kind, ctag, depth = self.capture
            if depth:
                self.capture = (kind, ctag, depth - 1)
            else:
                text = norm("".join(self.parts))
                if text:
                    (self.gold if kind == "gold" else self.neutral).append(text)
                self.capture, self.parts = None, []
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i][0] == tag:
                del self.open[i:]
                break

    def handle_data(self, data: str) -> None:
        if self.capture is not None:
            self.parts.append(data)


def tuoitre_pages(folder: Path) -> list[tuple[str, str, list[str], list[str]]]:
    static = folder / "static"
    desktop = (static / "subpage.html").read_text(encoding="utf-8")
    reader = _TuoitreGold()
    reader.feed(desktop)
    gold, neutral = reader.gold, reader.neutral
    pages = [("tuoitre subpage.html", desktop, gold, neutral)]
    mobile = static / "subpage_mobile.html"
    if mobile.exists():
        pages.append(("tuoitre subpage_mobile.html", mobile.read_text(encoding="utf-8"), gold, neutral))
    return pages


def score(title: str, text: str, gold: list[str], neutral: list[str]) -> tuple[float, float, bool]:
    out = norm(text)
    recall = sum(1 for g in gold if g in out) / len(gold)
    wanted = sum(len(g) for g in gold + neutral if g in out)
    precision = min(1.0, wanted / max(1, len(out.replace(" ", "")) + out.count(" ")))
    return recall, precision, norm(title) == gold[0]


def qt_text(markup: str) -> str:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication, QTextDocument

    QGuiApplication.instance() or QGuiApplication([])
    doc = QTextDocument()
    doc.setHtml(markup)
    return doc.toPlainText().replace("\u2028", "\n").replace("\u00a0", " ")


def old_window(markup: str) -> tuple[str, str]:
    text = qt_text(markup)
    first = next((norm(x) for x in text.split("\n") if x.strip()), "")
    return first, text


def ours_html(markup: str) -> tuple[str, str]:
    from app.core.ingest.web import extract_html

    article = extract_html(markup)
    return article.title, article.text


def ours_plain(markup: str) -> tuple[str, str]:
    from app.core.ingest.web import article_text, plain_text_title

    text = article_text(qt_text(markup))
    return plain_text_title(text), text


def trafilatura_html(markup: str) -> tuple[str, str]:
    import trafilatura

    doc = trafilatura.bare_extraction(markup, with_metadata=True, favor_precision=False)
    if doc is None:
        return "", ""
    get = doc.get if isinstance(doc, dict) else lambda k, d="": getattr(doc, k, d)
    return str(get("title", "") or ""), str(get("text", "") or "")


def readability_html(markup: str) -> tuple[str, str]:
    import lxml.html
    from readability import Document

    doc = Document(markup)
    body = lxml.html.fromstring(doc.summary(html_partial=True))
    for el in body.iter("br", "p", "h1", "h2", "h3", "li", "td", "div", "table"):
        el.tail = "\n" + (el.tail or "")
    return doc.short_title(), body.text_content()


EXTRACTORS: dict[str, Callable[[str], tuple[str, str]]] = {
    "window before (Qt text of the page)": old_window,
    "DoiChieu HTML (app/core/ingest/web.py)": ours_html,
    "DoiChieu plain text (article_text)": ours_plain,
    "trafilatura": trafilatura_html,
    "readability-lxml": readability_html,
}


def trafilatura_eval(folder: Path, names: list[str]) -> None:
    import json

    data = json.loads((folder / "tests" / "evaldata.json").read_text(encoding="utf-8"))
    print(f"\ntrafilatura's evaluation set: {len(data)} pages")
    print(f"{'extractor':42} {'precision':>9} {'recall':>7} {'F1':>6} {'s':>6} {'errors':>6}")
    for name in names:
        fn = EXTRACTORS[name]
        tp = fp = fn_ = errors = 0
        start = time.perf_counter()
        for item in data.values():
            path = folder / "tests" / "eval" / item["file"]
            if not path.exists():
                path = folder / "tests" / "cache" / item["file"]
            raw = path.read_bytes()
            try:
                markup = raw.decode("utf-8")
            except UnicodeDecodeError:
                markup = raw.decode("latin-1")
            try:
                text = norm(fn(markup)[1])
            except ImportError as err:
                print(f"{name:42} not installed ({err.name})")
                break
            except Exception:  # an extractor that fails on a page scores nothing there
                errors += 1
                text = ""
            for want in item.get("with", []):
                if norm(want) in text:
                    tp += 1
                else:
                    fn_ += 1
            fp += sum(1 for unwanted in item.get("without", []) if norm(unwanted) in text)
        else:
            precision, recall = tp / max(1, tp + fp), tp / max(1, tp + fn_)
            f1 = 2 * precision * recall / max(1e-9, precision + recall)
            took = time.perf_counter() - start
            print(f"{name:42} {precision:9.3f} {recall:7.3f} {f1:6.3f} {took:6.0f} {errors:6}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--extra-path", type=Path)
    parser.add_argument("--tuoitre", type=Path, metavar="DIR")
    parser.add_argument("--trafilatura-eval", type=Path, metavar="DIR")
    args = parser.parse_args()
    if args.extra_path:
        sys.path.insert(0, str(args.extra_path))
    pages = [(p.name, p.read_text(encoding="utf-8"), *gold_for(p)) for p in sorted(FIXTURES.glob("*.html"))]
    if args.tuoitre:
        pages += tuoitre_pages(args.tuoitre)
    print(f"{'extractor':42} {'page':48} {'recall':>6} {'prec.':>6} {'title':>5} {'ms':>6}")
    for name, fn in EXTRACTORS.items():
        for page, markup, gold, neutral in pages:
            try:
                start = time.perf_counter()
                title, text = fn(markup)
                ms = (time.perf_counter() - start) * 1000
            except ImportError as err:
                print(f"{name:42} {page:48} not installed ({err.name})")
                break
            recall, precision, title_ok = score(title, text, gold, neutral)
            print(f"{name:42} {page:48} {recall:6.2f} {precision:6.2f} {'yes' if title_ok else 'no':>5} {ms:6.0f}")
    if args.trafilatura_eval:
        # the window's old way keeps everything (recall 1, precision low) and Qt takes minutes on 990 pages
        html_extractors = [n for n in EXTRACTORS if "plain text" not in n and "window" not in n]
        trafilatura_eval(args.trafilatura_eval, html_extractors)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
