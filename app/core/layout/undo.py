"""Undoing layout repairs: from the repaired paragraphs and the list of repairs, rebuild the
paragraphs as they would be without some of them. Pure: the original result is never modified, so
any set of repairs can be undone and redone in any order."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from app.core.layout import cues
from app.core.model import Paragraph, Repair

SPLITTING = {"join_lines", "join_page_break", "join_column_break", "attach_bullet"}
DROPS = {"drop_header", "drop_footer", "drop_page_number"}


def is_undoable(repair: Repair) -> bool:
    if repair.at is None:
        return False
    return repair.kind in SPLITTING or repair.kind in DROPS or repair.kind in ("dehyphenate", "split_glued")


def undo_repairs(
    paragraphs: Sequence[Paragraph], repairs: Sequence[Repair], undone: Collection[int]
) -> list[Paragraph]:
    """`paragraphs` with the repairs whose indexes are in `undone` reverted.

    A join undone splits its paragraph where the second line started; a de-hyphenation undone puts
    the hyphen back; a dropped header or page number comes back as a paragraph of its own where it
    stood."""
    cuts: dict[int, dict[int, tuple[bool, str, int]]] = {}  # paragraph -> offset -> (split, insert, chars to drop)
    restored: dict[int, list[Repair]] = {}  # paragraph index -> dropped lines to put back before it
    for i in sorted(set(undone)):
        if not 0 <= i < len(repairs) or not is_undoable(repairs[i]):
            continue
        r = repairs[i]
        assert r.at is not None
        if r.kind in DROPS:
            restored.setdefault(r.at, []).append(r)
            continue
        if not 0 <= r.paragraph < len(paragraphs):
            continue
        split, insert, drop = cuts.setdefault(r.paragraph, {}).get(r.at, (False, "", 0))
        if r.kind == "dehyphenate":
            insert = r.removed
        elif r.kind == "split_glued":  # OCR: the space it put between two glued syllables goes
            drop = 1
        else:
            split = True
        cuts[r.paragraph][r.at] = (split, insert, drop)

    out: list[Paragraph] = []
    for n, para in enumerate(paragraphs):
        out.extend(_restored(restored.get(n, [])))
        out.extend(_cut(para, cuts.get(n, {})))
    out.extend(_restored(restored.get(len(paragraphs), [])))
    return out


def _restored(drops: list[Repair]) -> list[Paragraph]:
    return [Paragraph(r.removed, "paragraph", cues.detect_lang(r.removed), r.page) for r in drops if r.removed.strip()]


def _cut(para: Paragraph, cuts: dict[int, tuple[bool, str, int]]) -> list[Paragraph]:
    if not cuts:
        return [para]
    pieces: list[str] = []
    current = ""
    pos = 0
    for at in sorted(cuts):
        split, insert, drop = cuts[at]
        at = min(max(at, 0), len(para.text))
        current += para.text[pos:at] + insert
        pos = at + drop
        if split:
            pieces.append(current)
            current = ""
    pieces.append(current + para.text[pos:])
    texts = [cues.collapse_spaces(p) for p in pieces]
    result: list[Paragraph] = []
    for k, text in enumerate(t for t in texts if t):
        kind = para.kind if k == 0 else ("list_item" if cues.is_list_start(text) else "paragraph")
        result.append(Paragraph(text, kind, cues.detect_lang(text) if k else para.lang, para.page))
    return result
