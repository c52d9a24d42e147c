"""A pasted web page reduced to its article: navigation, menus, footers and share buttons left out.

Two inputs, two rules:

- HTML (the clipboard's text/html): `extract_html` parses the page with the standard library's
  tolerant parser, drops what is never article (scripts, <nav>, <header>/<footer> outside the
  article, <aside>, forms, buttons, and elements whose class/id says menu, share, comment, related,
  breadcrumb, footer...), scores the remaining blocks by the text they hold (less the share of it that
  is link text, readability's rule), keeps the best container (widened to the element holding 60% of
  the page's prose when the article is split in sections) with the paragraphs beside it. HTML
  without any such chrome (a selection of a few paragraphs, a document copied from a word processor)
  is kept whole.
- Plain text copied from a browser: `strip_page_chrome` drops the lines a page's chrome becomes:
  menus ("Trang chủ | Thời sự | Kinh tế", or one short item a line), share/comment/login lines and
  copyright footers.

The title is the page's heading: the article's <h1>, else og:title, else <title> without the site's
name. Links in the article's text are kept as (text, url): the document's sources. The numbers behind
the choice of a hand-written extractor over trafilatura/readability-lxml are in
tests/fixtures/web/README.md.
"""

from __future__ import annotations

import html as htmllib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin

TITLE_MAX = 200
MAX_DEPTH = 200  # elements nested deeper than this count as their ancestor's text (a hostile page)

# ---------------------------------------------------------------- a small tolerant DOM


@dataclass(eq=False)
class _Node:
    tag: str
    attrs: dict[str, str]
    parent: _Node | None = None
    children: list[_Node | str] = field(default_factory=list)
    letters: int = 0  # non-space characters under the element (`_measure`)
    link_letters: int = 0  # how many of them are link text

    def text(self) -> str:
        return "".join(_texts(self))

    def attr_words(self) -> str:
        return f"{self.attrs.get('class', '')} {self.attrs.get('id', '')} {self.attrs.get('role', '')}".lower()


def _texts(node: _Node) -> Iterator[str]:
    stack: list[_Node | str] = list(reversed(node.children))
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        else:
            stack.extend(reversed(item.children))


def _walk(node: _Node) -> Iterator[_Node]:
    """Every element under `node`, in document order."""
    stack = [c for c in reversed(node.children) if isinstance(c, _Node)]
    while stack:
        item = stack.pop()
        yield item
        stack.extend(c for c in reversed(item.children) if isinstance(c, _Node))


_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
        "keygen",
        "command",
        "basefont",
        "frame",
    ]
)
# Whose content is never text of the page (kept out of the tree altogether).
_RAW = frozenset({"script", "style", "noscript", "template", "svg", "math", "iframe", "object", "canvas", "head"})
_BLOCK = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "td",
        "th",
        "ul",
        "summary",
        "caption",
    ]
)
_CLOSES_P = _BLOCK - {"li", "dd", "dt", "td", "th", "tr", "tbody", "thead", "tfoot", "caption", "summary"}


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root", {})
        self.stack: list[_Node] = [self.root]
        self.skip = 0  # inside a raw element
        self.skip_tag = ""
        self.meta: dict[str, str] = {}
        self.title_parts: list[str] = []
        self.in_title = False
        self.canonical = ""
        self.json_ld: list[str] = []
        self.in_json_ld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (values.get("property") or values.get("name") or values.get("itemprop") or "").lower()
            if key and "content" in values and key not in self.meta:
                self.meta[key] = values["content"]
            return
        if tag == "link" and "canonical" in values.get("rel", "").lower():
            self.canonical = self.canonical or values.get("href", "")
            return
        if tag == "title" and not self.skip:
            self.in_title = True
            return
        if tag == "script" and "ld+json" in values.get("type", ""):
            self.in_json_ld = True
        if self.skip:
            if tag == self.skip_tag:
                self.skip += 1
            return
        if tag in _RAW:
            self.skip, self.skip_tag = 1, tag
            return
        if tag in _CLOSES_P:
            self._close_implied("p")
        if tag == "li":
            self._close_implied("li", stop={"ul", "ol"})
        elif tag in {"dd", "dt"}:
            self._close_implied("dd", stop={"dl"})
            self._close_implied("dt", stop={"dl"})
        elif tag in {"td", "th"}:
            self._close_implied("td", stop={"tr", "table"})
            self._close_implied("th", stop={"tr", "table"})
        elif tag == "tr":
            self._close_implied("tr", stop={"table"})
        node = _Node(tag, values, self.stack[-1])
        self.stack[-1].children.append(node)
        if tag not in _VOID and len(self.stack) < MAX_DEPTH:  # deeper elements are read as their parent's
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self.stack[-1].tag == tag and not self.skip:
            self.stack.pop()

    def _close_implied(self, tag: str, stop: set[str] | frozenset[str] = frozenset()) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            name = self.stack[i].tag
            if name == tag:
                del self.stack[i:]
                return
            if name in stop or (tag == "p" and name in _BLOCK):
                return

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
            return
        if self.skip:
            if tag == self.skip_tag:
                self.skip -= 1
                if not self.skip:
                    self.in_json_ld = False
            return
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title_parts.append(data)
            return
        if self.skip:
            if self.in_json_ld:
                self.json_ld.append(data)
            return
        self.stack[-1].children.append(data)


# ---------------------------------------------------------------- what is never the article

# Elements dropped with all they hold. <header>/<footer> only outside an <article>/<main> is a page's;
# inside one, a header holds the article's title and a footer its tags and share buttons (dropped).
# Dropped with all they hold, whatever is inside.
_DROP_TAGS = frozenset({"nav", "aside", "button", "select", "textarea", "input", "label", "menu", "dialog"})
_DROP_TAGS |= {"video", "audio", "footer"}
# Dropped unless they hold the article's paragraphs (`_holds_prose`): a site's <header> (one inside an
# <article> holds its title), and a <form> (ASP.NET pages wrap the whole page in one).
_WEAK_TAGS = frozenset({"header", "form"})
# Class/id tokens of page chrome. Strong ones are dropped outright; weak ones (sidebars, widgets, ads,
# banners: words a theme also puts on the wrapper around the article, "penci_sidebar", "widget blog",
# "o-section--has-ads") only when the element holds no run of prose.
_STRONG = (
    r"nav|navbar|menu|menus|submenu|mega-?menu|footer|breadcrumbs?|share|sharing|social|comments?|"
    r"comment-list|related|relate|subscribe|newsletter|login|signin|sign-in|register|popup|modal|cookies?|"
    r"tags?|tag-list|keywords?|print-only|toolbar|pagination|pager|rating|poll|most-?read|trending|"
    r"box-?tinlienquan|tin-?lien-?quan|xem-?them|follow|author-?box|copyright|hotline"
)
_WEAK = (
    r"navigation|foot|site-?header|topbar|sidebar|banners?|ads?|advert\w*|quang-?cao|adsbygoogle|widgets?|"
    r"promo\w*|sponsor\w*"
)
_NEGATIVE = re.compile(rf"(?:^|[\s_-])(?:{_STRONG}|{_WEAK})(?=$|[\s_-])")
_NEGATIVE_STRONG = re.compile(rf"(?:^|[\s_-])(?:{_STRONG})(?=$|[\s_-])")
_POSITIVE = re.compile(r"article|content|entry|post-?body|story|detail|fck_detail|main-?text|body-?text|main")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden")
_CHROME_ROLES = frozenset(
    {"navigation", "banner", "contentinfo", "complementary", "menu", "menubar", "search", "dialog"}
)


def _holds_prose(node: _Node) -> bool:
    """Two or more paragraphs of 80+ characters that are mostly not link text: an article, not chrome."""
    found = 0
    for p in _walk(node):
        if p.tag != "p":
            continue
        text = _clean(p.text())
        if len(text) < 80:
            continue
        links = sum(len(_clean(a.text())) for a in _walk(p) if a.tag == "a")
        if links < 0.3 * len(text):
            found += 1
            if found >= 2:
                return True
    return False


def _is_dropped(node: _Node, in_article: bool) -> bool:
    tag = node.tag
    if tag in _DROP_TAGS:
        return True
    if "hidden" in node.attrs or node.attrs.get("aria-hidden") == "true":
        return True
    if _HIDDEN_STYLE.search(node.attrs.get("style", "")):
        return True
    if node.attrs.get("role", "").lower() in _CHROME_ROLES:
        return True
    if tag in _WEAK_TAGS:
        return not (tag == "header" and in_article) and not _holds_prose(node)
    words = node.attr_words()
    if tag in {"html", "body", "article", "main"} or not words.strip():
        return False
    tokens = words.split()
    if not any(_NEGATIVE.search(t) for t in tokens):
        return False
    # a token that names the article and no chrome ("article-body" beside "sidebar-wrap") keeps it
    if any(_POSITIVE.search(t) and not _NEGATIVE.search(t) for t in tokens):
        return False
    if any(_NEGATIVE_STRONG.search(t) for t in tokens):
        return True
    return not _holds_prose(node)


def _prune(node: _Node, in_article: bool = False) -> int:
    """Remove dropped elements in place; the number removed (0: the input had no page chrome)."""
    removed = 0
    kept: list[_Node | str] = []
    for child in node.children:
        if isinstance(child, str):
            kept.append(child)
            continue
        if _is_dropped(child, in_article):
            removed += 1
            continue
        removed += _prune(child, in_article or child.tag in {"article", "main"})
        kept.append(child)
    node.children = kept
    return removed


# ---------------------------------------------------------------- scoring (readability's idea)

_PARAGRAPH_TAGS = frozenset({"p", "pre", "blockquote", "td", "li", "dd", "h2", "h3", "h4"})
_CONTAINER_TAGS = frozenset({"div", "article", "section", "main", "td", "body", "blockquote", "#root", "span"})


def _clean(text: str) -> str:
    return " ".join(text.split())


def _measure(root: _Node) -> None:
    """Letters (non-space characters) under each element and how many of them are link text."""
    for node in reversed([root, *_walk(root)]):  # children before parents
        text = links = 0
        for child in node.children:
            if isinstance(child, str):
                text += len(child) - sum(child.count(c) for c in " \n\t\r")
            else:
                text += child.letters
                links += child.letters if child.tag == "a" else child.link_letters
        node.letters, node.link_letters = text, links


def _link_density(node: _Node) -> float:
    return min(1.0, node.link_letters / node.letters) if node.letters else 0.0


def _block_score(text: str) -> float:
    # commas count (Vietnamese sentences use them as English does), and length up to a point
    return 1.0 + text.count(",") + min(len(text) / 100.0, 3.0)


def _best_container(root: _Node) -> _Node | None:
    scores: dict[int, float] = {}
    nodes: dict[int, _Node] = {}
    for node in _walk(root):
        if node.tag not in _PARAGRAPH_TAGS and not (node.tag == "div" and _has_own_text(node)):
            continue
        text = _clean(node.text())
        if len(text) < 25:
            continue
        score = _block_score(text)
        parent = node.parent
        for share in (1.0, 0.5, 1 / 3):  # parent, grandparent, great-grandparent
            if parent is None:
                break
            key = id(parent)
            nodes[key] = parent
            scores[key] = scores.get(key, 0.0) + score * share
            parent = parent.parent
    best: _Node | None = None
    best_score = 0.0
    for key, node in nodes.items():
        weight = 1.25 if _POSITIVE.search(node.attr_words()) or node.tag in {"article", "main"} else 1.0
        final = scores[key] * weight * (1.0 - _link_density(node))
        if final > best_score:
            best, best_score = node, final
    return best


def _prose_letters(node: _Node) -> dict[int, int]:
    """id(element) -> characters of prose paragraphs (80+ characters, under 30% link text) inside it."""
    out: dict[int, int] = {}
    for p in _walk(node):
        if p.tag != "p" or p.letters < 80 or _link_density(p) >= 0.3:
            continue
        up: _Node | None = p
        while up is not None:
            out[id(up)] = out.get(id(up), 0) + p.letters
            up = up.parent
    return out


def _widen(best: _Node, root: _Node) -> _Node:
    """Up from the best container while it holds under 60% of the page's prose (an article split in
    sections, the best one a single section), never to the page itself."""
    prose = _prose_letters(root)
    total = prose.get(id(root), 0)
    node = best
    while total and prose.get(id(node), 0) < 0.6 * total:
        parent = node.parent
        if parent is None or parent is root or parent.tag in {"body", "html"}:
            break
        node = parent
    return node


def _has_own_text(node: _Node) -> bool:
    return any(isinstance(c, str) and len(c.strip()) >= 25 for c in node.children)


def _leads(best: _Node) -> list[_Node]:
    """Lead paragraphs written before the body one level up (Tuổi Trẻ: the sapo sits in a header
    block beside the column that holds the body): <p> of 80+ characters with little link text."""
    parent = best.parent
    grand = parent.parent if parent is not None else None
    if parent is None or grand is None:
        return []
    out: list[_Node] = []
    for sibling in grand.children:
        if sibling is parent:
            break
        if not isinstance(sibling, _Node):
            continue
        for node in [sibling, *_walk(sibling)]:
            if node.tag == "p" and len(_clean(node.text())) > 80 and _link_density(node) < 0.25:
                out.append(node)
    return out


def _with_siblings(best: _Node) -> list[_Node]:
    """The best container and the siblings that read like more of the article (a lead paragraph
    written beside the body, a second body part): readability's sibling rule."""
    parent = best.parent
    if parent is None:
        return [best]
    best_len = len(_clean(best.text()))
    out: list[_Node] = []
    for sibling in parent.children:
        if not isinstance(sibling, _Node):
            continue
        if sibling is best:
            out.append(sibling)
            continue
        text = _clean(sibling.text())
        density = _link_density(sibling)
        if (
            sibling.tag in {"p", "h1", "h2"}
            and ((len(text) > 80 and density < 0.25) or (sibling.tag == "h1" and text and density < 0.5))
        ) or (sibling.tag in _CONTAINER_TAGS and len(text) > max(200, best_len // 3) and density < 0.2):
            out.append(sibling)
    return out


# ---------------------------------------------------------------- blocks of text out of the tree

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def _blocks(nodes: list[_Node], links: list[tuple[str, str]] | None = None, base: str = "") -> list[str]:
    """The text of `nodes` as paragraphs; the links met in that text go to `links` as (text, url),
    resolved against `base` (the page's address), http(s) only."""
    out: list[str] = []
    current: list[str] = []

    def flush() -> None:
        text = "".join(current)
        lines = [_clean(line) for line in text.split("\n")]
        joined = "\n".join(line for line in lines if line)
        if joined:
            out.append(joined)
        current.clear()

    def visit(node: _Node) -> None:
        if node.tag in {"figure", "figcaption", "img", "picture"}:
            return  # photos and their captions: not the article's text
        block = node.tag in _BLOCK or node.tag == "br"
        if node.tag == "br":
            current.append("\n")
            return
        if block:
            flush()
        if node.tag in {"ul", "ol"} and _link_density(node) > 0.6:
            return  # a list of links inside the article: "read also"
        for child in node.children:
            if isinstance(child, str):
                current.append(child)
            else:
                visit(child)
        if node.tag == "a" and links is not None:
            _add_link(links, _clean(node.text()), node.attrs.get("href", ""), base)
        if node.tag in {"td", "th"}:
            current.append(" ")
        if block:
            flush()

    for node in nodes:
        visit(node)
    flush()
    return out


def _add_link(links: list[tuple[str, str]], text: str, href: str, base: str) -> None:
    href = href.strip()
    if not href or href.startswith("#"):
        return
    url = urljoin(base, href) if base else href
    if not url.lower().startswith(("http://", "https://")) or len(url) > 2000:
        return
    if text and (text, url) not in links:
        links.append((text, url))


# ---------------------------------------------------------------- the page's title and facts


@dataclass(frozen=True)
class WebArticle:
    title: str  # "" when the page names none
    paragraphs: tuple[str, ...]
    source_url: str = ""
    author: str = ""
    published: str = ""  # YYYY-MM-DD when the page says
    links: tuple[tuple[str, str], ...] = ()  # (text, url) of the links in the article's text

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—·»:]\s+")


def _page_title(title: str, site: str) -> str:
    """<title> without the site's name: "Bài viết - VnExpress" -> "Bài viết"."""
    title = _clean(title)
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    if site and _clean(site).lower() in {p.lower() for p in parts}:
        parts = [p for p in parts if p.lower() != _clean(site).lower()]
        return " - ".join(parts)
    longest = max(parts, key=len)
    return longest if len(longest.split()) >= 3 else title


def _first_heading(nodes: list[_Node], root: _Node) -> str:
    for scope in [*nodes, root]:
        for node in [scope, *_walk(scope)]:
            if node.tag == "h1":
                text = _clean(node.text())
                if text:
                    return text
    return ""


def _shorten(text: str) -> str:
    text = _clean(text)
    return text if len(text) <= TITLE_MAX else text[: TITLE_MAX - 1].rsplit(" ", 1)[0] + "…"


_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _facts(builder: _TreeBuilder) -> tuple[str, str, str]:
    meta = builder.meta
    url = meta.get("og:url") or builder.canonical or ""
    url = url if url.startswith(("http://", "https://")) else ""
    author = meta.get("author") or meta.get("article:author") or meta.get("dc.creator") or ""
    published = meta.get("article:published_time") or meta.get("datepublished") or meta.get("pubdate") or ""
    for blob in builder.json_ld:
        try:
            data = json.loads(blob)
        except ValueError:
            continue
        for item in data if isinstance(data, list) else [data]:
            if not isinstance(item, dict):
                continue
            published = published or str(item.get("datePublished") or "")
            who = item.get("author")
            if not author and isinstance(who, dict):
                author = str(who.get("name") or "")
            elif not author and isinstance(who, list) and who and isinstance(who[0], dict):
                author = str(who[0].get("name") or "")
    if author.startswith(("http://", "https://")):  # article:author is often a profile URL
        author = ""
    date = _DATE.search(published)
    return url, _clean(author)[:200], date.group(0) if date else ""


# ---------------------------------------------------------------- HTML


def _without_chrome_lines(paragraph: str) -> str:
    return "\n".join(line for line in paragraph.split("\n") if not chrome_line(line))


def extract_html(markup: str) -> WebArticle:
    """The article of an HTML page or fragment (see the module's docstring)."""
    builder = _TreeBuilder()
    builder.feed(markup)
    builder.close()
    root = builder.root
    removed = _prune(root)
    _measure(root)
    title_tag = _clean(htmllib.unescape("".join(builder.title_parts)))
    if removed:  # page chrome was there: the article is one part of what was copied
        best = _best_container(root)
        best = _widen(best, root) if best is not None else None
        nodes = [*_leads(best), *_with_siblings(best)] if best is not None else [root]
    else:  # a selection, or a document from a word processor (no menus, no footer): all of it
        nodes = [root]
    url, author, published = _facts(builder)
    links: list[tuple[str, str]] = []
    paragraphs = _blocks(nodes, links, url)
    heading = _first_heading(nodes, root)
    site = builder.meta.get("og:site_name", "")
    og_title = _clean(builder.meta.get("og:title", ""))
    title = heading or (_page_title(og_title, site) if og_title else "") or _page_title(title_tag, site)
    if heading and paragraphs and _clean(paragraphs[0]) != heading and heading not in paragraphs[:3]:
        paragraphs.insert(0, heading)  # the headline sat outside the body (vnexpress: beside it)
    kept = tuple(p for p in (_without_chrome_lines(p) for p in paragraphs) if p)
    return WebArticle(_shorten(title), kept, url, author, published, tuple(links))


_HTML_START = re.compile(
    r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|div|p|article|span|table)\b", re.I | re.S
)


def looks_like_html(text: str) -> bool:
    """Text that is an HTML document or fragment (not prose that mentions a tag)."""
    return bool(_HTML_START.match(text[:4096]))


# ---------------------------------------------------------------- plain text copied from a browser

# Whole lines a page's chrome becomes (compared without case, accents kept).
_CHROME_LINES = frozenset(
    s.lower()
    for s in (
        "Trang chủ",
        "Trang nhất",
        "Đăng nhập",
        "Đăng ký",
        "Đăng xuất",
        "Chia sẻ",
        "Chia sẻ bài viết",
        "Bình luận",
        "Gửi bình luận",
        "Ý kiến",
        "Ý kiến bạn đọc",
        "Thích",
        "Lưu",
        "Lưu bài",
        "Lưu bài viết",
        "In bài",
        "In",
        "Gửi bài",
        "Theo dõi",
        "Xem thêm",
        "Đọc thêm",
        "Đọc tiếp",
        "Tin liên quan",
        "Tin cùng chuyên mục",
        "Tin mới nhất",
        "Tin nổi bật",
        "Đọc nhiều",
        "Xem nhiều",
        "Quay lại",
        "Về đầu trang",
        "Lên đầu trang",
        "Tìm kiếm",
        "Menu",
        "Mới nhất",
        "Tags",
        "Từ khóa",
        "Từ khoá",
        "Báo lỗi",
        "Sao chép liên kết",
        "Copy link",
        "Quảng cáo",
        "Liên hệ",
        "Liên hệ quảng cáo",
        "Facebook",
        "Twitter",
        "Zalo",
        "Youtube",
        "TikTok",
        "Email",
        "Share",
        "Tweet",
        "Like",
        "Login",
        "Log in",
        "Sign in",
        "Sign up",
        "Subscribe",
        "Home",
        "Comments",
        "Comment",
        "Related",
        "Read more",
        "Print",
        "Video",
        "Podcasts",
        "Ảnh",
        "RSS",
    )
)
_COPYRIGHT = re.compile(
    r"^(?:©|\(c\)|copyright\b)|bản quyền thuộc|giấy phép (?:số|thiết lập)|all rights reserved|"
    r"ghi rõ nguồn|chịu trách nhiệm (?:nội dung|xuất bản)|tổng biên tập:|cơ quan chủ quản|"
    r"không được sao chép|trụ sở tòa soạn|hotline:",
    re.I,
)
_MENU_SEPARATORS = re.compile(r"\s*(?:\||·|•|»|›|/|–|—|-)\s*")
_SENTENCE_END = re.compile(r"[.!?…:;\"”)]$")
_COUNTER = re.compile(
    r"^\(?\d+(?:[.,]\d+)*\)?\s*(?:bình luận|chia sẻ|lượt xem|lượt thích|comments?|shares?|likes?|views?)$", re.I
)


_TRAILING_COUNT = re.compile(r"\s*\(\d+\)$")  # "Bình luận (19)"


def _menu_line(line: str) -> bool:
    """'Trang chủ | Thời sự | Kinh tế': three or more short items between separators."""
    if not _MENU_SEPARATORS.search(line):
        return False
    items = [i for i in _MENU_SEPARATORS.split(line) if i.strip()]
    return len(items) >= 3 and all(len(i.split()) <= 4 and not _SENTENCE_END.search(i) for i in items)


def chrome_line(line: str) -> bool:
    """A line that is page chrome, never a sentence of the article."""
    text = _clean(line)
    if not text:
        return False
    lowered = _TRAILING_COUNT.sub("", text.lower()).strip(" :•·|>-")
    return lowered in _CHROME_LINES or sure_chrome_line(text)


def sure_chrome_line(line: str) -> bool:
    """Chrome whatever surrounds it: a menu ("Trang chủ | Thời sự | Kinh tế"), a share line
    ("Facebook · Twitter · Zalo"), a counter ("120 bình luận"), a copyright footer. (A single word
    such as "Email" or "Video" is chrome only on a page that shows other chrome.)"""
    text = _clean(line)
    lowered = _TRAILING_COUNT.sub("", text.lower()).strip(" :•·|>-")
    return bool(text) and (
        _menu_line(text) or bool(_COPYRIGHT.search(text)) or bool(_COUNTER.match(text)) or _share_line(lowered)
    )


def _share_line(lowered: str) -> bool:
    words = [w for w in re.split(r"[\s|·•,/]+", lowered) if w]
    return len(words) >= 2 and all(w in _CHROME_LINES or w in {"chia", "sẻ", "qua"} for w in words)


def _short_item(line: str) -> bool:
    text = _clean(line)
    return 0 < len(text) <= 25 and len(text.split()) <= 4 and not _SENTENCE_END.search(text)


def _prose(line: str) -> bool:
    text = _clean(line)
    return len(text.split()) >= 8 and bool(_SENTENCE_END.search(text)) and not chrome_line(text)


def strip_page_chrome(text: str) -> str:
    """Plain text copied from a browser without its menus, share lines and footers.

    Dropped: chrome lines (`chrome_line`), and runs of menu-like short lines (one menu item a line):
    3 or more before the first sentence of prose or after the last one (the page's header and
    footer), 6 or more anywhere. Text with no such lines comes back as it was."""
    lines = text.split("\n")
    drop = [chrome_line(line) for line in lines]
    prose = [k for k, line in enumerate(lines) if _prose(line)]
    first, last = (prose[0], prose[-1]) if prose else (len(lines), -1)
    i = 0
    while i < len(lines):
        if not _short_item(lines[i]):
            i += 1
            continue
        j = i
        while j < len(lines) and (_short_item(lines[j]) or not lines[j].strip() or drop[j]):
            j += 1
        run = [k for k in range(i, j) if _short_item(lines[k])]
        outside = run and (run[-1] < first or run[0] > last)
        if len(run) >= 6 or (outside and len(run) >= 3):
            for k in run:
                drop[k] = True
        i = max(j, i + 1)
    kept = [line for line, gone in zip(lines, drop, strict=True) if not gone]
    out = "\n".join(kept)
    return re.sub(r"\n{3,}", "\n\n", out).strip()


def plain_text_title(text: str) -> str:
    """The first line that reads as a headline (not chrome, a few words, no final full stop), else ""."""
    for line in text.split("\n"):
        clean = _clean(line)
        if not clean or chrome_line(clean):
            continue
        if 3 <= len(clean.split()) <= 40 and not clean.endswith("."):
            return _shorten(clean)
        return ""
    return ""


_HEADLINE_WORDS = (3, 40)
_DATE_LINE = re.compile(r"^(?:[^\d]{0,20})?\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|GMT|\d{1,2}:\d{2}")


def _headline(line: str) -> bool:
    text = _clean(line)
    words = len(text.split())
    return (
        _HEADLINE_WORDS[0] <= words <= _HEADLINE_WORDS[1]
        and not text.endswith(".")
        and not chrome_line(text)
        and not _DATE_LINE.search(text)
    )


def _headline_after_notice(lines: list[str], prose: list[int], page: list[str]) -> int | None:
    """The headline's line when the article's stretch opens with a notice above it.

    A page's notice ("you are viewing an old version", "this article is archived") is a paragraph of
    prose, so it joins the article's stretch. It is told apart by what follows it: the page's
    headline, a line that the page shows twice (`page`: all its lines, chrome included; the
    breadcrumb's last item or the header repeats the title). Then the article starts at that
    headline, not at the notice."""
    if len(prose) < 2:
        return None
    first, second = prose[0], prose[1]
    for k in range(first + 1, min(second, first + 3)):
        line = _clean(lines[k])
        if _headline(line) and sum(1 for other in page if _clean(other) == line) >= 2:
            return k
    return None


def article_text(text: str) -> str:
    """Plain text copied from a whole web page, reduced to its article.

    Chrome lines go (`strip_page_chrome`). When the text shows a page around the article (3 or more
    chrome lines), only the article is kept: the longest stretch of prose paragraphs (sentences
    ending in . ! ? … or a quote; at most 3 other lines between two of them), with the headline just
    before it (a line of 3-40 words, no full stop, within 6 lines) and a byline just after it (one
    short line); a notice that opens the stretch above the headline is left out
    (`_headline_after_notice`). With fewer chrome lines only the sure ones go (`sure_chrome_line`: menus, share
    lines, copyright footers); the rest comes back as it was: a report that says "Email" once is not
    a web page."""
    text = text.replace("\ufffc", "")  # Qt's stand-in for an image
    lines = text.split("\n")
    chrome = sum(1 for line in lines if chrome_line(line))
    if chrome < 3:
        if not any(sure_chrome_line(line) for line in lines):
            return text
        kept = "\n".join(line for line in lines if not sure_chrome_line(line))
        return re.sub(r"\n{3,}", "\n\n", kept).strip()
    stripped = strip_page_chrome(text)
    lines = [line for line in stripped.split("\n") if line.strip()]
    prose = [k for k, line in enumerate(lines) if _prose(line)]
    if not prose:
        return stripped
    clusters: list[list[int]] = [[prose[0]]]
    for k in prose[1:]:
        if k - clusters[-1][-1] <= 4:
            clusters[-1].append(k)
        else:
            clusters.append([k])
    best = max(clusters, key=lambda c: sum(len(lines[k]) for k in c))
    start, end = best[0], best[-1]
    headline = _headline_after_notice(lines, best, text.split("\n"))
    if headline is not None:
        start = headline
    else:
        for k in range(start - 1, max(-1, start - 7), -1):
            if _headline(lines[k]):
                start = k
                break
    if end + 1 < len(lines) and 0 < len(_clean(lines[end + 1]).split()) <= 4 and not chrome_line(lines[end + 1]):
        end += 1  # the byline
    return "\n\n".join(_clean(line) for line in lines[start : end + 1])
