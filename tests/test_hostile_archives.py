"""Hostile `.argosmodel` archives: zip bombs, lying headers, damaged, encrypted or unreadable entries,
hostile metadata.json. Each is refused with a typed BadPackageError naming the reason (never a
traceback), nothing is installed and no unpacking folder is left behind. Archives are the tiny real
package (tests/make_tiny_model.py) rewritten or byte-patched here."""

from __future__ import annotations

import json
import os
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from app.core.errors import BadPackageError, ModelError
from app.core.translate import packages

TOP = "translate-vi_en-tiny"
MB = 1024**2


def copy_with(
    src: Path,
    dst: Path,
    *,
    metadata_raw: bytes | None = None,
    extra: dict[str, bytes] | None = None,
    zeros: tuple[str, int] | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> Path:
    """A copy of the package; metadata.json replaced by `metadata_raw`, entries added, or one entry of
    `zeros[1]` zero bytes (written in chunks, so a big bomb costs little memory) added."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", compression) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if metadata_raw is not None and item.filename.endswith("/metadata.json"):
                data = metadata_raw
            zout.writestr(item, data)
        for name, data in (extra or {}).items():
            zout.writestr(name, data)
        if zeros is not None:
            name, size = zeros
            info = zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0))
            info.compress_type = compression
            with zout.open(info, "w", force_zip64=True) as out:
                block = bytes(MB)
                for _ in range(size // MB):
                    out.write(block)
    return dst


def meta_with(src: Path, **changes: object) -> bytes:
    with zipfile.ZipFile(src) as zf:
        meta = json.loads(zf.read(f"{TOP}/metadata.json"))
    return json.dumps({**meta, **changes}).encode()


def patch_headers(path: Path, name: str, *, local: dict[int, bytes], central: dict[int, bytes]) -> Path:
    """Overwrite bytes at offsets (from the header's signature) of the local and central headers of
    the entry `name`, the way a hostile or damaged archive differs from what zipfile writes."""
    data = bytearray(path.read_bytes())
    raw = name.encode()
    for sig, name_at, patches in ((b"PK\x03\x04", 30, local), (b"PK\x01\x02", 46, central)):
        at = data.find(sig)
        while at >= 0 and data[at + name_at : at + name_at + len(raw)] != raw:
            at = data.find(sig, at + 1)
        assert at >= 0, f"no {sig!r} header for {name}"
        for offset, value in patches.items():
            data[at + offset : at + offset + len(value)] = value
    path.write_bytes(bytes(data))
    return path


def u16(n: int) -> bytes:
    return struct.pack("<H", n)


def u32(n: int) -> bytes:
    return struct.pack("<I", n)


def assert_refused(path: Path, data_dir: Path, reason: str, **kwargs: object) -> BadPackageError:
    with pytest.raises(BadPackageError, match=reason) as err:
        packages.install_package(path, **kwargs)  # type: ignore[arg-type]
    message = str(err.value)
    assert "\n" not in message and "Traceback" not in message
    assert "models install" in message  # says what to do
    assert packages.list_packages() == []
    models = data_dir / "models"
    assert not models.exists() or [p.name for p in models.iterdir()] == []  # no .installing-* left
    return err.value


# --- zip bombs ---------------------------------------------------------------------------------------


def test_zip_bomb_refused_before_anything_is_written(tiny_model_path: Path, data_dir: Path, tmp_path: Path) -> None:
    """64 MB of zeros zip to ~64 KB: an entry growing ~1000 times is refused from its headers."""
    bomb = copy_with(tiny_model_path, tmp_path / "bomb.argosmodel", zeros=(f"{TOP}/model/pad.bin", 64 * MB))
    assert bomb.stat().st_size < 2 * MB
    written: list[int] = []
    assert_refused(bomb, data_dir, "zip bomb", progress=written.append)
    assert written == []


def test_bomb_declaring_gigabytes_is_refused(tiny_model_path: Path, data_dir: Path, tmp_path: Path) -> None:
    """A small archive whose headers declare 3.75 GiB (the probe's case) is refused before unpacking."""
    path = copy_with(tiny_model_path, tmp_path / "liar.argosmodel", extra={f"{TOP}/model/pad.bin": bytes(MB)})
    size = u32(int(3.75 * 1024**3))
    patch_headers(path, f"{TOP}/model/pad.bin", local={22: size}, central={24: size})
    written: list[int] = []
    assert_refused(path, data_dir, "more than a package", progress=written.append)
    assert written == []


def test_written_bytes_never_exceed_the_budget(tiny_model_path: Path, data_dir: Path, tmp_path: Path) -> None:
    """With a small budget (and the ratio check off), a 16 MB entry is stopped by the running count:
    the bytes written, counted chunk by chunk, never pass the budget."""
    path = copy_with(tiny_model_path, tmp_path / "big.argosmodel", zeros=(f"{TOP}/model/pad.bin", 16 * MB))
    budget = packages.ExtractBudget(total_bytes=4 * MB, ratio=1e9, chunk=256 * 1024)
    written: list[int] = []
    assert_refused(path, data_dir, "more than", budget=budget, progress=written.append)
    assert max(written, default=0) <= budget.total_bytes


def test_header_lying_small_stops_at_the_declared_size(tiny_model_path: Path, data_dir: Path, tmp_path: Path) -> None:
    """An entry of 16 MB of zeros whose headers declare 1 MB: never more than 1 MB of it is written."""
    path = copy_with(tiny_model_path, tmp_path / "short.argosmodel", zeros=(f"{TOP}/model/pad.bin", 16 * MB))
    patch_headers(path, f"{TOP}/model/pad.bin", local={}, central={24: u32(MB)})
    budget = packages.ExtractBudget(ratio=1e9, chunk=256 * 1024)
    written: list[int] = []
    assert_refused(path, data_dir, "damaged|CRC|header", budget=budget, progress=written.append)
    with zipfile.ZipFile(tiny_model_path) as zf:
        honest = sum(i.file_size for i in zf.infolist())
    assert max(written, default=0) <= honest + MB


def test_time_budget(tiny_model_path: Path, data_dir: Path) -> None:
    assert_refused(tiny_model_path, data_dir, "took longer", budget=packages.ExtractBudget(seconds=0.0))


def test_entry_count_budget(tiny_model_path: Path, data_dir: Path) -> None:
    assert_refused(tiny_model_path, data_dir, "entries", budget=packages.ExtractBudget(entries=3))


# --- damaged or unreadable archives ------------------------------------------------------------------


def flip_data_byte(path: Path) -> Path:
    """Damage model.bin's compressed bytes in the middle."""
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(f"{TOP}/model/model.bin")
    data = bytearray(path.read_bytes())
    at = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + info.compress_size // 2
    for i in range(64):
        data[at + i] ^= 0x5A
    path.write_bytes(bytes(data))
    return path


Damage = Callable[[Path], Path]
DAMAGES: dict[str, tuple[Damage, str]] = {
    "bad-crc": (
        lambda p: patch_headers(p, f"{TOP}/model/model.bin", local={14: u32(1234)}, central={16: u32(1234)}),
        "damaged zip archive",
    ),
    "bad-data": (flip_data_byte, "damaged zip archive"),
    "encrypted": (
        lambda p: patch_headers(p, f"{TOP}/README.md", local={6: u16(0x1)}, central={8: u16(0x1)}),
        "encrypted",
    ),
    "zstd": (
        lambda p: patch_headers(p, f"{TOP}/README.md", local={8: u16(93)}, central={10: u16(93)}),
        "compression method 93",
    ),
    "names-differ": (
        lambda p: patch_headers(p, f"{TOP}/README.md", local={30 + len(TOP) + 1: b"X"}, central={}),
        "damaged zip archive",
    ),
    "truncated": (
        lambda p: (p.write_bytes(p.read_bytes()[: p.stat().st_size // 2] + p.read_bytes()[-200:]), p)[1],
        "damaged zip archive|not a zip",
    ),
}


@pytest.mark.parametrize("case", list(DAMAGES))
def test_damaged_archive_is_refused(case: str, tiny_model_path: Path, data_dir: Path, tmp_path: Path) -> None:
    damage, reason = DAMAGES[case]
    path = tmp_path / f"{case}.argosmodel"
    path.write_bytes(tiny_model_path.read_bytes())
    assert_refused(damage(path), data_dir, reason)


# --- hostile metadata.json ---------------------------------------------------------------------------


METADATA: dict[str, tuple[Callable[[Path], bytes], str]] = {
    "5000-digit-version": (lambda src: meta_with(src, package_version="1" * 5000), "package_version"),
    "5000-digit-number": (
        lambda src: meta_with(src).replace(b'"package_version": "0.1"', b'"package_version": ' + b"7" * 5000),
        "metadata.json",
    ),
    "deeply-nested": (
        lambda src: meta_with(src)[:-1] + b', "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        "nested too deeply",
    ),
    "huge-name": (lambda src: meta_with(src, from_name="V" * 500_000), "from_name"),
    "code-not-a-code": (lambda src: meta_with(src, from_code="vi\n" + "x" * 1000), "from_code"),
    "version-object": (lambda src: meta_with(src, package_version={"major": 1}), "package_version"),
}


@pytest.mark.parametrize("case", list(METADATA))
def test_hostile_metadata_is_refused(case: str, tiny_model_path: Path, data_dir: Path, tmp_path: Path) -> None:
    make, reason = METADATA[case]
    raw = make(tiny_model_path)
    assert b'"package_version": ' + b"7" * 5000 in raw or case != "5000-digit-number"
    path = copy_with(tiny_model_path, tmp_path / f"{case}.argosmodel", metadata_raw=raw)
    assert_refused(path, data_dir, reason)


def test_hostile_metadata_in_installed_folder_is_skipped(tiny_model_path: Path, data_dir: Path) -> None:
    """A package folder whose metadata.json was replaced on disk is skipped by the listing."""
    info = packages.install_package(tiny_model_path)
    (info.path / "metadata.json").write_bytes(b'{"from_code": "vi", "to_code": "en", "x": ' + b"[" * 100_000 + b"}")
    assert packages.list_packages() == []


# --- entries that are not plain files, and paths that are not packages --------------------------------


def symlink_entry(src: Path, dst: Path) -> Path:
    copy_with(src, dst)
    with zipfile.ZipFile(dst, "a") as zf:
        link = zipfile.ZipInfo(f"{TOP}/model/link")
        link.external_attr = (0o120777 << 16) | 0x20
        zf.writestr(link, "/etc/passwd")
    return dst


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (symlink_entry, "symbolic link"),
        (lambda s, d: copy_with(s, d, extra={"/tmp/evil": b"x"}), "outside"),
        (lambda s, d: copy_with(s, d, extra={f"{TOP}/../../evil": b"x"}), "outside"),
        (lambda s, d: copy_with(s, d, extra={f"{TOP}/" + "a" * 300: b"x"}), "too long a path"),
    ],
    ids=["symlink", "absolute", "dotdot", "long-name"],
)
def test_entries_that_escape_or_are_not_files(
    make: Callable[[Path, Path], Path], reason: str, tiny_model_path: Path, data_dir: Path, tmp_path: Path
) -> None:
    assert_refused(make(tiny_model_path, tmp_path / "x.argosmodel"), data_dir, reason)
    assert not (tmp_path / "evil").exists()


def test_package_path_that_is_not_a_regular_file(data_dir: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.argosmodel"
    os.mkfifo(fifo)
    folder = tmp_path / "folder.argosmodel"
    folder.mkdir()
    with pytest.raises(BadPackageError, match="not a regular file"):
        packages.install_package(fifo)
    with pytest.raises(BadPackageError, match="is a folder"):
        packages.install_package(folder)
    with pytest.raises(BadPackageError, match="file not found"):
        packages.install_package(tmp_path / "missing.argosmodel")


def test_entry_that_is_both_file_and_folder(tiny_model_path: Path, data_dir: Path, tmp_path: Path) -> None:
    path = copy_with(tiny_model_path, tmp_path / "clash.argosmodel", extra={f"{TOP}/model/model.bin/x": b"x"})
    assert_refused(path, data_dir, "both as a file and as a folder")


@pytest.mark.parametrize(
    "index",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b"5",
        b'[{"from_code": "vi", "to_code": "en", "package_version": "' + b"9" * 5000 + b'", "links": 7}]',
    ],
    ids=["nested", "not-a-list", "bad-entry"],
)
def test_hostile_package_index(index: bytes, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Argos's online index read from a local file:// URL (the ARGOS_PACKAGE_INDEX override)."""
    (tmp_path / "index.json").write_bytes(index)
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", (tmp_path).as_uri())
    with pytest.raises(ModelError, match=r"package index|could not download"):
        packages.download_package("vi", "en", timeout=5)


def test_table_of_contents_announcing_too_many_entries(tiny_model_path: Path, data_dir: Path, tmp_path: Path) -> None:
    """The end record is read before zipfile builds one object per entry (millions of them in a
    2 GB file would take tens of GB of memory)."""
    data = bytearray(tiny_model_path.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    data[end + 8 : end + 12] = u16(60_000) + u16(60_000)
    path = tmp_path / "many.argosmodel"
    path.write_bytes(bytes(data))
    assert_refused(path, data_dir, "60,000 entries")


def test_leftovers_of_a_killed_install_are_swept(tiny_model_path: Path, data_dir: Path) -> None:
    models = data_dir / "models"
    old, fresh = models / ".installing-old", models / ".installing-now"
    (old / TOP).mkdir(parents=True)
    (old / TOP / "model.bin").write_bytes(bytes(1000))
    fresh.mkdir()
    os.utime(old, (0, 0))  # an hour and more ago: no install runs that long
    packages.install_package(tiny_model_path)
    assert not old.exists() and fresh.exists()  # one running now, in another process, is left alone
