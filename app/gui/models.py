"""Qt item models over the library. They hold plain rows from `app.core` and never write SQL."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractListModel, QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont

from app.core import ocr_marks
from app.core.claims.alignment import ClaimSpans, claim_spans
from app.core.claims.tags import UNTAGGED_COLOR
from app.core.claims.workflow import ClaimView
from app.core.store import DocumentInfo, Library, StoredSegment, StoredTranslation
from app.core.translate import review
from app.core.translate.checks import explain
from app.core.translate.packages import PackageInfo
from app.core.translate.provenance import Detail, current_details

Index = QModelIndex | QPersistentModelIndex
USER = Qt.ItemDataRole.UserRole
SEGMENT_ROLE = USER + 1  # StoredSegment
TRANSLATION_ROLE = USER + 2  # StoredTranslation | None
SPANS_ROLE = USER + 3  # [(start, end, colour, claim id)] inside this cell's text
ID_ROLE = USER + 4  # the row's id (document, claim, package name)
CONFIDENCE_ROLE = USER + 5  # float 0..1 for a machine translation with a score, else None
ALTERNATIVES_ROLE = USER + 6  # the engine's other hypotheses [(text, score)] for a machine translation
FLAGGED_BG = QColor("#fdebd0")
HUMAN_FG = QColor("#1a5276")
OCR_LOW_BG = QColor("#fcf3cf")  # a sentence of a paragraph OCR read with low confidence (issue 17)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    color: str
    claim_id: int


class DocumentListModel(QAbstractListModel):
    """Documents of the library, filtered to a set of ids (search results, tag/verdict filters)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[DocumentInfo] = []
        self._rows: list[DocumentInfo] = []
        self._only: set[int] | None = None

    def reload(self, lib: Library) -> None:
        self.beginResetModel()
        self._all = lib.documents()
        self._apply()
        self.endResetModel()

    def set_filter(self, ids: set[int] | None) -> None:
        self.beginResetModel()
        self._only = ids
        self._apply()
        self.endResetModel()

    def _apply(self) -> None:
        self._rows = [d for d in self._all if self._only is None or d.id in self._only]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        doc = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return doc.title
        if role == Qt.ItemDataRole.ToolTipRole:
            pages = f", {doc.page_count} pages" if doc.page_count else ""
            return f"#{doc.id} {doc.title}\n{doc.segment_count} sentences{pages}, {doc.kind}"
        if role == ID_ROLE:
            return doc.id
        return None

    def row_of(self, doc_id: int) -> int:
        return next((i for i, d in enumerate(self._rows) if d.id == doc_id), -1)

    def document_ids(self) -> list[int]:
        return [d.id for d in self._rows]


class SegmentTableModel(QAbstractTableModel):
    """# | Tiếng Việt | English for one document, fetched 200 rows at a time as the view scrolls."""

    CHUNK = 200
    HEADERS = ("#", "Tiếng Việt", "English")
    post_edited = Signal(int)  # a segment id: its English was edited here and stored

    def __init__(self, lib: Library, doc_id: int, total: int, parent: Any = None) -> None:
        super().__init__(parent)
        self.lib = lib
        self.doc_id = doc_id
        self.total = total
        self.segments: list[StoredSegment] = []
        self.translations: dict[int, StoredTranslation] = {}
        self.details: dict[int, Detail] = {}  # segment id -> score and alternatives of its machine English
        self.claims: list[ClaimView] = []
        self._spans: dict[int, ClaimSpans] = {}  # claim id -> its spans against `translations`
        self.tag_colors: dict[str, str] = {}
        self.fetches = 0  # how many chunks were loaded (the bench prints it)
        self.ocr_low = ocr_marks.low_paragraphs(lib, doc_id)  # paragraph id -> confidence (issue 17)
        self._fetching = False
        self.reload_translations()

    # lazy rows ------------------------------------------------------------------------------------

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._fetching and len(self.segments) < self.total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._fetching:
            return  # views may ask again from inside the insertion signals
        self._fetching = True
        try:
            chunk = self.lib.segments(self.doc_id, len(self.segments), self.CHUNK)
            if not chunk:
                self.total = len(self.segments)
                return
            first = len(self.segments)
            self.beginInsertRows(QModelIndex(), first, first + len(chunk) - 1)
            self.segments.extend(chunk)
            self.endInsertRows()
            self.fetches += 1
        finally:
            self._fetching = False

    def fetch_until(self, row: int) -> None:
        while row >= len(self.segments) and self.canFetchMore():
            self.fetchMore()

    def reload_translations(self) -> None:
        """Translations come in one query per document: a few ms even for 5,000 sentences, and the
        English column must know which rows are untranslated without loading every sentence."""
        self.set_translations(self.lib.current_translations(self.doc_id), current_details(self.lib, self.doc_id))

    def set_translations(
        self, translations: dict[int, StoredTranslation], details: dict[int, Detail] | None = None
    ) -> None:
        """Translations read elsewhere: the window reads them on a quick thread while a long
        translation runs (the query took up to 140 ms on the window's thread near its end).
        `details` (app.core.translate.provenance.current_details) keeps confidence and alternatives
        current; without it the old ones stay."""
        self.translations = translations
        if details is not None:
            self.details = details
        self._spans.clear()
        if self.segments:
            self.dataChanged.emit(self.index(0, 2), self.index(len(self.segments) - 1, 2))

    def set_claims(self, claims: Sequence[ClaimView], tag_colors: dict[str, str]) -> None:
        self.claims = list(claims)
        self._spans.clear()
        self.tag_colors = dict(tag_colors)
        if self.segments:
            self.dataChanged.emit(self.index(0, 1), self.index(len(self.segments) - 1, 2), [SPANS_ROLE])

    # Qt API ---------------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.segments)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < 3:
            return self.HEADERS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsEditable if index.column() == 2 else base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.segments):
            return None
        seg = self.segments[index.row()]
        col = index.column()
        tr = self.translations.get(seg.id)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == 0:
                return str(seg.idx + 1)
            if col == 1:
                return seg.text
            return tr.text if tr else ""
        if role == SEGMENT_ROLE:
            return seg
        if role == TRANSLATION_ROLE:
            return tr
        if role == ID_ROLE:
            return seg.id
        if role in (CONFIDENCE_ROLE, ALTERNATIVES_ROLE):
            detail = self.details.get(seg.id) if tr is not None and tr.kind == "machine" else None
            if detail is None:
                return None
            return detail.confidence if role == CONFIDENCE_ROLE else list(detail.alternatives)
        if role == SPANS_ROLE and col in (1, 2):
            return self._spans_vi(seg) if col == 1 else self._spans_en(seg, tr)
        if col == 1 and seg.paragraph_id in self.ocr_low:  # read by OCR, low confidence: check it
            if role == Qt.ItemDataRole.BackgroundRole:
                return OCR_LOW_BG
            if role == Qt.ItemDataRole.ToolTipRole:
                return "⚠ " + ocr_marks.mark(self.ocr_low[seg.paragraph_id])
        if col != 2 or tr is None:
            if role == Qt.ItemDataRole.ForegroundRole and col == 0:
                return QColor("#808080")
            return None
        if role == Qt.ItemDataRole.FontRole and tr.kind in {"human", "memory"}:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and tr.kind in {"human", "memory"}:
            return HUMAN_FG
        if role == Qt.ItemDataRole.BackgroundRole and tr.flags:
            return FLAGGED_BG
        if role == Qt.ItemDataRole.ToolTipRole:
            who = {"human": "your edit", "memory": "your earlier edit of this sentence", "copy": "kept as is"}
            tip = who.get(tr.kind, f"machine translation ({tr.model})")
            if tr.kind == "machine" and tr.reviewed:
                tip = f"✓ machine translation ({tr.model}), reviewed: you accepted it unchanged"
            if tr.cleared and not tr.flags:
                tip += "\nwarning cleared by you (" + ", ".join(tr.cleared) + ")"
            detail = self.details.get(seg.id) if tr.kind == "machine" else None
            if detail is not None and detail.confidence is not None:
                tip += f"\nconfidence {detail.confidence:.0%}"
                if detail.alternatives:
                    tip += f"; {len(detail.alternatives)} other translations (right-click to pick one)"
            if tr.flags:  # the reasons in words, from the one formatter the reports use too
                tip += "\ncheck it:\n" + "\n".join(f"⚠ {why}" for why in explain(seg.text, tr.text, tr.flags))
            return tip
        return None

    def refresh_row(self, row: int) -> None:
        """Read one sentence's current English again, after a review action stored it (accepted,
        reverted, warning cleared: app.core.translate.review)."""
        if not 0 <= row < len(self.segments):
            return
        seg = self.segments[row]
        tr = self.lib.current_translation(seg.id)
        if tr is None:
            self.translations.pop(seg.id, None)
        else:
            self.translations[seg.id] = tr
        self._spans.clear()
        self.dataChanged.emit(self.index(row, 0), self.index(row, 2))

    def flagged(self, row: int) -> bool:
        """A check flagged this sentence's English (shown ⚠, with the reason in its tooltip)."""
        if not 0 <= row < len(self.segments):
            return False
        tr = self.translations.get(self.segments[row].id)
        return bool(tr and tr.flags)

    def confidence(self, row: int) -> float | None:
        if not 0 <= row < len(self.segments):
            return None
        value = self.data(self.index(row, 2), CONFIDENCE_ROLE)
        return float(value) if value is not None else None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Post-edit: the view's editor commits here; the change is stored at once."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() != 2:
            return False
        text = " ".join(str(value).split())
        seg = self.segments[index.row()]
        current = self.translations.get(seg.id)
        if not text or review.unchanged(current, text):  # untouched: not an edit (Ctrl+Enter accepts it)
            return False
        from app.core.translate.memory import post_edit

        post_edit(self.lib, seg.id, text)
        history = self.lib.translation_history(seg.id)
        human = [t for t in history if t.kind == "human"]
        if human:
            self.translations[seg.id] = human[-1]
        self._spans.clear()
        # a claim's English span is found again in its sentences' new English: their rows repaint
        rows = {index.row()}
        for c in self.claims:
            ids = {s.id for s in c.segments}
            if seg.id in ids:
                rows.update(i for i, s in enumerate(self.segments) if s.id in ids)
        self.dataChanged.emit(self.index(min(rows), 2), self.index(max(rows), 2))
        self.post_edited.emit(seg.id)
        return True

    # claims inside cells ----------------------------------------------------------------------------

    def _color(self, view: ClaimView) -> str:
        for tag in view.row.tags:
            if tag in self.tag_colors:
                return self.tag_colors[tag]
        return UNTAGGED_COLOR  # its own neutral colour, not a tag's

    def claim_spans(self, view: ClaimView) -> ClaimSpans:
        """The claim's spans against the English this model shows (a post-edit made here counts at once)."""
        spans = self._spans.get(view.row.id)
        if spans is None:
            english = {s.id: self.translations[s.id].text for s in view.segments if s.id in self.translations}
            spans = self._spans[view.row.id] = claim_spans(view.row, view.segments, english)
        return spans

    def _spans_vi(self, seg: StoredSegment) -> list[Span]:
        out = []
        for c in self.claims:
            found = self.claim_spans(c).vi(seg.id)
            if found is not None:
                out.append(Span(found[0], found[1], self._color(c), c.row.id))
        return out

    def _spans_en(self, seg: StoredSegment, tr: StoredTranslation | None) -> list[Span]:
        if tr is None:
            return []
        out = []
        for c in self.claims:
            found = self.claim_spans(c).en(seg.id)
            if found is not None:
                out.append(Span(found[0], found[1], self._color(c), c.row.id))
        return out

    def row_of_offset(self, offset: int) -> int:
        """The row whose sentence holds this offset of the cleaned text, fetching rows as needed."""
        while True:
            for i, s in enumerate(self.segments):
                if s.end_char > offset:
                    return i
            if not self.canFetchMore():
                return len(self.segments) - 1
            self.fetchMore()


class _RowsTableModel(QAbstractTableModel):
    """A small table over an in-memory list `rows`, one column per entry of HEADERS."""

    HEADERS: tuple[str, ...] = ()
    rows: list[Any]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if role == Qt.ItemDataRole.DisplayRole and horizontal and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        return None


class ClaimsModel(_RowsTableModel):
    HEADERS = ("Tags", "Verdict", "Tiếng Việt", "English")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[ClaimView] = []
        self.tag_colors: dict[str, str] = {}

    def set_rows(self, rows: Sequence[ClaimView], tag_colors: dict[str, str]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.tag_colors = dict(tag_colors)
        self.endResetModel()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        view = self.rows[index.row()]
        row = view.row
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return ", ".join(row.tags) or "—"
            if col == 1:
                return row.verdict
            if col == 2:
                return ("⚠ " if row.status == "orphaned" else "") + row.quote
            return view.english
        if role == Qt.ItemDataRole.BackgroundRole and col == 0:
            return QColor(self.tag_colors.get(row.tags[0], UNTAGGED_COLOR) if row.tags else UNTAGGED_COLOR)
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = row.quote
            if row.note:
                tip += f"\n\nNote: {row.note}"
            if row.status == "orphaned":
                tip += "\n\nIts words are no longer in the text."
            return tip
        if role == ID_ROLE:
            return row.id
        return None


class SuggestionsModel(QAbstractListModel):
    """Likely claims found by `app.core.claims.suggest`, best first."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def remove(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self.rows[row]
        self.endRemoveRows()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        s = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return s.text
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"score {s.score:.2f}: " + "; ".join(s.cues)
        if role == USER:
            return s
        return None


class RepairsModel(QAbstractListModel):
    """Layout repairs of a document with whether each is undone (checkable: unchecked = undone)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[Any] = []  # app.core.services.layout_review.RepairState
        self.undone: set[int] = set()

    def set_rows(self, rows: Sequence[Any], undone: set[int]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.undone = set(undone)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        state = self.rows[index.row()]
        repair = state.repair
        undone = state.index in self.undone
        if role == Qt.ItemDataRole.DisplayRole:
            where = f"p. {repair.page}, " if repair.page else ""
            what = repair.detail or repair.removed
            return f"{'↶ ' if undone else ''}{repair.kind.replace('_', ' ')} ({where}¶{repair.paragraph + 1}) {what}"
        if role == Qt.ItemDataRole.FontRole and undone:
            font = QFont()
            font.setStrikeOut(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and not state.undoable:
            return QColor("#909090")
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = "undone" if undone else ("applied" if state.undoable else "applied (cannot be undone alone)")
            return tip + (f"\nremoved: {repair.removed!r}" if repair.removed else "")
        if role == USER:
            return state
        return None


class PackagesModel(_RowsTableModel):
    HEADERS = ("Package", "Languages", "Version", "Size")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[PackageInfo] = []

    def set_rows(self, rows: Sequence[PackageInfo]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        p = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                p.name,
                f"{p.from_name or p.from_code} → {p.to_name or p.to_code}",
                p.version,
                f"{p.size / 1e6:.0f} MB" if p.size >= 1e6 else f"{p.size / 1e3:.0f} kB",
            )[index.column()]
        if role == ID_ROLE:
            return p.name
        return None
