"""n-best hypotheses, scores and provenance with the real tiny model (issue 19): the engine returns
several hypotheses with scores; translate_document prefers the one that uses the glossary's agreed
term, keeps the others as alternatives, and records the model's file hash and the decoding settings."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from app.core.pipeline import import_text
from app.core.store import Library
from app.core.translate import glossary, packages, provenance
from app.core.translate.engine import Engine
from app.core.translate.memory import translate_document

SENTENCE = "Bộ Y tế công bố số liệu mới về dịch bệnh ở Hà Nội."


@pytest.fixture
def engine(data_dir: Path, tiny_model_path: Path) -> Engine:
    return Engine(packages.install_package(tiny_model_path))


@pytest.fixture
def lib(data_dir: Path):
    with Library.open() as library:
        yield library


def words(text: str) -> set[str]:
    return {w.casefold() for w in re.findall(r"\w+", text)}


def has_word(text: str, word: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE) is not None


def test_engine_returns_scored_distinct_hypotheses_best_first(engine: Engine) -> None:
    [(_i, hyps)] = list(engine.translate_nbest_iter([SENTENCE], beam_size=4))
    assert 2 <= len(hyps) <= 4
    assert len({h.text for h in hyps}) == len(hyps)
    assert [h.score for h in hyps] == sorted((h.score for h in hyps), reverse=True)
    assert all(h.score < 0 and 0 < h.confidence <= 1 for h in hyps)
    # greedy decoding gives one hypothesis; translate_iter still gives the best text
    [(_i, greedy)] = list(engine.translate_nbest_iter([SENTENCE], beam_size=1, num_hypotheses=4))
    assert len(greedy) == 1
    assert engine.translate([SENTENCE], beam_size=4) == [hyps[0].text]


def test_document_prefers_the_hypothesis_with_the_agreed_term(lib: Library, engine: Engine) -> None:
    doc = import_text(lib, SENTENCE, "nbest").document_id
    [seg] = lib.segments(doc)
    [(_i, hyps)] = list(engine.translate_nbest_iter([seg.text], beam_size=4))
    # an English word that only a later hypothesis uses becomes the agreed term for "Bộ Y tế"
    term = next((w for h in hyps[1:] for w in sorted(words(h.text) - words(hyps[0].text)) if len(w) > 1), None)
    assert term is not None, "the tiny model's hypotheses should differ in words"
    expected = next(h for h in hyps if has_word(h.text, term))
    assert expected is not hyps[0]

    # without a glossary: the best-scored hypothesis, the others kept as alternatives
    translate_document(lib, doc, engine, beam_size=4)
    assert lib.current_translations(doc)[seg.id].text == hyps[0].text
    detail = provenance.current_details(lib, doc)[seg.id]
    assert detail.score == pytest.approx(hyps[0].score, abs=1e-4)
    assert [t for t, _s in detail.alternatives] == [h.text for h in hyps[1:]]

    glossary.add_entry(lib, "bộ y tế", term)  # lower case: matched against "Bộ Y tế"
    translate_document(lib, doc, engine, beam_size=4, retranslate=True)
    current = lib.current_translations(doc)[seg.id]
    assert current.text == expected.text
    detail = provenance.current_details(lib, doc)[seg.id]
    assert detail.score == pytest.approx(expected.score, abs=1e-4)
    assert hyps[0].text in [t for t, _s in detail.alternatives]
    assert 0 < (detail.confidence or 0) <= 1
    assert glossary.glossary_misses(seg.text, current.text, glossary.load(lib, doc)) == []


def test_each_translation_records_model_hash_and_decoding_settings(lib: Library, engine: Engine) -> None:
    doc = import_text(lib, SENTENCE, "provenance").document_id
    translate_document(lib, doc, engine, beam_size=2)
    [run] = provenance.document_runs(lib, doc)
    model_bin = engine.package.path / "model" / "model.bin"
    assert run.model_sha256 == hashlib.sha256(model_bin.read_bytes()).hexdigest()
    assert (run.model, run.model_version) == (engine.model_id, engine.package.version)
    assert run.settings["beam_size"] == 2 and run.settings["num_hypotheses"] == 2
    assert run.settings["length_penalty"] == 0.2
    assert "beam 2" in run.describe() and run.model_sha256[:16] in run.describe()
    # the hash is cached beside model.bin and reused
    assert (model_bin.parent / provenance.SIDECAR).read_text().endswith(run.model_sha256)


def test_reports_list_the_model_hash_and_settings(lib: Library, engine: Engine, tmp_path: Path) -> None:
    from app.core.export import ExportOptions
    from app.core.export.report import build_report

    doc = import_text(lib, SENTENCE, "report").document_id
    translate_document(lib, doc, engine, beam_size=2)
    [section] = build_report(lib, [doc], ExportOptions()).sections
    [run] = provenance.document_runs(lib, doc)
    assert section.models == (run.describe(),)
    assert run.model_sha256[:16] in section.models[0] and "beam 2, 2 hypotheses" in section.models[0]
