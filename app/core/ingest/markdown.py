"""Markdown imported as text: the markup removed by a real CommonMark parser (markdown-it-py), the
link targets kept as the document's sources.

What becomes of each construct:
- headings, paragraphs, block quotes: their text, one paragraph each (`#`, `>`, `**`, `_` gone);
- list items: one paragraph each; bullets dropped, an ordered list keeps its numbers ("1. ...");
- `code` and fenced/indented code blocks: their text as written;
- `[text](url)`, `[text][ref]`, `<https://...>`: the text stays in the sentence, (text, url) goes to
  `links` in reading order (in-page `#anchors` and javascript:/data: targets are not sources);
- images: their alt text; raw HTML: its text without the tags; tables: one line per row, cells
  separated by " | ";
- a YAML front matter block (--- ... --- at the top) is not text; its `title:` is the title.

The title is the front matter's title, else the first level-1 heading, else "" (the caller keeps the
file name)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

TITLE_MAX = 200


@dataclass(frozen=True)
class Link:
    text: str
    url: str


@dataclass(frozen=True)
class MarkdownText:
    text: str  # paragraphs separated by blank lines, no markup
    links: tuple[Link, ...]
    title: str  # "" when the file names none


_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_FRONT_TITLE = re.compile(r"^title:\s*(.+?)\s*$", re.M)
_TAG = re.compile(r"<[^>]*>")
_BR = re.compile(r"<br\s*/?>", re.I)
_SPACES = re.compile(r"[ \t]+")
_NOT_SOURCES = ("#", "javascript:", "data:", "vbscript:")


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def _html_text(markup: str) -> str:
    return html.unescape(_TAG.sub("", _BR.sub("\n", markup)))


class _Inline:
    """The text of one inline run, with the links found in it."""

    def __init__(self, links: list[Link]) -> None:
        self.links = links
        self.parts: list[str] = []
        self.link_stack: list[tuple[str, int]] = []  # (href, where its text starts in parts)

    def feed(self, tokens: list[Token]) -> str:
        for tok in tokens:
            kind = tok.type
            if kind in {"text", "code_inline"}:
                self.parts.append(tok.content)
            elif kind == "softbreak":
                self.parts.append(" ")
            elif kind == "hardbreak":
                self.parts.append("\n")
            elif kind == "html_inline":
                self.parts.append("\n" if _BR.fullmatch(tok.content.strip()) else "")
            elif kind == "image":
                self.parts.append(tok.content)  # the alt text
            elif kind == "link_open":
                self.link_stack.append((str(tok.attrs.get("href", "")), len(self.parts)))
            elif kind == "link_close" and self.link_stack:
                href, start = self.link_stack.pop()
                text = _SPACES.sub(" ", "".join(self.parts[start:])).strip()
                if href and not href.lower().startswith(_NOT_SOURCES):
                    self.links.append(Link(text or href, href))
        return "".join(self.parts)


def parse(source: str) -> MarkdownText:
    """Markdown source -> text without markup, its links and its title (see the module docstring)."""
    title = ""
    front = _FRONT_MATTER.match(source)
    if front is not None:
        found = _FRONT_TITLE.search(front.group(1))
        if found:
            title = found.group(1).strip().strip("\"'")
        source = source[front.end() :]
    links: list[Link] = []
    blocks: list[str] = []
    row: list[str] = []
    ordered: list[int | None] = []  # per open list: the next number, None for bullets
    prefix = ""
    heading_level = 0
    in_cell = False
    for tok in _parser().parse(source):
        kind = tok.type
        if kind in {"th_open", "td_open"}:
            in_cell = True
        elif kind in {"th_close", "td_close"}:
            in_cell = False
        elif kind == "bullet_list_open":
            ordered.append(None)
        elif kind == "ordered_list_open":
            ordered.append(int(tok.attrs.get("start", 1) or 1))
        elif kind in {"bullet_list_close", "ordered_list_close"} and ordered:
            ordered.pop()
        elif kind == "list_item_open" and ordered:
            number = ordered[-1]
            prefix = "" if number is None else f"{number}. "
            if number is not None:
                ordered[-1] = number + 1
        elif kind == "heading_open":
            heading_level = int(tok.tag[1:]) if tok.tag[1:].isdigit() else 0
        elif kind == "inline":
            text = _Inline(links).feed(tok.children or [])
            if in_cell:
                row.append(_one_line(text))
                continue
            text = "\n".join(_one_line(line) for line in text.split("\n")).strip()
            if text:
                blocks.append(prefix + text)
                if heading_level == 1 and not title:
                    title = _one_line(text)
            prefix = ""
            heading_level = 0
        elif kind in {"fence", "code_block"}:
            code = tok.content.rstrip("\n")
            if code.strip():
                blocks.append(code)
        elif kind == "html_block":
            text = _html_text(tok.content).strip()
            if text:
                blocks.append(text)
        elif kind == "tr_close":
            if any(cell for cell in row):
                blocks.append(" | ".join(row))
            row = []
    title = _one_line(title)
    if len(title) > TITLE_MAX:
        title = title[: TITLE_MAX - 1].rsplit(" ", 1)[0] + "…"
    return MarkdownText("\n\n".join(blocks), tuple(_unique(links)), title)


def _one_line(text: str) -> str:
    return _SPACES.sub(" ", text.replace("\n", " ")).strip()


def _unique(links: list[Link]) -> list[Link]:
    seen: set[tuple[str, str]] = set()
    out: list[Link] = []
    for link in links:
        key = (link.text, link.url)
        if key not in seen:
            seen.add(key)
            out.append(link)
    return out
