"""Argos translation packages (`.argosmodel` zips): check, install, list, remove, find, download.

Packages live in `paths.packages_dir()` (inside our data folder), never in the user's global Argos
folder. We unpack them ourselves instead of calling `argostranslate.package.install_from_path`, which
extracts any zip unchecked straight into the live folder (a failure leaves half a package; a new
version is merged over the old one) and into `argostranslate.settings.package_data_dir`, a path
frozen when argostranslate is first imported, so a later `DOICHIEU_DATA_DIR` would be ignored.
The on-disk layout is the same as Argos's, so `argostranslate.package.Package(path)` still reads ours.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import tempfile
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import ModuleType

from app.core import paths
from app.core.errors import BadPackageError, ModelError, ModelMissingError, NotFoundError

VI_EN_FILE = "translate-vi_en-1_9.argosmodel"
ARGOS_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
MAX_PACKAGE_BYTES = 2 * 1024**3  # the vi→en package is 66 MB; the largest Argos packages are ~200 MB
MAX_UNPACKED_BYTES = 4 * 1024**3
MAX_ENTRIES = 5000
_METADATA_MAX = 1024**2


@dataclass(frozen=True)
class PackageInfo:
    name: str  # installed folder name (the zip's top folder), e.g. "translate-vi_en-1_9"
    from_code: str
    to_code: str
    version: str
    path: Path  # the installed folder, or the .argosmodel file for a package not installed yet
    size: int  # bytes on disk once installed (unpacked size for a file)
    from_name: str = ""
    to_name: str = ""
    target_prefix: str = ""
    tokenizer: str = "sentencepiece.model"  # or "bpe.model"

    @property
    def code(self) -> str:
        return f"{self.from_code}_{self.to_code}"

    @property
    def model_id(self) -> str:
        """Stable id stored with every translation, e.g. "argos:vi_en:1.9"."""
        return f"argos:{self.code}:{self.version}"


def how_to_install(from_code: str = "vi", to_code: str = "en") -> str:
    file = VI_EN_FILE if (from_code, to_code) == ("vi", "en") else f"translate-{from_code}_{to_code}-*.argosmodel"
    return (
        f"get the file {file} (Argos Translate's {from_code}→{to_code} package) and run "
        f"`main.py models install {file}`, or drag it onto the DoiChieu window"
    )


def use_our_argos_dir() -> ModuleType:
    """Import argostranslate pointed at our packages folder and return `argostranslate.settings`.

    Its settings read `ARGOS_PACKAGES_DIR` once, at import, so the variable is set first; if the
    module was already imported (another data folder, e.g. in tests), its two path settings are
    re-pointed. Importing it still creates Argos's empty config/cache folders in the home folder, so
    the app imports it only where it needs Argos code (BPE tokenizers), never to install or list."""
    target = paths.packages_dir()
    os.environ["ARGOS_PACKAGES_DIR"] = str(target)
    from argostranslate import settings

    if Path(settings.package_data_dir) != target:
        settings.package_data_dir = target
        settings.package_dirs = [target]
    return settings


def _bad(path: Path, reason: str) -> BadPackageError:
    return BadPackageError(f"{path.name}: {reason}; {how_to_install()}")


def _safe_member(name: str) -> PurePosixPath | None:
    """The entry's path if it stays inside the archive's folder, else None (zip-slip)."""
    if "\\" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return None
    parts = PurePosixPath(name).parts
    if not parts or any(p in {"..", ""} for p in parts):
        return None
    return PurePosixPath(*parts)


def _read_metadata(raw: bytes, where: Path) -> dict[str, object]:
    try:
        meta = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise _bad(where, f"metadata.json is not valid JSON ({err.__class__.__name__})") from None
    if not isinstance(meta, dict):
        raise _bad(where, "metadata.json is not a JSON object")
    for key in ("from_code", "to_code"):
        if not isinstance(meta.get(key), str) or not meta[key]:
            raise _bad(where, f"metadata.json has no {key}")
    return meta


def _info(name: str, meta: dict[str, object], path: Path, size: int, tokenizer: str) -> PackageInfo:
    return PackageInfo(
        name=name,
        from_code=str(meta["from_code"]),
        to_code=str(meta["to_code"]),
        version=str(meta.get("package_version") or "0"),
        path=path,
        size=size,
        from_name=str(meta.get("from_name") or ""),
        to_name=str(meta.get("to_name") or ""),
        target_prefix=str(meta.get("target_prefix") or ""),
        tokenizer=tokenizer,
    )


def validate_package(path: str | os.PathLike[str]) -> PackageInfo:
    """Check a `.argosmodel` file without unpacking it; raise BadPackageError saying what is wrong."""
    path = Path(path)
    if not path.is_file():
        raise _bad(path, "file not found")
    if path.stat().st_size > MAX_PACKAGE_BYTES:
        raise _bad(path, f"file is larger than {MAX_PACKAGE_BYTES // 1024**3} GB, too large for a translation package")
    if not zipfile.is_zipfile(path):
        raise _bad(path, "not a zip archive, so not an Argos package (.argosmodel)")
    try:
        with zipfile.ZipFile(path) as zf:
            entries = zf.infolist()
            if len(entries) > MAX_ENTRIES:
                raise _bad(path, f"archive has {len(entries)} entries, more than a package can have")
            tops: set[str] = set()
            files: dict[str, zipfile.ZipInfo] = {}
            for entry in entries:
                member = _safe_member(entry.filename)
                if member is None:
                    raise _bad(path, f"archive entry {entry.filename!r} points outside the package folder")
                if stat.S_ISLNK(entry.external_attr >> 16):
                    raise _bad(path, f"archive entry {entry.filename!r} is a symbolic link")
                tops.add(member.parts[0])
                if not entry.is_dir():
                    if len(member.parts) < 2:
                        raise _bad(path, f"file {entry.filename!r} is outside the package's folder")
                    if str(member) in files:
                        raise _bad(path, f"archive holds {entry.filename!r} twice")
                    files[str(member)] = entry
            if len(tops) != 1:
                raise _bad(path, f"archive must hold exactly one folder, found {len(tops)}")
            top = tops.pop()
            if top.startswith("."):
                raise _bad(path, f"package folder {top!r} is hidden")
            unpacked = sum(e.file_size for e in entries)
            if unpacked > MAX_UNPACKED_BYTES:
                raise _bad(path, "archive unpacks to more than 4 GB")
            meta_entry = files.get(f"{top}/metadata.json")
            if meta_entry is None:
                raise _bad(path, "no metadata.json in the package folder")
            if meta_entry.file_size > _METADATA_MAX:
                raise _bad(path, "metadata.json is too large")
            meta = _read_metadata(zf.read(meta_entry), path)
            for needed in ("model/model.bin", "model/config.json"):
                if f"{top}/{needed}" not in files:
                    raise _bad(path, f"no {needed} (the CTranslate2 model) in the package")
            tokenizer = next((t for t in ("sentencepiece.model", "bpe.model") if f"{top}/{t}" in files), None)
            if tokenizer is None:
                raise _bad(path, "no sentencepiece.model or bpe.model (the tokenizer) in the package")
    except zipfile.BadZipFile as err:
        raise _bad(path, f"damaged zip archive ({err})") from None
    return _info(top, meta, path, unpacked, tokenizer)


def install_package(path: str | os.PathLike[str], expect: tuple[str, str] | None = ("vi", "en")) -> PackageInfo:
    """Check and unpack a package into our packages folder. It replaces any installed package for
    the same language pair, so installing another version is also how to upgrade or downgrade."""
    path = Path(path)
    info = validate_package(path)
    if expect is not None and (info.from_code, info.to_code) != expect:
        raise BadPackageError(
            f"{path.name} translates {info.from_code}→{info.to_code}, but DoiChieu needs "
            f"{expect[0]}→{expect[1]}; {how_to_install(*expect)}"
        )
    root = paths.packages_dir()
    staging = Path(tempfile.mkdtemp(prefix=".installing-", dir=root))
    try:
        with zipfile.ZipFile(path) as zf:
            for entry in zf.infolist():
                member = _safe_member(entry.filename)
                assert member is not None  # validate_package refused unsafe names
                target = staging.joinpath(*member.parts)
                if entry.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(entry) as src, open(target, "wb") as dst:
                    shutil.copyfileobj(src, dst, 1024 * 1024)
        for old in list_packages():
            if old.name == info.name or (old.from_code, old.to_code) == (info.from_code, info.to_code):
                shutil.rmtree(old.path)
        final = root / info.name
        if final.exists():  # a broken leftover without valid metadata
            shutil.rmtree(final)
        (staging / info.name).rename(final)
    except OSError as err:
        raise ModelError(f"could not install {path.name} into {root}: {err.strerror or err}") from err
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return package_at(final)


def _dir_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def package_at(folder: Path) -> PackageInfo:
    meta_path = folder / "metadata.json"
    meta = _read_metadata(meta_path.read_bytes(), folder)
    tokenizer = "sentencepiece.model" if (folder / "sentencepiece.model").exists() else "bpe.model"
    return _info(folder.name, meta, folder, _dir_size(folder), tokenizer)


def list_packages() -> list[PackageInfo]:
    """Installed packages, sorted by name. Folders that are not packages are skipped."""
    out = []
    for folder in sorted(paths.packages_dir().iterdir()):
        if not folder.is_dir() or folder.name.startswith(".") or not (folder / "metadata.json").is_file():
            continue
        try:
            out.append(package_at(folder))
        except (BadPackageError, OSError):
            continue
    return out


def _matches(info: PackageInfo, key: str) -> bool:
    pair = re.split(r"\s*(?:→|->|-|_|:)\s*", key.strip())
    return key == info.name or (len(pair) == 2 and (pair[0], pair[1]) == (info.from_code, info.to_code))


def remove_package(name_or_code: str) -> PackageInfo:
    """Remove an installed package named by folder name ("translate-vi_en-1_9") or pair ("vi_en")."""
    installed = list_packages()
    hits = [p for p in installed if _matches(p, name_or_code)]
    if not hits:
        names = ", ".join(p.name for p in installed) or "none"
        raise NotFoundError(f"no installed translation package {name_or_code!r} (installed: {names})")
    for info in hits:
        shutil.rmtree(info.path)
    return hits[0]


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", version))


def find_package(from_code: str = "vi", to_code: str = "en") -> PackageInfo:
    """The installed package for a pair (the highest version if several), or ModelMissingError."""
    hits = [p for p in list_packages() if (p.from_code, p.to_code) == (from_code, to_code)]
    if not hits:
        hint = how_to_install(from_code, to_code)
        raise ModelMissingError(f"no {from_code}→{to_code} translation model is installed; {hint}")
    return max(hits, key=lambda p: _version_key(p.version))


def download_package(from_code: str = "vi", to_code: str = "en", *, timeout: float = 10.0) -> PackageInfo:
    """Install a package from Argos's online index. Argos's own `update_package_index` has no timeout
    and writes into the global Argos folder, so the index is fetched here (same URL, same
    `ARGOS_PACKAGE_INDEX` override). Argos dropped vi→en from the index in 2024."""
    hint = how_to_install(from_code, to_code)
    base = os.environ.get("ARGOS_PACKAGE_INDEX")
    url = base.rstrip("/") + "/index.json" if base else ARGOS_INDEX
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            index = json.loads(resp.read(16 * 1024**2))
    except (OSError, ValueError) as err:
        raise ModelError(f"could not read Argos's package index ({err}); {hint}") from None
    pair = (from_code, to_code)
    entries = [e for e in index if isinstance(e, dict) and (e.get("from_code"), e.get("to_code")) == pair]
    if not entries:
        raise ModelError(f"Argos's package index has no {from_code}→{to_code} package; {hint}")
    entry = max(entries, key=lambda e: _version_key(str(e.get("package_version", "0"))))
    links = [link for link in entry.get("links", []) if isinstance(link, str) and link.startswith("https://")]
    tmp = Path(tempfile.mkdtemp(prefix=".download-", dir=paths.packages_dir()))
    try:
        file = tmp / f"translate-{from_code}_{to_code}.argosmodel"
        for link in links:
            try:
                with urllib.request.urlopen(link, timeout=timeout) as resp, open(file, "wb") as out:
                    shutil.copyfileobj(resp, out, 1024 * 1024)
                break
            except OSError:
                continue
        else:
            raise ModelError(f"could not download the {from_code}→{to_code} package; {hint}")
        return install_package(file, expect=(from_code, to_code))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
