"""Translating stored documents with the real tiny model: alignment, English kept, memory, post-edits,
resuming after a kill. Outputs are nonsense words; assertions are on structure, not English."""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.errors import ModelMissingError
from app.core.pipeline import import_file, import_text
from app.core.store import Library
from app.core.translate import packages
from app.core.translate.engine import Engine
from app.core.translate.memory import post_edit, translate_document

ROOT = Path(__file__).parent.parent


@pytest.fixture
def engine(data_dir: Path, tiny_model_path: Path) -> Engine:
    return Engine(packages.install_package(tiny_model_path))


@pytest.fixture
def lib(data_dir: Path):
    with Library.open() as library:
        yield library


def translation_rows(lib: Library, doc_id: int) -> dict[int, list[tuple[str, str]]]:
    rows = lib.db.execute(
        "SELECT t.segment_id, t.kind, t.text FROM translations t JOIN segments s ON s.id = t.segment_id "
        "WHERE s.document_id = ? ORDER BY t.id",
        [doc_id],
    ).fetchall()
    out: dict[int, list[tuple[str, str]]] = {}
    for seg_id, kind, text in rows:
        out.setdefault(seg_id, []).append((kind, text))
    return out


def test_samples_translate_end_to_end(lib: Library, engine: Engine, fixtures: Path) -> None:
    for name in ("forum_post_ai_race", "pdf_copy_supercomputers"):
        doc = import_file(lib, fixtures / f"{name}.vi.txt").document_id
        report = translate_document(lib, doc, engine)
        segments = lib.segments(doc)
        current = lib.current_translations(doc)
        assert set(current) == {s.id for s in segments}  # exactly one current translation each
        assert report.total == len(segments) == report.translated + report.copied + report.from_memory
        for s in segments:
            t = current[s.id]
            if s.lang == "en":  # pasted English: unchanged, not sent to the model
                assert (t.kind, t.text, t.model) == ("copy", s.text, None)
            else:
                assert t.kind == "machine" and t.model == engine.model_id and t.text
        assert all(len(v) == 1 for v in translation_rows(lib, doc).values())
    forum = lib.segments(1)
    assert sum(s.lang == "en" for s in forum) >= 4


def test_post_edit_survives_retranslation(lib: Library, engine: Engine, fixtures: Path) -> None:
    doc = import_file(lib, fixtures / "pdf_copy_supercomputers.vi.txt").document_id
    translate_document(lib, doc, engine)
    seg = lib.segments(doc)[3]
    post_edit(lib, seg.id, "My own careful English.")
    report = translate_document(lib, doc, engine, retranslate=True, beam_size=4)
    assert report.kept_human == 1
    current = lib.current_translations(doc)
    assert current[seg.id].kind == "human" and current[seg.id].text == "My own careful English."
    history = translation_rows(lib, doc)
    assert history[seg.id] == [history[seg.id][0], ("human", "My own careful English.")]  # not re-run
    others = [rows for sid, rows in history.items() if sid != seg.id]
    assert all(len(rows) == 2 and rows[0][0] == rows[1][0] == "machine" for rows in others)  # history kept


def test_translation_memory(lib: Library, engine: Engine) -> None:
    repeated = "Báo cáo 2024 của WIPO cho thấy Trung Quốc dẫn đầu."
    first = import_text(lib, f"{repeated} Câu riêng thứ nhất.\n\n{repeated}").document_id
    report = translate_document(lib, first, engine)
    assert report.translated == 3  # the repeated sentence went to the model once, for both places
    current = lib.current_translations(first)
    segs = lib.segments(first)
    assert current[segs[0].id].text == current[segs[2].id].text

    post_edit(lib, segs[0].id, "WIPO's 2024 report shows China in the lead.")
    second = import_text(lib, f"Mở đầu khác hẳn. {repeated}").document_id
    report = translate_document(lib, second, engine)
    assert report.from_memory == 1 and report.translated == 1
    reused = lib.current_translations(second)[lib.segments(second)[1].id]
    assert (reused.kind, reused.text) == ("memory", "WIPO's 2024 report shows China in the lead.")


def test_no_model_installed_says_how_to_get_one(data_dir: Path) -> None:
    with pytest.raises(ModelMissingError, match=r"models install .*translate-vi_en-1_9\.argosmodel"):
        Engine()


def _unique_sentences(n: int) -> str:
    words = re.findall(r"[^\W\d_]+", (ROOT / "tests/fixtures/forum_post_ai_race.vi.txt").read_text(encoding="utf-8"))
    rng = random.Random(7)
    paras = []
    for p in range(n // 5):
        sents = [
            f"Câu {p}-{k} " + " ".join(rng.choice(words) for _ in range(rng.randint(6, 20))) + "." for k in range(5)
        ]
        paras.append(" ".join(sents))
    return "\n\n".join(paras)


def test_killed_translation_resumes_without_redoing(tmp_path: Path, data_dir: Path, tiny_model_path: Path) -> None:
    env = {**os.environ, "DOICHIEU_DATA_DIR": str(data_dir)}
    main = [sys.executable, str(ROOT / "main.py")]
    doc = tmp_path / "dài.txt"
    doc.write_text(_unique_sentences(1500), encoding="utf-8")
    for args in (["models", "install", str(tiny_model_path)], ["import", str(doc)]):
        subprocess.run([*main, *args], env=env, check=True, capture_output=True, timeout=120)
    proc = subprocess.Popen([*main, "translate", "1"], env=env, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    for line in proc.stderr:  # kill it once some batches are stored, well before the end
        m = re.search(r"(\d+)/(\d+) sentences", line)
        if m and 0 < int(m.group(1)) < int(m.group(2)) // 2:
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    with Library.open() as lib:
        assert lib.integrity() == "ok"
        done_before = set(lib.current_translations(1))
        total = len(lib.segments(1))
        assert 0 < len(done_before) < total
    res = subprocess.run([*main, "translate", "1"], env=env, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert f"{total - len(done_before)} translated, {len(done_before)} already done" in res.stdout
    with Library.open() as lib:
        rows = translation_rows(lib, 1)
        assert set(rows) == {s.id for s in lib.segments(1)}
        assert all(len(v) == 1 for v in rows.values())  # nothing was translated twice
