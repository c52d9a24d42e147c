"""Installing, listing and removing Argos packages, with the tiny real package and broken variants."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from app.core.errors import BadPackageError, ModelError, ModelMissingError, NotFoundError
from app.core.translate import packages


def rewrite(
    src: Path,
    dst: Path,
    *,
    drop: str | None = None,
    add: dict[str, bytes] | None = None,
    metadata: dict[str, object] | None = None,
) -> Path:
    """A copy of a package zip with one entry dropped, entries added or metadata.json changed."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for item in zin.infolist():
            if drop and item.filename.endswith(drop):
                continue
            data = zin.read(item)
            if metadata is not None and item.filename.endswith("/metadata.json"):
                data = json.dumps({**json.loads(data), **metadata}).encode()
            zout.writestr(item, data)
        for name, data in (add or {}).items():
            zout.writestr(name, data)
    return dst


def test_install_list_remove(tiny_model_path: Path, data_dir: Path) -> None:
    info = packages.install_package(tiny_model_path)
    assert (info.from_code, info.to_code) == ("vi", "en")
    assert info.path.parent == data_dir / "models"
    assert (info.path / "model" / "model.bin").is_file()
    [listed] = packages.list_packages()
    assert listed == info
    assert listed.version == "0.1" and listed.size > 100_000
    assert listed.model_id == "argos:vi_en:0.1"
    assert packages.find_package("vi", "en") == info
    assert packages.remove_package("vi_en") == info
    assert packages.list_packages() == []
    assert not info.path.exists()


def test_reinstall_replaces_same_pair(tiny_model_path: Path, data_dir: Path, tmp_path: Path) -> None:
    packages.install_package(tiny_model_path)
    newer = rewrite(tiny_model_path, tmp_path / "newer.argosmodel", metadata={"package_version": "0.2"})
    packages.install_package(newer)
    assert [p.version for p in packages.list_packages()] == ["0.2"]
    assert not list((data_dir / "models").glob(".installing-*"))


def test_remove_by_folder_name_and_unknown(tiny_model_path: Path, data_dir: Path) -> None:
    info = packages.install_package(tiny_model_path)
    with pytest.raises(NotFoundError, match="translate-vi_en-tiny"):
        packages.remove_package("de_fr")
    packages.remove_package(info.name)
    assert packages.list_packages() == []


def test_find_package_with_nothing_installed(data_dir: Path) -> None:
    with pytest.raises(ModelMissingError) as err:
        packages.find_package("vi", "en")
    message = str(err.value)
    assert "models install" in message
    assert "translate-vi_en-1_9.argosmodel" in message


def test_argos_reads_our_folder(tiny_model_path: Path, data_dir: Path) -> None:
    packages.install_package(tiny_model_path)
    settings = packages.use_our_argos_dir()
    assert Path(settings.package_data_dir) == data_dir / "models"
    from argostranslate.package import get_installed_packages

    [pkg] = get_installed_packages()
    assert (pkg.from_code, pkg.to_code) == ("vi", "en")


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda src, dst: (dst.write_bytes(b"hello, not a zip" * 10), dst)[1], "not a zip"),
        (lambda src, dst: rewrite(src, dst, drop="metadata.json"), "no metadata.json"),
        (lambda src, dst: rewrite(src, dst, drop="model/model.bin"), "model/model.bin"),
        (lambda src, dst: rewrite(src, dst, drop="sentencepiece.model"), "tokenizer"),
        (lambda src, dst: rewrite(src, dst, add={"../evil.txt": b"x"}), "outside"),
        (lambda src, dst: rewrite(src, dst, add={"translate-vi_en-tiny/../../evil.txt": b"x"}), "outside"),
        (lambda src, dst: rewrite(src, dst, add={"/etc/evil": b"x"}), "outside"),
        (lambda src, dst: rewrite(src, dst, add={"other/x.txt": b"x"}), "exactly one folder"),
        (lambda src, dst: rewrite(src, dst, metadata={"from_code": ""}), "from_code"),
    ],
    ids=[
        "not-zip",
        "no-metadata",
        "no-model-bin",
        "no-tokenizer",
        "slip-dotdot",
        "slip-nested",
        "slip-abs",
        "two-folders",
        "no-from-code",
    ],
)
def test_refuses_bad_packages(make, reason: str, tiny_model_path: Path, data_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = make(tiny_model_path, tmp_path / "bad.argosmodel")
    with pytest.raises(BadPackageError, match=reason) as err:
        packages.install_package(bad)
    assert "models install" in str(err.value)  # says what to do
    assert packages.list_packages() == []
    assert not (tmp_path.parent / "evil.txt").exists()


def test_refuses_wrong_language_pair(tiny_model_path: Path, data_dir: Path, tmp_path: Path) -> None:
    en_vi = rewrite(tiny_model_path, tmp_path / "en_vi.argosmodel", metadata={"from_code": "en", "to_code": "vi"})
    with pytest.raises(BadPackageError, match=r"en→vi.*vi→en"):
        packages.install_package(en_vi)
    assert packages.list_packages() == []
    assert packages.install_package(en_vi, expect=None).code == "en_vi"


def test_validate_does_not_install(tiny_model_path: Path, data_dir: Path) -> None:
    info = packages.validate_package(tiny_model_path)
    assert info.name == "translate-vi_en-tiny" and info.path == tiny_model_path
    assert packages.list_packages() == []


def test_download_offline_says_how_to_get_the_file(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", "http://127.0.0.1:9/")  # discard port: refused at once
    with pytest.raises(ModelError, match=re.escape("models install translate-vi_en-1_9.argosmodel")):
        packages.download_package("vi", "en", timeout=2)


def test_cli_models_commands(tiny_model_path: Path, data_dir: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    import argparse

    from app.cli import models as cli_models

    parser = argparse.ArgumentParser()
    cli_models.register(parser.add_subparsers())

    def run(*argv: str) -> str:
        args = parser.parse_args(["models", *argv])
        assert args.func(args) == 0
        return capsysbinary.readouterr().out.decode("utf-8")

    assert "installed vi→en" in run("install", str(tiny_model_path))
    [row] = json.loads(run("list", "--json"))
    assert (row["from_code"], row["to_code"], row["model_id"]) == ("vi", "en", "argos:vi_en:0.1")
    assert Path(row["path"]).is_dir() and row["size"] > 0
    assert "translate-vi_en-tiny" in run("list")
    assert "removed" in run("remove", "vi_en")
    assert "no translation packages" in run("list")
