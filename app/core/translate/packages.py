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
import struct
import tempfile
import time
import urllib.request
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import ModuleType

from app.core import paths
from app.core.errors import BadPackageError, ModelError, ModelMissingError, NotFoundError

VI_EN_FILE = "translate-vi_en-1_9.argosmodel"
ARGOS_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
MAX_PACKAGE_BYTES = 2 * 1024**3  # the vi→en package is 66 MB; the largest Argos packages are ~200 MB
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
    tokenizer: str = "sentencepiece.model"  # or "bpe.model"; the source SentencePiece file for other kinds
    kind: str = "argos"  # "argos" | "marian" (OPUS-MT) | "nllb" (NLLB-200 / M2M-100); see model_kinds
    licence: str = ""
    source_token: str = ""  # NLLB: the source language token, e.g. "vie_Latn"
    source_spm: str = ""  # Marian/NLLB: SentencePiece file names beside model/
    target_spm: str = ""

    @property
    def code(self) -> str:
        return f"{self.from_code}_{self.to_code}"

    @property
    def model_id(self) -> str:
        """Stable id stored with every translation, e.g. "argos:vi_en:1.9" or "marian:vi_en:opus-mt-vi-en"."""
        if self.kind == "argos":
            return f"argos:{self.code}:{self.version}"
        return f"{self.kind}:{self.code}:{self.name}"


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
    return BadPackageError(f"{path.name}: {reason}; {how_to_install()}", neutral=f"{path.name}: {reason}")


# Everything `zipfile` (and json, zlib underneath) raises on a damaged or hostile archive. Each one
# becomes a refusal that names the reason; none may reach the user as a traceback.
_ZIP_FAILURES: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    NotImplementedError,  # a compression method zipfile cannot read (zstd = 93, ...)
    RuntimeError,  # an encrypted entry ("password required")
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    OverflowError,
    RecursionError,
    struct.error,
    MemoryError,
)
_READABLE_METHODS = {
    zipfile.ZIP_STORED: "stored",
    zipfile.ZIP_DEFLATED: "deflate",
    zipfile.ZIP_BZIP2: "bzip2",
    zipfile.ZIP_LZMA: "lzma",
}


def _zip_reason(err: BaseException) -> str:
    """The refusal's reason for a zipfile failure, in words."""
    if isinstance(err, RuntimeError) and "encrypt" in str(err).lower():
        return "an archive entry is encrypted (password-protected), which a package never is"
    if isinstance(err, NotImplementedError):
        return f"an archive entry uses a compression method DoiChieu cannot read ({err})"
    if isinstance(err, RecursionError):
        return "metadata.json is nested too deeply"
    if isinstance(err, MemoryError):
        return "the archive needs more memory than a package can"
    detail = str(err).splitlines()[0][:200] if str(err) else err.__class__.__name__
    return f"damaged zip archive ({detail})"


def _safe_member(name: str) -> PurePosixPath | None:
    """The entry's path if it stays inside the archive's folder, else None (zip-slip)."""
    if "\\" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return None
    parts = PurePosixPath(name).parts
    if not parts or any(p in {"..", ""} for p in parts):
        return None
    return PurePosixPath(*parts)


_CODE = re.compile(r"[A-Za-z0-9_-]{1,16}")
_VERSION = re.compile(r"[A-Za-z0-9._+-]{1,32}")
_TEXT_FIELDS = ("from_name", "to_name", "target_prefix", "licence", "license", "source_token")
_KIND_FIELDS = {"doichieu_kind": ("argos", "marian", "nllb")}
_SPM_NAMES = ("source.spm", "target.spm", "sentencepiece.bpe.model", "spm.model", "sentencepiece.model")
_TEXT_MAX = 200


def _read_metadata(raw: bytes, where: Path) -> dict[str, object]:
    if len(raw) > _METADATA_MAX:
        raise _bad(where, "metadata.json is too large")
    try:
        meta = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise _bad(where, f"metadata.json is not valid JSON ({err.__class__.__name__})") from None
    except RecursionError:
        raise _bad(where, "metadata.json is nested too deeply") from None
    except ValueError as err:  # e.g. an integer of thousands of digits
        raise _bad(where, f"metadata.json holds a value that cannot be read ({str(err)[:80]})") from None
    if not isinstance(meta, dict):
        raise _bad(where, "metadata.json is not a JSON object")
    for key in ("from_code", "to_code"):
        value = meta.get(key)
        if not isinstance(value, str) or not value:
            raise _bad(where, f"metadata.json has no {key}")
        if not _CODE.fullmatch(value):
            raise _bad(where, f"metadata.json's {key} is not a language code")
    version = meta.get("package_version", "0")
    if isinstance(version, bool) or not isinstance(version, str | int | float) or not _VERSION.fullmatch(str(version)):
        raise _bad(where, "metadata.json's package_version is not a version number (such as 1.9)")
    for key in _TEXT_FIELDS:
        value = meta.get(key)
        if value is not None and (not isinstance(value, str) or len(value) > _TEXT_MAX):
            raise _bad(where, f"metadata.json's {key} is not a short text")
    kind = meta.get("doichieu_kind", "argos")
    if kind not in _KIND_FIELDS["doichieu_kind"]:
        raise _bad(where, "metadata.json's doichieu_kind is not a model kind DoiChieu knows")
    if kind != "argos":
        for key in ("source_spm", "target_spm"):
            if meta.get(key) not in _SPM_NAMES:  # a file name we chose, never a path
                raise _bad(where, f"metadata.json's {key} is not a SentencePiece file name")
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
        kind=str(meta.get("doichieu_kind") or "argos"),
        licence=str(meta.get("licence") or meta.get("license") or _default_licence(meta)),
        source_token=str(meta.get("source_token") or ""),
        source_spm=str(meta.get("source_spm") or ""),
        target_spm=str(meta.get("target_spm") or ""),
    )


def _default_licence(meta: dict[str, object]) -> str:
    from app.core.translate.model_kinds import LICENCES

    if (meta.get("from_code"), meta.get("to_code")) == ("vi", "en") and meta.get("doichieu_kind") in (None, "argos"):
        return "CC-BY-4.0"
    return LICENCES.get(str(meta.get("doichieu_kind") or "argos"), "")


@dataclass(frozen=True)
class ExtractBudget:
    """What unpacking one package may cost. The real vi→en package is 65,895,840 bytes zipped and
    unpacks to about 2-3 times that (a CTranslate2 int8 model barely compresses); the largest Argos
    packages are ~200 MB zipped. The defaults leave ten times that room and stop a zip bomb early.

    The declared sizes are checked before anything is written, and then, since a zip's headers can
    lie, the bytes actually written are counted chunk by chunk and the unpacking stops before a chunk
    would go over a limit: nothing past the budget is ever written."""

    total_bytes: int = 2 * 1024**3  # all entries together
    entry_bytes: int = 1024**3  # one entry
    ratio: float = 200.0  # unpacked / zipped size of one entry (deflate tops out near 1030:1)
    ratio_floor: int = 1024**2  # smaller entries may compress better (a JSON file of spaces)
    entries: int = 5000  # a package holds about ten
    seconds: float = 600.0  # the whole unpacking, on a slow disk
    chunk: int = 1024**2  # bytes read and written at a time


DEFAULT_BUDGET = ExtractBudget()


def _over_budget(entry: zipfile.ZipInfo, budget: ExtractBudget) -> str | None:
    """Why an entry's declared sizes break the budget, or None."""
    if entry.file_size > budget.entry_bytes:
        return f"entry {entry.filename!r} unpacks to {entry.file_size:,} bytes, more than a package file can be"
    if entry.file_size > budget.ratio_floor and entry.file_size > budget.ratio * max(entry.compress_size, 1):
        return (
            f"entry {entry.filename!r} would grow {entry.file_size / max(entry.compress_size, 1):,.0f} times "
            "when unpacked (a zip bomb)"
        )
    return None


def _check_archive(zf: zipfile.ZipFile, path: Path, budget: ExtractBudget) -> tuple[str, dict[str, zipfile.ZipInfo]]:
    """Check names, kinds, methods and declared sizes of every entry; return the top folder and files."""
    entries = zf.infolist()
    if len(entries) > budget.entries:
        raise _bad(path, f"archive has {len(entries):,} entries, more than a package can have")
    tops: set[str] = set()
    files: dict[str, zipfile.ZipInfo] = {}
    for entry in entries:
        member = _safe_member(entry.filename)
        if member is None:
            raise _bad(path, f"archive entry {entry.filename[:200]!r} points outside the package folder")
        if len(member.parts) > 32 or any(len(p.encode("utf-8", "surrogatepass")) > 200 for p in member.parts):
            raise _bad(path, f"archive entry {entry.filename[:200]!r} has too long a path")
        if stat.S_ISLNK(entry.external_attr >> 16):
            raise _bad(path, f"archive entry {entry.filename!r} is a symbolic link")
        if entry.flag_bits & 0x1:
            raise _bad(path, f"archive entry {entry.filename!r} is encrypted (password-protected)")
        if entry.compress_type not in _READABLE_METHODS:
            raise _bad(
                path, f"archive entry {entry.filename!r} uses compression method {entry.compress_type}, not deflate"
            )
        reason = _over_budget(entry, budget)
        if reason:
            raise _bad(path, reason)
        tops.add(member.parts[0])
        if not entry.is_dir():
            if len(member.parts) < 2:
                raise _bad(path, f"file {entry.filename!r} is outside the package's folder")
            if str(member) in files:
                raise _bad(path, f"archive holds {entry.filename!r} twice")
            files[str(member)] = entry
    for name in files:  # "top/model" as a file and "top/model/x": one would have to be both
        for parent in PurePosixPath(name).parents:
            if str(parent) in files:
                raise _bad(path, f"archive holds {str(parent)!r} both as a file and as a folder")
    if len(tops) != 1:
        raise _bad(path, f"archive must hold exactly one folder, found {len(tops)}")
    top = tops.pop()
    if top.startswith("."):
        raise _bad(path, f"package folder {top!r} is hidden")
    unpacked = sum(e.file_size for e in entries)
    if unpacked > budget.total_bytes:
        raise _bad(
            path,
            f"archive unpacks to {unpacked / 1024**3:.1f} GB, more than the {budget.total_bytes / 1024**3:.1f} "
            "GB a package may take",
        )
    return top, files


_CENTRAL_DIRECTORY_MAX = 64 * 1024**2  # ~10 entries take a few KB; zipfile would load it all into memory


def _check_directory(path: Path, budget: ExtractBudget) -> None:
    """Refuse an archive whose end record announces more entries, or a bigger central directory,
    than a package can have, before zipfile builds an object per entry (millions of tiny entries
    in a 2 GB file would take tens of GB of memory)."""
    try:
        with open(path, "rb") as fh:
            end = zipfile._EndRecData(fh)  # type: ignore[attr-defined]  # zipfile's own reader, stable since 2.6
    except _ZIP_FAILURES as err:
        raise _bad(path, _zip_reason(err)) from None
    if not end:
        raise _bad(path, "not a zip archive, so not an Argos package (.argosmodel)")
    entries, size = end[zipfile._ECD_ENTRIES_TOTAL], end[zipfile._ECD_SIZE]  # type: ignore[attr-defined]
    if entries > budget.entries:
        raise _bad(path, f"archive has {entries:,} entries, more than a package can have")
    if size > _CENTRAL_DIRECTORY_MAX:
        raise _bad(path, f"archive's table of contents is {size:,} bytes, more than a package can have")


def _open_zip(path: Path, budget: ExtractBudget = DEFAULT_BUDGET) -> zipfile.ZipFile:
    if not path.exists():
        raise _bad(path, "file not found")
    try:
        st = path.stat()
    except OSError as err:
        raise _bad(path, f"cannot be read ({err.strerror or err})") from None
    if stat.S_ISDIR(st.st_mode):
        raise _bad(path, "is a folder, not a package file")
    if not stat.S_ISREG(st.st_mode):
        raise _bad(path, "is not a regular file")
    if st.st_size > MAX_PACKAGE_BYTES:
        raise _bad(path, f"file is larger than {MAX_PACKAGE_BYTES // 1024**3} GB, too large for a translation package")
    if not zipfile.is_zipfile(path):
        raise _bad(path, "not a zip archive, so not an Argos package (.argosmodel)")
    _check_directory(path, budget)
    try:
        return zipfile.ZipFile(path)
    except _ZIP_FAILURES as err:
        raise _bad(path, _zip_reason(err)) from None


def validate_package(path: str | os.PathLike[str], *, budget: ExtractBudget = DEFAULT_BUDGET) -> PackageInfo:
    """Check a `.argosmodel` file without unpacking it; raise BadPackageError saying what is wrong."""
    path = Path(path)
    zf = _open_zip(path, budget)
    try:
        with zf:
            top, files = _check_archive(zf, path, budget)
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
            unpacked = sum(e.file_size for e in zf.infolist())
    except BadPackageError:
        raise
    except _ZIP_FAILURES as err:
        raise _bad(path, _zip_reason(err)) from None
    return _info(top, meta, path, unpacked, tokenizer)


class _WriteFailed(Exception):
    """An OSError while writing into our folder (disk full...), as opposed to reading the archive."""

    def __init__(self, err: OSError) -> None:
        super().__init__(str(err))
        self.err = err


def _extract(
    zf: zipfile.ZipFile,
    path: Path,
    staging: Path,
    budget: ExtractBudget,
    progress: Callable[[int], None] | None,
) -> int:
    """Unpack every entry into `staging`, counting the bytes actually written; return the total.
    Raises BadPackageError before a chunk would take an entry or the total over the budget."""
    deadline = time.monotonic() + budget.seconds
    total = 0
    for entry in zf.infolist():
        member = _safe_member(entry.filename)
        if member is None:  # _check_archive refused these; never trust a second read
            raise _bad(path, f"archive entry {entry.filename[:200]!r} points outside the package folder")
        target = staging.joinpath(*member.parts)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            if entry.is_dir():
                target.mkdir(exist_ok=True)
                continue
            dst = open(target, "xb")  # noqa: SIM115  # closed below; "x": never through a planted link
        except OSError as err:
            raise _WriteFailed(err) from err
        written = 0
        with dst, zf.open(entry) as src:
            while True:
                chunk = src.read(budget.chunk)
                if not chunk:
                    break
                written += len(chunk)
                if written > entry.file_size:
                    raise _bad(path, f"entry {entry.filename!r} holds more than its header says (a zip bomb)")
                if written > budget.entry_bytes or total + len(chunk) > budget.total_bytes:
                    raise _bad(
                        path, f"archive unpacks to more than the {budget.total_bytes:,} bytes a package may take"
                    )
                if written > budget.ratio_floor and written > budget.ratio * max(entry.compress_size, 1):
                    raise _bad(path, f"entry {entry.filename!r} grows too much when unpacked (a zip bomb)")
                if time.monotonic() >= deadline:
                    raise _bad(path, f"unpacking took longer than {budget.seconds:.0f} s and was stopped")
                try:
                    dst.write(chunk)
                except OSError as err:
                    raise _WriteFailed(err) from err
                total += len(chunk)
                if progress is not None:
                    progress(total)
        if written != entry.file_size:
            raise _bad(path, f"entry {entry.filename!r} is shorter than its header says (damaged archive)")
    return total


_STALE_AFTER_S = 3600.0  # no unpacking may take this long (the budget stops it at 600 s)


def _sweep_stale(root: Path) -> None:
    """Remove unpacking and download folders left by a process that was killed half-way: each
    holds up to a package's size, and nothing else would ever remove them."""
    now = time.time()
    for leftover in [*root.glob(".installing-*"), *root.glob(".download-*")]:
        try:
            if leftover.is_dir() and not leftover.is_symlink() and now - leftover.stat().st_mtime > _STALE_AFTER_S:
                shutil.rmtree(leftover, ignore_errors=True)
        except OSError:
            continue


def install_package(
    path: str | os.PathLike[str],
    expect: tuple[str, str] | None = ("vi", "en"),
    *,
    budget: ExtractBudget = DEFAULT_BUDGET,
    progress: Callable[[int], None] | None = None,
    accept_licence: bool = False,
) -> PackageInfo:
    """Check and unpack a package into our packages folder. It replaces any installed package for
    the same language pair, so installing another version is also how to upgrade or downgrade.

    A folder, or a zip of a folder, holding a plain CTranslate2 model (model.bin, no metadata.json)
    goes to `model_kinds.install_ct2` (OPUS-MT or NLLB; `accept_licence` for NC-licensed weights).

    The archive is unpacked against `budget` into a hidden folder inside the packages folder (same
    disk, so the final move is a rename); a refusal removes it. `progress(bytes_written)` is called
    after each chunk."""
    path = Path(path)
    from app.core.translate import model_kinds

    if model_kinds.is_ct2_folder(path) or (path.is_file() and model_kinds.is_plain_ct2_zip(path)):
        return model_kinds.install_ct2(path, expect, accept=accept_licence, budget=budget, progress=progress)
    info = validate_package(path, budget=budget)
    if expect is not None and (info.from_code, info.to_code) != expect:
        what = f"{path.name} translates {info.from_code}→{info.to_code}, but DoiChieu needs {expect[0]}→{expect[1]}"
        raise BadPackageError(f"{what}; {how_to_install(*expect)}", neutral=what)
    root = paths.packages_dir()
    try:
        free = shutil.disk_usage(root).free
    except OSError:
        free = None
    if free is not None and info.size > free:
        raise ModelError(
            f"not enough disk space to install {path.name}: it needs {info.size / 1e6:,.0f} MB, "
            f"{free / 1e6:,.0f} MB are free in {root}"
        )
    _sweep_stale(root)
    staging = Path(tempfile.mkdtemp(prefix=".installing-", dir=root))
    try:
        try:
            zf = zipfile.ZipFile(path)
            with zf:
                _extract(zf, path, staging, budget, progress)
        except (BadPackageError, _WriteFailed):
            raise
        except _ZIP_FAILURES as err:
            raise _bad(path, _zip_reason(err)) from None
        for old in list_packages():
            same_pair = old.kind == "argos" and (old.from_code, old.to_code) == (info.from_code, info.to_code)
            if old.name == info.name or same_pair:
                shutil.rmtree(old.path)
        final = root / info.name
        if final.exists():  # a broken leftover without valid metadata
            shutil.rmtree(final)
        (staging / info.name).rename(final)
    except _WriteFailed as failed:
        cause = failed.err
        raise ModelError(f"could not install {path.name} into {root}: {cause.strerror or cause}") from cause
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
    if meta.get("doichieu_kind", "argos") != "argos":
        tokenizer = str(meta["source_spm"])
    else:
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
    hits = [p for p in installed if p.name == name_or_code] or [p for p in installed if _matches(p, name_or_code)]
    if not hits:
        names = ", ".join(p.name for p in installed) or "none"
        raise NotFoundError(f"no installed translation package {name_or_code!r} (installed: {names})")
    if len({p.kind for p in hits}) > 1:  # a pair names an Argos package and, say, an OPUS-MT model
        names = ", ".join(p.name for p in hits)
        raise NotFoundError(f"several models translate {name_or_code!r}: name the one to remove ({names})")
    for info in hits:
        shutil.rmtree(info.path)
    return hits[0]


def _version_key(version: str) -> tuple[int, ...]:
    # At most 18 digits per number: a version from a hostile index must not make int() refuse or crawl.
    return tuple(int(n[:18]) for n in re.findall(r"\d+", version[:64]))


def find_package(from_code: str = "vi", to_code: str = "en") -> PackageInfo:
    """The installed package for a pair (the highest version if several), or ModelMissingError."""
    hits = [p for p in list_packages() if (p.from_code, p.to_code) == (from_code, to_code)]
    if not hits:
        hint = how_to_install(from_code, to_code)
        what = f"no {from_code}→{to_code} translation model is installed"
        raise ModelMissingError(f"{what}; {hint}", neutral=what)
    # An Argos package is the default; a model installed beside it (OPUS-MT, NLLB) is used when named.
    return max(hits, key=lambda p: (p.kind == "argos", _version_key(p.version), p.name))


def find_model(name: str) -> PackageInfo:
    """An installed model by folder name (as `models list` shows it), model id, or pair ("vi_en")."""
    installed = list_packages()
    for p in installed:
        if name in (p.name, p.model_id):
            return p
    hits = [p for p in installed if _matches(p, name)]
    if hits:
        return max(hits, key=lambda p: (p.kind == "argos", _version_key(p.version), p.name))
    names = ", ".join(p.name for p in installed) or "none"
    what = f"no installed translation model {name!r}"
    raise ModelMissingError(f"{what} (installed: {names}); see `main.py models list`", neutral=what)


def download_package(
    from_code: str = "vi",
    to_code: str = "en",
    *,
    timeout: float = 10.0,
    progress: Callable[[int, int], None] | None = None,
    mirrors: list[str] | None = None,
) -> PackageInfo:
    """Download and install a package. A pinned package (vi→en 1.9: Argos dropped Vietnamese from
    its index in 2024) comes from its mirrors (`download.download`: resumable, size and SHA-256
    verified before installing; `progress(bytes, total)`); any other pair from Argos's online index.
    Argos's own `update_package_index` has no timeout and writes into the global Argos folder, so
    the index is fetched here (same URL, same `ARGOS_PACKAGE_INDEX` override)."""
    from app.core.translate import download

    pin = download.pinned(from_code, to_code)
    if pin is not None:
        try:
            file = download.download(pin, mirrors=mirrors, timeout=timeout, progress=progress)
        except download.ChecksumError:
            raise  # a wrong file: said so, nothing installed
        except ModelError as unreachable:
            try:  # the index may list the pair again one day (or a newer version)
                return _download_from_index(from_code, to_code, timeout)
            except ModelError:
                raise unreachable from None
        info = install_package(file, expect=(from_code, to_code))
        file.unlink(missing_ok=True)  # installed: the 66 MB file is not needed twice
        return info
    return _download_from_index(from_code, to_code, timeout)


def _download_from_index(from_code: str, to_code: str, timeout: float) -> PackageInfo:
    hint = how_to_install(from_code, to_code)
    base = os.environ.get("ARGOS_PACKAGE_INDEX")
    url = base.rstrip("/") + "/index.json" if base else ARGOS_INDEX
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            index = json.loads(resp.read(16 * 1024**2))
    except (OSError, ValueError, RecursionError) as err:
        what = f"could not read Argos's package index ({err})"
        raise ModelError(f"{what}; {hint}", neutral=what) from None
    pair = (from_code, to_code)
    if not isinstance(index, list):
        index = []
    entries = [e for e in index if isinstance(e, dict) and (e.get("from_code"), e.get("to_code")) == pair]
    if not entries:
        what = f"Argos's package index has no {from_code}→{to_code} package"
        raise ModelError(f"{what}; {hint}", neutral=what)
    entry = max(entries, key=lambda e: _version_key(str(e.get("package_version", "0"))))
    listed = entry.get("links")
    listed = listed if isinstance(listed, list) else []
    links = [link for link in listed if isinstance(link, str) and link.startswith("https://")]
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
            what = f"could not download the {from_code}→{to_code} package"
            raise ModelError(f"{what}; {hint}", neutral=what)
        return install_package(file, expect=(from_code, to_code))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
