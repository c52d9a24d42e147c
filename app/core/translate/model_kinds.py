"""Plain CTranslate2 translation models that users convert themselves, besides Argos packages.

Two kinds are recognised from their files (a folder, or a zip holding one folder):
- "marian" (OPUS-MT converted with `ct2-transformers-converter` or `ct2-opennmt-py-converter`):
  `model.bin`, `config.json`, a vocabulary, and two SentencePiece models `source.spm`/`target.spm`.
  Source pieces are followed by `</s>`; the output is decoded with the target model.
- "nllb" (NLLB-200 / M2M-100): `model.bin`, `config.json`, a vocabulary holding language tokens
  (`vie_Latn`, `eng_Latn`, or M2M-100's `__vi__`), and ONE shared SentencePiece model
  (`sentencepiece.bpe.model`, `spm.model` or `sentencepiece.model`). Source = [source language
  token] + pieces + [`</s>`]; the target prefix is the target language token.

Installed, they take the same place as Argos packages (a folder in `paths.packages_dir()` with a
`metadata.json` in Argos's format plus `doichieu_kind`, `licence`, `source_token`), the CTranslate2
files under `model/` and the SentencePiece files beside it, so listing, removing and the engine
treat every kind alike; only tokenizing differs (`tokenizer_for`).

Licences differ: OPUS-MT models are CC-BY-4.0, NLLB-200 weights CC-BY-NC-4.0 (non-commercial), M2M-100 MIT.
A non-commercial model installs only once the user has accepted that licence (`--accept-licence`
on the command line, a confirmation in the window); the acceptance is remembered per kind in
`licences-accepted.json` in the data folder.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.core import paths
from app.core.errors import BadPackageError, ModelError

if TYPE_CHECKING:
    from app.core.translate.packages import ExtractBudget, PackageInfo

KINDS = ("argos", "marian", "nllb")
KIND_NAMES = {"argos": "Argos package", "marian": "OPUS-MT (Marian)", "nllb": "NLLB / M2M-100"}
LICENCES = {
    # Argos packages carry their licence in README.md; the vi→en one (from OPUS data) is CC-BY-4.0.
    "argos": "see the package's README (vi→en 1.9: CC-BY-4.0)",
    "marian": "CC-BY-4.0 (OPUS-MT)",
    "nllb": "CC-BY-NC-4.0 (non-commercial use only)",
}
M2M100_LICENCE = "MIT (M2M-100)"  # same kind as NLLB (language tokens `__vi__`), other licence
NON_COMMERCIAL = frozenset({"nllb"})
SHARED_SPM = ("sentencepiece.bpe.model", "spm.model", "sentencepiece.model")
VOCABULARIES = (
    "shared_vocabulary.json",
    "shared_vocabulary.txt",
    "source_vocabulary.json",
    "source_vocabulary.txt",
    "vocabulary.json",
    "vocabulary.txt",
)
NLLB_CODES = {"vi": "vie_Latn", "en": "eng_Latn", "fr": "fra_Latn", "de": "deu_Latn", "zh": "zho_Hans"}
_NLLB_TOKEN = re.compile(r"[a-z]{3}_[A-Z][a-z]{3}")
_M2M_TOKEN = re.compile(r"__[a-z]{2,3}__")
_ACCEPTED_FILE = "licences-accepted.json"


class LicenceNotAcceptedError(ModelError):
    """A non-commercial model was offered for installation without the user's acceptance."""


@dataclass(frozen=True)
class Detected:
    kind: str  # "marian" | "nllb"
    folder: Path  # the folder holding model.bin
    source_spm: str
    target_spm: str
    source_token: str  # NLLB: the source language token; "" for Marian
    target_token: str  # NLLB: the target prefix; "" for Marian
    licence: str


def _vocabulary(folder: Path) -> list[str]:
    for name in VOCABULARIES:
        path = folder / name
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            if name.endswith(".json"):
                try:
                    tokens = json.loads(text)
                except (ValueError, RecursionError):
                    return []
                return [t for t in tokens if isinstance(t, str)] if isinstance(tokens, list) else []
            return text.splitlines()
    return []


def _language_token(vocab: set[str], code: str) -> str | None:
    for token in (NLLB_CODES.get(code, ""), f"__{code}__"):
        if token and token in vocab:
            return token
    hits = sorted(t for t in vocab if _NLLB_TOKEN.fullmatch(t) and t.startswith(code))
    return hits[0] if len(hits) == 1 else None


def is_ct2_folder(folder: Path) -> bool:
    return (folder / "model.bin").is_file() and (folder / "config.json").is_file()


def detect(folder: Path, from_code: str = "vi", to_code: str = "en") -> Detected:
    """The kind of the unpacked CTranslate2 model in `folder`, or BadPackageError saying why not."""
    name = folder.name
    if not is_ct2_folder(folder):
        raise BadPackageError(f"{name}: no model.bin and config.json, so not a CTranslate2 model", neutral=name)
    if (folder / "source.spm").is_file() and (folder / "target.spm").is_file():
        return Detected("marian", folder, "source.spm", "target.spm", "", "", LICENCES["marian"])
    spm = next((s for s in SHARED_SPM if (folder / s).is_file()), None)
    if spm is None:
        what = (
            f"{name}: no SentencePiece model: an OPUS-MT model needs source.spm and target.spm, an NLLB/M2M-100 "
            f"model one of {', '.join(SHARED_SPM)}"
        )
        raise BadPackageError(what, neutral=what)
    vocab = set(_vocabulary(folder))
    if not any(_NLLB_TOKEN.fullmatch(t) or _M2M_TOKEN.fullmatch(t) for t in vocab):
        what = f"{name}: its vocabulary has no language tokens (such as vie_Latn), so it is neither OPUS-MT nor NLLB"
        raise BadPackageError(what, neutral=what)
    source, target = _language_token(vocab, from_code), _language_token(vocab, to_code)
    if source is None or target is None:
        missing = from_code if source is None else to_code
        what = f"{name}: its vocabulary has no language token for {missing!r}"
        raise BadPackageError(what, neutral=what)
    licence = M2M100_LICENCE if _M2M_TOKEN.fullmatch(source) else LICENCES["nllb"]
    return Detected("nllb", folder, spm, spm, source, target, licence)


def _accepted_path() -> Path:
    return paths.data_dir() / _ACCEPTED_FILE


def licence_accepted(kind: str) -> bool:
    if kind not in NON_COMMERCIAL:
        return True
    try:
        data = json.loads(_accepted_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and kind in data


def accept_licence(kind: str) -> None:
    """Remember that the user accepted the licence of this kind's models (CC-BY-NC for NLLB)."""
    path = _accepted_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    if not isinstance(data, dict):
        data = {}
    data[kind] = {"licence": LICENCES.get(kind, ""), "accepted": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")


NC_NAMES = {"nllb": "NLLB-200"}


def licence_warning(kind: str) -> str:
    return (
        f"{NC_NAMES.get(kind, KIND_NAMES.get(kind, kind))} weights are licensed {LICENCES.get(kind, '?')}: "
        "you may not use them, or the translations they make, for commercial purposes"
    )


def _codes_from_name(name: str, from_code: str, to_code: str) -> tuple[str, str]:
    match = re.search(r"opus-mt-([a-z]{2,3})-([a-z]{2,3})(?:$|[^a-z])", name.lower())
    return (match.group(1), match.group(2)) if match else (from_code, to_code)


def peek_kind(path: Path) -> str | None:
    """ "argos", "marian", "nllb" from file names alone (no unpacking), or None if unknown. For the
    window's licence confirmation before the installing job starts."""
    try:
        if path.is_dir():
            names = {p.name for p in path.iterdir()}
        elif zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as zf:
                names = {n.rstrip("/").split("/")[-1] for n in zf.namelist()[:5000]}
        else:
            return None
    except (OSError, zipfile.BadZipFile, ValueError, NotImplementedError, RuntimeError):
        return None
    if "metadata.json" in names:
        return "argos"
    if "source.spm" in names and "target.spm" in names:
        return "marian"
    if names & set(SHARED_SPM):
        return "nllb"
    return None


def is_plain_ct2_zip(path: Path) -> bool:
    """A zip holding a CTranslate2 model folder (model.bin at the folder's top) and no metadata.json."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()[:5000]
    except (OSError, zipfile.BadZipFile, ValueError, NotImplementedError, RuntimeError):
        return False
    tops = {n.split("/")[0] for n in names}
    if len(tops) != 1:
        return False
    top = tops.pop()
    return f"{top}/model.bin" in names and f"{top}/metadata.json" not in names


def install_ct2(
    path: Path,
    expect: tuple[str, str] | None = ("vi", "en"),
    *,
    accept: bool = False,
    budget: ExtractBudget | None = None,
    progress: Callable[[int], None] | None = None,
) -> PackageInfo:
    """Install a CTranslate2 model folder, or a zip of one, next to the Argos packages.

    A model of the same name is replaced; models of other names (an Argos package for the same pair
    included) stay, so two models can be compared."""
    from app.core.translate import packages as pk

    root = paths.packages_dir()
    staging = Path(tempfile.mkdtemp(prefix=".installing-", dir=root))
    try:
        budget = budget or pk.DEFAULT_BUDGET
        if path.is_dir():
            unpacked = staging / "copied" / path.name
            _copy_model_files(path, unpacked, budget)
            source = unpacked
        else:
            zf = pk._open_zip(path, budget)
            with zf:
                top, _files = pk._check_archive(zf, path, budget)
                try:
                    pk._extract(zf, path, staging / "unzipped", budget, progress)
                except pk._WriteFailed as failed:
                    raise ModelError(f"could not unpack {path.name}: {failed.err.strerror or failed.err}") from None
            source = staging / "unzipped" / top
            unpacked = source
        name = path.name if path.is_dir() else source.name
        from_code, to_code = expect or ("vi", "en")
        from_code, to_code = _codes_from_name(name, from_code, to_code)
        if expect is not None and (from_code, to_code) != expect:
            what = f"{name} translates {from_code}→{to_code}, but DoiChieu needs {expect[0]}→{expect[1]}"
            raise BadPackageError(what, neutral=what)
        found = detect(unpacked, from_code, to_code)
        non_commercial = found.kind in NON_COMMERCIAL and found.licence == LICENCES[found.kind]
        if non_commercial and not (accept or licence_accepted(found.kind)):
            what = f"{name} is an {NC_NAMES.get(found.kind, found.kind)} model; {licence_warning(found.kind)}"
            raise LicenceNotAcceptedError(
                f"{what}; to install it anyway run `main.py models install {path} --accept-licence`",
                neutral=what,
            )
        if accept and non_commercial:
            accept_licence(found.kind)
        final_name = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip(".-") or f"{found.kind}-{from_code}_{to_code}"
        built = staging / "built" / final_name
        (built / "model").mkdir(parents=True)
        tokenizer_files = {found.source_spm, found.target_spm}
        for item in unpacked.iterdir():
            if item.is_file() and item.name not in tokenizer_files and item.name != "metadata.json":
                shutil.move(str(item), built / "model" / item.name)
        for spm in tokenizer_files:
            shutil.move(str(unpacked / spm), built / spm)
        metadata = {
            "package_name": final_name,
            "package_version": "1",
            "from_code": from_code,
            "to_code": to_code,
            "target_prefix": found.target_token,
            "doichieu_kind": found.kind,
            "licence": found.licence,
            "source_token": found.source_token,
            "source_spm": found.source_spm,
            "target_spm": found.target_spm,
        }
        (built / "metadata.json").write_text(json.dumps(metadata, indent=2), encoding="utf-8")
        final = root / final_name
        if final.exists():
            shutil.rmtree(final)
        built.rename(final)
    except OSError as err:
        raise ModelError(f"could not install {path.name} into {root}: {err.strerror or err}") from err
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return pk.package_at(final)


def _copy_model_files(folder: Path, dest: Path, budget: ExtractBudget) -> None:
    """Copy the regular files at the top of a model folder (no links, no subfolders: a converted
    model has none), within the same byte budget as an archive."""
    dest.mkdir(parents=True)
    total = 0
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
        if len(entries) > budget.entries:
            raise BadPackageError(f"{folder.name}: too many files for a model folder", neutral=folder.name)
        for entry in entries:
            if entry.name.startswith(".") or not entry.is_file(follow_symlinks=False):
                continue
            total += entry.stat(follow_symlinks=False).st_size
            if total > budget.total_bytes:
                what = f"{folder.name}: more than {budget.total_bytes / 1024**3:.1f} GB, too large for a model"
                raise BadPackageError(what, neutral=what)
            shutil.copyfile(entry.path, dest / entry.name, follow_symlinks=False)
    except OSError as err:
        raise ModelError(f"could not copy {folder.name}: {err.strerror or err}") from err


class _MarianTokenizer:
    def __init__(self, folder: Path, source_spm: str, target_spm: str) -> None:
        import sentencepiece as spm

        self._src = spm.SentencePieceProcessor(model_file=str(folder / source_spm))
        self._tgt = spm.SentencePieceProcessor(model_file=str(folder / target_spm))

    def encode(self, texts: list[str]) -> list[list[str]]:
        return [[*pieces, "</s>"] for pieces in self._src.encode(texts, out_type=str)]

    def decode(self, tokens: list[str]) -> str:
        # Joined by hand, not with target.spm: `replace_unknowns` copies SOURCE pieces (a rare name)
        # that target.spm does not know and would decode as " ⁇ ".
        kept = [t for t in tokens if t not in {"</s>", "<s>", "<pad>", "<unk>"}]
        return "".join(kept).replace("\u2581", " ").strip()


class _NllbTokenizer:
    def __init__(self, folder: Path, spm_file: str, source_token: str) -> None:
        import sentencepiece as spm

        self._sp = spm.SentencePieceProcessor(model_file=str(folder / spm_file))
        self._source_token = source_token

    def encode(self, texts: list[str]) -> list[list[str]]:
        return [[self._source_token, *pieces, "</s>"] for pieces in self._sp.encode(texts, out_type=str)]

    def decode(self, tokens: list[str]) -> str:
        kept = [t for t in tokens if not (_NLLB_TOKEN.fullmatch(t) or _M2M_TOKEN.fullmatch(t) or t == "</s>")]
        return str(self._sp.decode_pieces(kept))


def tokenizer_for(package: PackageInfo) -> _MarianTokenizer | _NllbTokenizer:
    """The engine's tokenizer for a non-Argos model (encode: texts -> token lists; decode)."""
    if package.kind == "marian":
        return _MarianTokenizer(package.path, package.source_spm, package.target_spm)
    if package.kind == "nllb":
        return _NllbTokenizer(package.path, package.source_spm, package.source_token)
    raise ModelError(f"{package.name}: unknown model kind {package.kind!r}")
