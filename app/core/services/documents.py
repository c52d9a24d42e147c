"""What a user says of a document: its title (rename), and its source address, author and
publication date. One set of rules for the window's dialogs and the command line.

- A title is trimmed (inner runs of spaces and line breaks become one space), not empty, at most
  TITLE_MAX characters.
- A source URL is empty or a plain http(s) address to a host ("www.host/…" is taken as https);
  anything else (file:, javascript:, a local path, text) is refused.
- An author is free text, trimmed, at most AUTHOR_MAX characters, on one line.
- A publication date is empty, YYYY, YYYY-MM or YYYY-MM-DD, and a real date.

Reports show the source file's NAME only, unless the user asks for the whole path
(`source_shown`): a report sent out must not carry "/home/<user>/…" by default."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from app.core.claims.evidence import is_linkable
from app.core.errors import InputError
from app.core.store import Library

TITLE_MAX = 200
AUTHOR_MAX = 200
URL_MAX = 2000

_SPACES = re.compile(r"\s+")
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass(frozen=True)
class DocumentFacts:
    """A document's source address, author and publication date ("" when not known)."""

    source_url: str = ""
    author: str = ""
    published: str = ""

    @property
    def empty(self) -> bool:
        return not (self.source_url or self.author or self.published)


def _one_line(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def check_title(title: str) -> str:
    """The title as stored: trimmed, on one line, not empty, at most TITLE_MAX characters."""
    title = _one_line(title)
    if not title:
        raise InputError("a document needs a title; type at least one letter")
    if len(title) > TITLE_MAX:
        raise InputError(f"a title is at most {TITLE_MAX} characters (this one has {len(title)}); shorten it")
    return title


def check_source_url(url: str) -> str:
    """Empty, or a plain http(s) URL to a host; a bare "www.host/…" becomes https://www.host/…."""
    url = url.strip()
    if not url:
        return ""
    if len(url) > URL_MAX:
        raise InputError(f"a source address is at most {URL_MAX} characters")
    if url.lower().startswith("www.") and is_linkable("https://" + url):
        url = "https://" + url
    if not is_linkable(url):
        raise InputError(
            f"{url[:60]!r} is not a web address; give one starting with http:// or https://, or leave it empty"
        )
    return url


def check_author(author: str) -> str:
    author = _one_line(author)
    if len(author) > AUTHOR_MAX:
        raise InputError(f"an author is at most {AUTHOR_MAX} characters (this one has {len(author)}); shorten it")
    return author


def check_published(published: str) -> str:
    """Empty, or YYYY, YYYY-MM or YYYY-MM-DD naming a real year, month or day."""
    published = published.strip()
    if not published:
        return ""
    m = _DATE.fullmatch(published)
    if m is None:
        raise InputError(
            f"{published[:40]!r} is not a date; give YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2024, 2024-03 or 2024-03-15)"
        )
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    if year < 1:
        raise InputError(f"{published!r}: the year 0000 does not exist")
    if month is not None and not 1 <= int(month) <= 12:
        raise InputError(f"{published!r}: there is no month {month}; months are 01 to 12")
    if day is not None:
        try:
            dt.date(year, int(month or 1), int(day))
        except ValueError:
            raise InputError(f"{published!r} is not a day of the calendar") from None
    return published


def check_facts(source_url: str = "", author: str = "", published: str = "") -> DocumentFacts:
    return DocumentFacts(check_source_url(source_url), check_author(author), check_published(published))


def rename_document(library: Library, doc_id: int, title: str) -> str:
    """Gives the document a new title (checked with `check_title`); returns the title stored."""
    library.document(doc_id)  # NotFoundError for a document that is gone
    title = check_title(title)
    with library.transaction():
        library.db.conn.execute("UPDATE documents SET title = ? WHERE id = ?", (title, doc_id))
    return title


def document_facts(library: Library, doc_id: int) -> DocumentFacts:
    library.document(doc_id)
    row = library.db.execute("SELECT source_url, author, published FROM documents WHERE id = ?", [doc_id]).fetchone()
    return DocumentFacts(*(str(v or "") for v in row))


def set_document_facts(
    library: Library, doc_id: int, *, source_url: str = "", author: str = "", published: str = ""
) -> DocumentFacts:
    """Checks and stores all three at once (one transaction); an invalid one stores nothing."""
    library.document(doc_id)
    facts = check_facts(source_url, author, published)
    with library.transaction():
        library.db.conn.execute(
            "UPDATE documents SET source_url = ?, author = ?, published = ? WHERE id = ?",
            (facts.source_url, facts.author, facts.published, doc_id),
        )
    return facts


def source_name(source_path: str | None) -> str | None:
    """The file name of a stored source path, whichever system wrote it ("C:\\x\\a.pdf" -> "a.pdf")."""
    if not source_path:
        return None
    name = PureWindowsPath(source_path).name if "\\" in source_path else PurePosixPath(source_path).name
    return name or source_path


def source_shown(source_path: str | None, include_path: bool) -> str | None:
    """What a report prints as the source file: the name only, unless the user asked for the path."""
    return source_path if include_path else source_name(source_path)
