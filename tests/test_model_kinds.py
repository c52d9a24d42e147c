"""Each model kind with a tiny random-weight model: an Argos package, an OPUS-MT-style Marian model
(source.spm + target.spm) and an NLLB-style model (shared SentencePiece + language tokens) install
(from a folder or a zip), translate through the engine, list with kind and licence, and remove."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.core.errors import BadPackageError, NotFoundError
from app.core.translate import model_kinds, packages
from app.core.translate.engine import Engine
from tests.make_tiny_model import build_ct2_model

SENTENCES = ["Xin chào thế giới.", "Hôm nay trời đẹp và các nhà khoa học công bố báo cáo."]


@pytest.fixture(scope="session")
def ct2_models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Tiny Marian and NLLB-style model folders and zips, built once per session (~1 s each)."""
    root = tmp_path_factory.mktemp("ct2")
    return {
        "marian": build_ct2_model(root / "opus-mt-vi-en", "marian"),
        "marian_zip": build_ct2_model(root / "zipped" / "opus-mt-vi-en", "marian", zip_it=True),
        "nllb": build_ct2_model(root / "nllb-200-tiny", "nllb"),
        "nllb_zip": build_ct2_model(root / "zipped" / "nllb-200-tiny", "nllb", zip_it=True),
    }


@pytest.mark.parametrize("source", ["marian", "marian_zip"])
def test_marian_installs_translates_with_target_spm_and_removes(
    ct2_models: dict[str, Path], data_dir: Path, source: str
) -> None:
    info = packages.install_package(ct2_models[source])
    assert (info.kind, info.name, info.from_code, info.to_code) == ("marian", "opus-mt-vi-en", "vi", "en")
    assert info.licence.startswith("CC-BY-4.0")
    assert (info.path / "source.spm").is_file() and (info.path / "target.spm").is_file()
    assert (info.path / "model" / "model.bin").is_file()
    assert [p.name for p in packages.list_packages()] == ["opus-mt-vi-en"]
    engine = Engine(info)
    assert engine.model_id == "marian:vi_en:opus-mt-vi-en"
    tokens = engine._tokenizer.encode(SENTENCES[:1])[0]
    assert tokens[-1] == "</s>" and "▁ch" in tokens  # Vietnamese pieces of source.spm
    out = engine.translate(SENTENCES)
    assert all(out)
    # target.spm was trained on English only: every decoded letter comes from it, never a Vietnamese one
    assert all(ch.isascii() for text in out for ch in text), out
    packages.remove_package("opus-mt-vi-en")
    assert packages.list_packages() == []


@pytest.mark.parametrize("source", ["nllb", "nllb_zip"])
def test_nllb_needs_licence_then_translates_with_language_tokens(
    ct2_models: dict[str, Path], data_dir: Path, source: str
) -> None:
    with pytest.raises(model_kinds.LicenceNotAcceptedError, match=r"CC-BY-NC-4\.0"):
        packages.install_package(ct2_models[source])
    assert packages.list_packages() == []  # refused: nothing installed
    info = packages.install_package(ct2_models[source], accept_licence=True)
    assert (info.kind, info.source_token, info.target_prefix) == ("nllb", "vie_Latn", "eng_Latn")
    assert "NC" in info.licence
    engine = Engine(info)
    tokens = engine._tokenizer.encode(SENTENCES[:1])[0]
    assert tokens[0] == "vie_Latn" and tokens[-1] == "</s>"
    out = engine.translate(SENTENCES)
    assert all(out)
    assert not any(tok in text for text in out for tok in ("eng_Latn", "vie_Latn", "</s>"))
    # Accepted once, remembered: a second install needs no flag.
    packages.remove_package(info.name)
    again = packages.install_package(ct2_models[source])
    assert again.kind == "nllb"


def test_argos_and_other_kinds_live_side_by_side(
    tiny_model_path: Path, ct2_models: dict[str, Path], data_dir: Path
) -> None:
    argos = packages.install_package(tiny_model_path)
    marian = packages.install_package(ct2_models["marian"])
    nllb = packages.install_package(ct2_models["nllb"], accept_licence=True)
    kinds = {p.name: p.kind for p in packages.list_packages()}
    assert kinds == {argos.name: "argos", marian.name: "marian", nllb.name: "nllb"}
    assert argos.licence == "CC-BY-4.0"
    assert packages.find_package("vi", "en").name == argos.name  # the default stays the Argos package
    assert packages.find_model("opus-mt-vi-en").kind == "marian"
    assert packages.find_model(nllb.model_id).name == nllb.name
    assert Engine(argos).translate(SENTENCES[:1])[0]
    with pytest.raises(NotFoundError, match="several models"):
        packages.remove_package("vi_en")  # a pair no longer names one model: nothing removed
    assert len(packages.list_packages()) == 3
    packages.remove_package(marian.name)  # by name: the others stay
    assert sorted(p.kind for p in packages.list_packages()) == ["argos", "nllb"]
    with pytest.raises(NotFoundError):
        packages.remove_package("opus-mt-vi-en")


def test_a_folder_that_is_no_known_kind_is_refused(ct2_models: dict[str, Path], data_dir: Path, tmp_path: Path) -> None:
    broken = tmp_path / "half-model"
    shutil.copytree(ct2_models["marian"], broken)
    (broken / "target.spm").unlink()
    with pytest.raises(BadPackageError, match="SentencePiece"):
        packages.install_package(broken)
    no_tokens = tmp_path / "no-language-tokens"
    shutil.copytree(ct2_models["nllb"], no_tokens)
    vocab = json.loads((no_tokens / "shared_vocabulary.json").read_text())
    (no_tokens / "shared_vocabulary.json").write_text(json.dumps([t for t in vocab if "_" not in t[1:]]))
    with pytest.raises(BadPackageError, match="language tokens"):
        packages.install_package(no_tokens, accept_licence=True)
    assert packages.list_packages() == []
    assert not any(paths.name.startswith(".installing-") for paths in (data_dir / "models").iterdir())


def test_cli_install_list_remove_each_kind(
    ct2_models: dict[str, Path], tiny_model_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.cli import main

    def run(*args: str | Path) -> tuple[int, str, str]:
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    code, _, err = run("models", "install", ct2_models["nllb_zip"])
    assert code != 0
    assert "CC-BY-NC-4.0" in err and "--accept-licence" in err
    assert len(err.strip().splitlines()) == 1
    code, _, err = run("models", "install", ct2_models["nllb_zip"], "--accept-licence")
    assert code == 0, err
    assert "warning:" in err and "commercial" in err
    assert run("models", "install", ct2_models["marian"])[0] == 0
    assert run("models", "install", tiny_model_path)[0] == 0
    rows = {r["name"]: r for r in json.loads(run("models", "list", "--json")[1])}
    assert {n: (r["kind"], r["licence"][:12]) for n, r in rows.items()} == {
        "nllb-200-tiny": ("nllb", "CC-BY-NC-4.0"),
        "opus-mt-vi-en": ("marian", "CC-BY-4.0 (O"),
        "translate-vi_en-tiny": ("argos", "CC-BY-4.0"),
    }
    assert "marian\tCC-BY-4.0" in run("models", "list")[1]
    for name in rows:
        assert run("models", "remove", name)[0] == 0
    assert json.loads(run("models", "list", "--json")[1]) == []


def test_model_manager_shows_kind_and_licence_and_asks_before_a_non_commercial_install(
    qtbot,  # type: ignore[no-untyped-def]
    qtmodeltester,
    ct2_models: dict[str, Path],
    data_dir: Path,
) -> None:
    from app.gui.dialogs.model_manager import ModelManager, ModelsTable

    asked: list[str] = []
    answers = [False, True]
    chosen = [str(ct2_models["nllb"])] * 2 + [str(ct2_models["marian_zip"])]
    manager = ModelManager(
        choose_file=lambda: chosen.pop(),
        choose_folder=lambda: chosen.pop(),
        confirm=lambda text: asked.append(text) is None and answers.pop(0),
    )
    qtbot.addWidget(manager)
    emitted: list[str] = []
    manager.install_requested.connect(emitted.append)
    manager._install()  # the Marian zip: CC-BY-4.0, no question
    assert emitted == [str(ct2_models["marian_zip"])] and asked == []
    manager._install_folder()  # NLLB: asked first; No -> nothing starts
    assert len(asked) == 1 and "CC-BY-NC-4.0" in asked[0] and "commercial" in asked[0]
    assert len(emitted) == 1 and "not installed" in manager.status.text()
    assert not model_kinds.licence_accepted("nllb")
    manager._install_folder()  # Yes -> the install starts, the acceptance is remembered
    assert emitted[-1] == str(ct2_models["nllb"]) and model_kinds.licence_accepted("nllb")
    for path in emitted:
        packages.install_package(Path(path))  # what the window's job does, without a flag now
    manager.refresh()
    table = manager.model
    headers = [table.headerData(c, Qt.Orientation.Horizontal) for c in range(table.columnCount())]
    assert headers[-2:] == ["Kind", "Licence"]
    shown = {
        table.index(r, 0).data(): (table.index(r, 4).data(), table.index(r, 5).data()) for r in range(table.rowCount())
    }
    assert shown == {
        "nllb-200-tiny": ("NLLB / M2M-100", "CC-BY-NC-4.0 (non-commercial use only)"),
        "opus-mt-vi-en": ("OPUS-MT (Marian)", "CC-BY-4.0 (OPUS-MT)"),
    }
    standalone = ModelsTable()
    standalone.set_rows(packages.list_packages())
    qtmodeltester.check(standalone, force_py=True)


def test_m2m100_style_language_tokens(ct2_models: dict[str, Path], data_dir: Path, tmp_path: Path) -> None:
    """M2M-100 writes its language tokens as `__vi__`/`__en__`: same kind, those tokens used."""
    m2m = tmp_path / "m2m100-tiny"
    shutil.copytree(ct2_models["nllb"], m2m)
    vocab_file = m2m / "shared_vocabulary.json"
    renamed = {"vie_Latn": "__vi__", "eng_Latn": "__en__"}
    vocab_file.write_text(json.dumps([renamed.get(t, t) for t in json.loads(vocab_file.read_text())]))
    info = packages.install_package(m2m)  # M2M-100 is MIT: no licence to accept
    assert (info.kind, info.source_token, info.target_prefix) == ("nllb", "__vi__", "__en__")
    assert info.licence.startswith("MIT") and not model_kinds.licence_accepted("nllb")
    engine = Engine(info)
    assert engine._tokenizer.encode(SENTENCES[:1])[0][0] == "__vi__"
    out = engine.translate(SENTENCES)
    assert all(out) and not any("__en__" in t for t in out)
