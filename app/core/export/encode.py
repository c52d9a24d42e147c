"""Text made fit for the file it goes into. Every export writer gets its text through here:

- `visible(text)`: characters XML 1.0 forbids (C0 control codes other than tab, line feed and
  carriage return; lone surrogates; U+FFFE and U+FFFF) become U+FFFD "�", one for one, so a reader
  sees that something was there, offsets of claims stay right, and DOCX/TMX/HTML stay well-formed.
  `visible_report(report)` applies it to every text of a report (all formats).
- `link_target(url)`: the URL to put in a link, or "" when it must not become a link. Only what
  `app.core.claims.evidence.is_linkable` accepts (plain http(s) to a host) becomes a link, and it is
  percent-encoded down to RFC 3986 characters without ( ) ' " < > \\ spaces or non-ASCII, so it can
  break out of no PDF string, HTML attribute or Markdown link destination (the host is IDNA-encoded).
- `csv_cell(text)`: a cell a spreadsheet would run as a formula (= + - @ tab CR at its start) gets a
  leading apostrophe, except a plain number such as "-2" or "+84" (no formula can hide in one).
"""

from __future__ import annotations

import dataclasses
import re
import string
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit, urlunsplit

from app.core.claims.evidence import is_linkable

REPLACEMENT = "\ufffd"
_INVALID_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# RFC 3986 unreserved and reserved characters, less those that mean something to a PDF string,
# HTML or Markdown: ( ) ' and, never allowed anyway, " < > \ space { } | ^ `
URI_SAFE = string.ascii_letters + string.digits + "-._~:/?#[]@!$&*+,;=%"
_URI_SAFE_SET = frozenset(URI_SAFE)
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)*")

T = TypeVar("T")


def visible(text: str) -> str:
    """`text` with every character XML 1.0 forbids replaced by U+FFFD (same length)."""
    return _INVALID_XML.sub(REPLACEMENT, text) if _INVALID_XML.search(text) else text


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return visible(value)
    if isinstance(value, tuple):
        items = [_clean(v) for v in value]
        return value if all(a is b for a, b in zip(items, value, strict=True)) else tuple(items)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for f in dataclasses.fields(value):
            old = getattr(value, f.name)
            new = _clean(old)
            if new is not old:
                changes[f.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    return value


def visible_report(report: T) -> T:
    """The report (any tree of dataclasses, tuples and strings) with `visible` applied to every text;
    the same object when nothing needed replacing."""
    result: T = _clean(report)
    return result


def link_target(url: str) -> str:
    """The URL as it may be written into a link (see the module docstring), or "" for no link."""
    url = url.strip()
    if not is_linkable(url):
        return ""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
        host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except (ValueError, UnicodeError):
        return ""
    if not host or not all(c in _URI_SAFE_SET for c in host):
        return ""
    userinfo = parts.netloc.rpartition("@")[0] if "@" in parts.netloc else ""
    netloc = (_quote(userinfo) + "@" if userinfo else "") + (f"[{host}]" if ":" in host else host)
    netloc += f":{port}" if port is not None else ""
    target = urlunsplit((parts.scheme.lower(), netloc, _quote(parts.path), _quote(parts.query), _quote(parts.fragment)))
    if not is_linkable(target) or not all(c in _URI_SAFE_SET for c in target):
        return ""
    return target


def _quote(part: str) -> str:
    return quote(_LONE_PERCENT.sub("%25", part), safe=URI_SAFE)


def csv_cell(value: str) -> str:
    """A text cell a spreadsheet will show as text: formula triggers at its start get a leading "'"."""
    if value.startswith(CSV_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value
