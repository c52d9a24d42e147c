"""Review states on a real library translated by the real tiny model (issue 18): accepting machine output
unchanged keeps it machine output (reviewed) with its ⚠; clearing a ⚠ is an explicit, recorded act;
reverting a human edit brings the machine English back and keeps the edit as history; the states and
the log survive a layout repair being undone; migration 9 keeps a version-8 library's current English."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.errors import NotFoundError
from app.core.pipeline import import_file, import_text
from app.core.services.layout_review import review as layout_review
from app.core.services.layout_review import set_undone
from app.core.store import Library
from app.core.store import db as dbmod
from app.core.translate import packages, review
from app.core.translate.engine import Engine
from app.core.translate.memory import post_edit, translate_document

EDIT = "This is an obvious story, without dispute."
ROOT = Path(__file__).parent.parent


@pytest.fixture
def engine(data_dir: Path, tiny_model_path: Path) -> Engine:
    return Engine(packages.install_package(tiny_model_path))


@pytest.fixture
def lib(data_dir: Path):  # type: ignore[no-untyped-def]
    with Library.open() as library:
        yield library


def _translated(lib: Library, engine: Engine, fixtures: Path) -> int:
    doc = import_file(lib, fixtures / "pdf_copy_supercomputers.vi.txt").document_id
    translate_document(lib, doc, engine)
    return doc


def test_accept_keeps_machine_output_and_its_flags(lib: Library, engine: Engine, fixtures: Path) -> None:
    doc = _translated(lib, engine, fixtures)
    current = lib.current_translations(doc)
    seg = next(s for s in lib.segments(doc) if current[s.id].flags)  # nonsense English: some are flagged
    before = current[seg.id]
    assert review.state_of(before) == review.MACHINE and review.needs_review(before)

    assert review.accept(lib, seg.id) is True
    after = lib.current_translations(doc)[seg.id]
    assert review.state_of(after) == review.REVIEWED and not review.needs_review(after)
    assert (after.id, after.kind, after.text, after.flags) == (before.id, "machine", before.text, before.flags)
    assert len(lib.translation_history(seg.id)) == 1  # no copy was stored as "human"
    assert review.accept(lib, seg.id) is False  # accepting twice changes nothing
    assert [(e.action, e.translation_id) for e in review.log(lib, [seg.id])] == [("accepted", before.id)]

    # a post-edit is the user's own words, whatever its review history
    post_edit(lib, seg.id, EDIT)
    assert review.state_of(lib.current_translations(doc)[seg.id]) == review.EDITED
    assert review.accept(lib, seg.id) is False


def test_flags_stay_until_cleared_and_the_clearing_is_recorded(lib: Library, engine: Engine, fixtures: Path) -> None:
    doc = _translated(lib, engine, fixtures)
    current = lib.current_translations(doc)
    seg = next(s for s in lib.segments(doc) if current[s.id].flags)
    flags = current[seg.id].flags
    review.accept(lib, seg.id)
    assert lib.current_translations(doc)[seg.id].flags == flags  # accepting is not clearing

    assert review.clear_flags(lib, seg.id) == flags
    after = lib.current_translations(doc)[seg.id]
    assert after.flags == () and after.cleared == flags and review.state_of(after) == review.REVIEWED
    stored = lib.db.execute("SELECT flags FROM translations WHERE id = ?", [after.id]).fetchone()[0]
    assert tuple(stored.split()) == tuple(f for f in flags if f != "source-changed")  # kept for the record
    assert [e.action for e in review.log(lib, [seg.id])] == ["accepted", "flags-cleared"]
    assert review.log(lib, [seg.id])[-1].detail == " ".join(flags)
    assert review.clear_flags(lib, seg.id) == ()  # nothing left to clear
    # the filter of the document view follows
    assert not review.shown_by(review.ONLY_FLAGGED, after)
    assert review.shown_by(review.ONLY_FLAGGED, current[seg.id])


def test_revert_to_machine_keeps_the_edit_as_history(lib: Library, engine: Engine, fixtures: Path) -> None:
    doc = _translated(lib, engine, fixtures)
    seg = next(s for s in lib.segments(doc) if s.text.startswith("Đây là câu chuyện"))
    machine = lib.current_translations(doc)[seg.id]
    with pytest.raises(NotFoundError, match="not an edit"):
        review.revert_to_machine(lib, seg.id)

    post_edit(lib, seg.id, "A first try.")
    post_edit(lib, seg.id, EDIT)
    assert review.can_revert(lib.current_translations(doc)[seg.id], lib)
    assert [h.segment_id for h in lib.search("without dispute")] == [seg.id]

    back = review.revert_to_machine(lib, seg.id)
    assert (back.id, back.text, back.kind) == (machine.id, machine.text, "machine")
    assert lib.current_translations(doc)[seg.id].id == machine.id
    history = lib.translation_history(seg.id)
    assert [(t.kind, t.text, t.reverted) for t in history] == [
        ("machine", machine.text, False),
        ("human", "A first try.", True),
        ("human", EDIT, True),
    ]
    assert lib.search("without dispute") == []  # the search index follows the current English
    assert [e.action for e in review.log(lib, [seg.id])] == ["reverted", "reverted"]

    # a reverted edit is not offered by the translation memory to an identical sentence elsewhere
    other = import_text(lib, seg.text + "\n\nMột câu khác hoàn toàn.", title="copy").document_id
    translate_document(lib, other, engine)
    twin = next(s for s in lib.segments(other) if s.text == seg.text)
    assert lib.current_translations(other)[twin.id].text != EDIT

    # editing again after a revert makes the new words current; the old ones stay reverted
    post_edit(lib, seg.id, "Third words.")
    assert lib.current_translations(doc)[seg.id].text == "Third words."
    assert lib.integrity() == "ok"


def test_revert_needs_a_machine_translation(lib: Library) -> None:
    doc = import_text(lib, "Giá xăng tăng 5%.", title="no model").document_id
    seg = lib.segments(doc)[0]
    post_edit(lib, seg.id, "Petrol rose 5%.")
    assert not review.can_revert(lib.current_translations(doc)[seg.id], lib)
    with pytest.raises(NotFoundError, match="no machine translation"):
        review.revert_to_machine(lib, seg.id)
    assert lib.current_translations(doc)[seg.id].text == "Petrol rose 5%."


def test_review_state_survives_undoing_a_layout_repair(lib: Library, engine: Engine, fixtures: Path) -> None:
    doc = _translated(lib, engine, fixtures)
    segs = lib.segments(doc)
    current = lib.current_translations(doc)
    accepted = next(s for s in segs if current[s.id].flags)
    edited = next(s for s in segs if s.text.startswith("Đây là câu chuyện"))
    review.accept(lib, accepted.id)
    review.clear_flags(lib, accepted.id)
    post_edit(lib, edited.id, EDIT)
    review.revert_to_machine(lib, edited.id)

    before = layout_review(lib, doc)
    # undo a repair in a paragraph holding neither sentence: both keep their text and move to new rows
    far = next(
        r
        for r in before.repairs
        if not any(t in before.paragraphs[r.repair.paragraph].text for t in (accepted.text[:30], edited.text[:30]))
    )
    set_undone(lib, doc, {far.index})
    by_text = {s.text: s.id for s in lib.segments(doc)}
    now = lib.current_translations(doc)
    moved_accepted = now[by_text[accepted.text]]
    assert review.state_of(moved_accepted) == review.REVIEWED and moved_accepted.flags == ()
    moved_edited = by_text[edited.text]
    assert now[moved_edited].kind == "machine"
    assert [t.reverted for t in lib.translation_history(moved_edited) if t.kind == "human"] == [True]
    actions = [e.action for e in review.log(lib, [by_text[accepted.text], moved_edited])]
    assert sorted(actions) == ["accepted", "flags-cleared", "reverted"]


def test_migration_9_keeps_the_current_english_of_a_version_8_library(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite3"
    db = dbmod.connect(path)
    try:
        dbmod.migrate(db, target=8)
        with db.atomic():
            db.execute(
                "INSERT INTO documents (id, title, sha256, kind, imported_at, raw_text, cleaned_text)"
                " VALUES (1, 'cũ', 'abc', 'text', 'x', 'Bằng sáng chế.', 'Bằng sáng chế.')"
            )
            db.execute(
                "INSERT INTO paragraphs (id, document_id, idx, text, start_char, end_char) VALUES (1, 1, 0, 'x', 0, 14)"
            )
            db.execute(
                "INSERT INTO segments (id, document_id, paragraph_id, idx, text, start_char, end_char)"
                " VALUES (1, 1, 1, 0, 'Bằng sáng chế.', 0, 14)"
            )
            db.execute(
                "INSERT INTO translations (segment_id, text, kind, created_at, flags)"
                " VALUES (1, 'Patent.', 'machine', 'x', 'length')"
            )
            db.execute(
                "INSERT INTO translations (segment_id, text, kind, created_at) VALUES (1, 'My patent.', 'human', 'x')"
            )
    finally:
        db.close()
    with Library.open(path) as lib:
        current = lib.current_translations(1)[1]
        assert (current.text, review.state_of(current)) == ("My patent.", review.EDITED)
        assert [h.segment_id for h in lib.search("my patent")] == [1]
        back = review.revert_to_machine(lib, 1)
        assert (back.text, back.flags) == ("Patent.", ("length",))
        assert [h.segment_id for h in lib.search("patent")] == [1] and lib.search("my patent") == []


def _cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env={**os.environ, "DOICHIEU_DATA_DIR": str(data_dir)},
        timeout=120,
    )


def test_command_line_reviews_with_the_same_rules(data_dir: Path, engine: Engine, fixtures: Path) -> None:
    with Library.open() as lib:
        doc = _translated(lib, engine, fixtures)
        current = lib.current_translations(doc)
        segs = lib.segments(doc)
        flagged = next(i for i, s in enumerate(segs) if current[s.id].flags) + 1
        edited = next(i for i, s in enumerate(segs) if s.text.startswith("Đây là câu chuyện")) + 1
        post_edit(lib, segs[edited - 1].id, EDIT)
        machine = sum(t.kind == "machine" for t in current.values()) - 1  # the edited one is no longer machine
    res = _cli(data_dir, "review", str(doc), "--accept", str(flagged), "--clear-warning", str(flagged))
    assert res.returncode == 0, res.stderr
    assert f"{flagged}: accepted (reviewed)" in res.stdout and f"{flagged}: warning cleared" in res.stdout

    res = _cli(data_dir, "review", str(doc), "--only", "unreviewed", "--json")
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert len(rows) == machine - 1 and {r["state"] for r in rows} == {"machine"}
    assert flagged not in {r["sentence"] for r in rows}

    res = _cli(data_dir, "review", str(doc), "--revert", str(edited))
    assert res.returncode == 0 and f"{edited}: back to the machine translation" in res.stdout
    res = _cli(data_dir, "review", str(doc), "--revert", str(edited))
    assert res.returncode != 0 and "not an edit" in res.stderr  # one line, not a traceback
    assert "Traceback" not in res.stderr

    res = _cli(data_dir, "review", str(doc), "--log")
    assert [line.split("  ")[2] for line in res.stdout.splitlines()] == ["accepted", "flags-cleared", "reverted"]
    with Library.open() as lib:
        seg = lib.segments(doc)[flagged - 1]
        tr = lib.current_translations(doc)[seg.id]
        assert review.state_of(tr) == review.REVIEWED and tr.flags == ()
        assert [t.reverted for t in lib.translation_history(lib.segments(doc)[edited - 1].id)] == [False, True]


def test_retranslating_keeps_accepted_machine_english(lib: Library, engine: Engine, fixtures: Path) -> None:
    doc = _translated(lib, engine, fixtures)
    segs = lib.segments(doc)
    accepted, other = segs[1], segs[2]
    before = lib.current_translations(doc)
    review.accept(lib, accepted.id)
    translate_document(lib, doc, engine, retranslate=True)
    after = lib.current_translations(doc)
    assert after[accepted.id].id == before[accepted.id].id and review.state_of(after[accepted.id]) == review.REVIEWED
    assert after[other.id].id != before[other.id].id  # the model ran again on English nobody reviewed


def test_every_report_format_tells_the_three_states_apart(
    lib: Library, engine: Engine, fixtures: Path, tmp_path: Path
) -> None:
    import zipfile

    from app.core.export.docx import write_docx
    from app.core.export.markdown import render_markdown
    from app.core.export.options import ExportOptions
    from app.core.export.report import build_report
    from app.core.export.tmx import build_tmx

    doc = _translated(lib, engine, fixtures)
    segs = lib.segments(doc)
    review.accept(lib, segs[0].id)
    post_edit(lib, segs[1].id, EDIT)
    report = build_report(lib, [doc], ExportOptions())
    section = report.sections[0]
    assert [r.review for r in section.rows[:3]] == ["reviewed", "edited", "machine"]
    assert (section.reviewed, section.human) == (1, 1)
    assert section.unreviewed == section.translated - 2 - section.copied

    lines = render_markdown(report).splitlines()
    row = {
        n: next(line for line in lines if line.startswith(f"| {n} |") or line.startswith(f"| ¶ {n} |"))
        for n in (1, 2, 3)
    }
    english = {n: row[n].rsplit(" | ", 1)[1] for n in row}
    assert "✓" in english[1] and "✎" not in english[1]
    assert "✎" in english[2] and "✓" not in english[2]
    assert "✓" not in english[3] and "✎" not in english[3]
    assert "1 reviewed" in "\n".join(lines) and "machine, not reviewed" in "\n".join(lines)

    props = {}
    for tu in build_tmx(report).iter("tu"):
        values = {p.get("type"): p.text for p in tu.iter("prop")}
        props[int(values["x-doichieu-sentence"])] = values["x-doichieu-review"]
    assert (props[1], props[2], props[3]) == ("reviewed", "edited", "machine")

    out = write_docx(report, tmp_path / "r.docx")
    body = zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")
    assert body.count("✓ reviewed") == 1 and body.count("✎ edited by hand") == 1
