"""The Engine on a real (tiny, random-weight) package: structure of the output, not its English."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.errors import CancelledError, ModelError, ModelMissingError
from app.core.translate import packages
from app.core.translate.engine import Engine, decoding_budget

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def sentences() -> list[str]:
    """Real Vietnamese sentences from the two samples (crudely split; lengths vary a lot)."""
    import re

    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(FIXTURES.glob("*.vi.txt")))
    return [s for s in re.split(r"(?<=[.!?])\s+", " ".join(text.split())) if s][:60]


@pytest.fixture(scope="module")
def engine(tiny_model_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Engine:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DOICHIEU_DATA_DIR", str(tmp_path_factory.mktemp("data")))
        info = packages.install_package(tiny_model_path)
    # Small batches so a few dozen sentences make several batches.
    return Engine(info, max_batch_tokens=256)


def test_count_and_determinism(engine: Engine, sentences: list[str]) -> None:
    out = engine.translate(sentences)
    assert len(out) == len(sentences)
    assert all(isinstance(t, str) and t for t in out)
    assert engine.translate(sentences) == out
    a, b = sentences[0], sentences[1]
    assert len(a) != len(b)
    twice = engine.translate([a, b, a])
    assert twice[0] == twice[2] != twice[1]


def test_results_come_back_in_input_order(engine: Engine, sentences: list[str]) -> None:
    # One sentence per batch: each output must be that sentence's own translation, however the
    # batches were sorted and interleaved. (With random weights an output's length depends on the
    # batch's longest source, so only one-sentence batches are comparable with lone calls.)
    single = Engine(engine.package, max_batch_tokens=1)
    picked = sentences[:12]
    out = single.translate(picked)
    assert out == [single.translate([s])[0] for s in picked]


def test_output_length_is_bounded_by_source(engine: Engine, sentences: list[str]) -> None:
    for src, out in zip(sentences[:10], engine.translate(sentences[:10]), strict=True):
        n_src = len(engine._tokenizer.encode([src])[0])
        assert len(engine._tokenizer.encode([out])[0]) <= 2 * decoding_budget(n_src)


def test_empty_inputs_stay_empty(engine: Engine, sentences: list[str]) -> None:
    texts = ["", sentences[0], "   ", "\n", sentences[1]]
    out = engine.translate(texts)
    assert out[0] == out[2] == out[3] == ""
    assert out[1] and out[4]
    assert engine.translate([]) == []
    calls: list[tuple[int, int]] = []
    assert engine.translate(["", " "], progress=lambda d, n, _m: calls.append((d, n))) == ["", ""]
    assert calls == [(2, 2)]


def test_progress_increases_to_total(engine: Engine, sentences: list[str]) -> None:
    calls: list[tuple[int, int]] = []
    engine.translate(sentences, progress=lambda done, total, _m: calls.append((done, total)))
    assert len(calls) >= 3
    dones = [d for d, _ in calls]
    assert dones == sorted(set(dones))
    assert all(total == len(sentences) for _, total in calls)
    assert calls[-1] == (len(sentences), len(sentences))


def test_cancel_after_first_batch(engine: Engine, sentences: list[str]) -> None:
    got: list[tuple[int, str]] = []
    batches = 0

    def on_progress(done: int, total: int, _message: str) -> None:
        nonlocal batches
        batches += 1

    with pytest.raises(CancelledError, match="cancelled after"):
        for item in engine.translate_iter(sentences, progress=on_progress, cancel=lambda: batches >= 1):
            got.append(item)
    assert 0 < len(got) < len(sentences)
    full = engine.translate(sentences)
    assert all(full[i] == text for i, text in got)  # the kept part is the real result


def test_beam_1_and_4(engine: Engine, sentences: list[str]) -> None:
    few = sentences[:8]
    for beam in (1, 4):
        out = engine.translate(few, beam_size=beam)
        assert len(out) == len(few) and all(out)


def test_model_id(engine: Engine) -> None:
    assert engine.model_id == "argos:vi_en:0.1"


def test_engine_without_package_says_how_to_install(data_dir: Path) -> None:
    with pytest.raises(ModelMissingError, match="models install"):
        Engine()


def test_broken_model_gives_model_error(tiny_model_path: Path, data_dir: Path) -> None:
    info = packages.install_package(tiny_model_path)
    (info.path / "model" / "model.bin").write_bytes(b"garbage")
    with pytest.raises(ModelError, match="could not load"):
        Engine(info)
