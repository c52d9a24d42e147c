"""Keeping what a destructive operation replaces: under a name no other keep can take, and a bounded
number of them.

Every operation that deletes or replaces user data first keeps the old data beside it:
- deleting a document keeps its claims as `backups/claims-of-document-<id>-<stamp>.jsonl`;
- restoring a backup keeps the library it replaces as `library.sqlite3.before-restore-<stamp>`;
- refusing a damaged library keeps a copy as `library.sqlite3.damaged-<stamp>`;
- a stale `-wal` is set aside as `library.sqlite3-wal.set-aside-<stamp>` (see `wal_guard`).

Names: `<stamp>` is the UTC time to the microsecond, and the file is created with O_EXCL (`unique_path`),
adding `-2`, `-3`... when the name is taken, so two operations in the same second (or the same
microsecond, in two processes) never write to the same file. The old code stamped to the second and
the second deletion within a second overwrote the first one's claims.

Bounds (the newest copy of each kind is always kept, whatever its size):
- claims backups: the newest `CLAIMS_KEEP` files and at most `CLAIMS_MAX_BYTES` in total (they are
  small text; this is months of deletions);
- copies of the whole library (before-restore, damaged, set-aside WALs): the newest
  `LIBRARY_COPIES_KEEP` of each kind, and at most `LIBRARY_COPIES_MAX_BYTES` per kind beyond the newest;
- a damaged library refused again and again is copied once: a copy with the same size and SHA-256
  already kept is reused.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import shutil
import stat
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

CLAIMS_KEEP = 200
CLAIMS_MAX_BYTES = 50 * 1024 * 1024
LIBRARY_COPIES_KEEP = 3
LIBRARY_COPIES_MAX_BYTES = 2 * 1024 * 1024 * 1024
SIDE_FILES = ("-wal", "-shm")
COMPANIONS = (*SIDE_FILES, "-journal", ".state")  # deleted with the copy they belong to

_STAMP_RE = r"\d{8}-\d{6}(?:-\d{6})?(?:-\d+)?"


def stamp(now: datetime | None = None) -> str:
    """UTC time to the microsecond: 20261129-201502-123456 (sorts as time does)."""
    return (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S-%f")


def unique_path(folder: Path, prefix: str, suffix: str = "") -> Path:
    """Reserve `folder/<prefix><stamp>[-N]<suffix>` by creating it empty with O_EXCL; returns it.

    The caller then writes it, or renames the file to keep over it (`os.replace` of the empty
    placeholder is atomic). Never returns a name another caller got, in this or another process."""
    base = f"{prefix}{stamp()}"
    for n in range(1, 10_000):
        path = folder / (f"{base}{suffix}" if n == 1 else f"{base}-{n}{suffix}")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        except FileExistsError:
            continue
        os.close(fd)
        return path
    raise FileExistsError(f"no free name for {prefix}*{suffix} in {folder}")


def write_new(folder: Path, prefix: str, suffix: str, data: bytes) -> Path:
    """Write `data` to a new uniquely named file (see `unique_path`), synced to disk; returns it."""
    path = unique_path(folder, prefix, suffix)
    try:
        with open(path, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            path.unlink()
        raise
    return path


def move_aside(path: Path, prefix: str, suffix: str = "") -> Path:
    """Rename `path` to a new unique name beside it (`<prefix><stamp>[-N]<suffix>`); returns the new name."""
    kept = unique_path(path.parent, prefix, suffix)
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            # A folder, pipe or link cannot replace the placeholder file: free the name, then rename
            # (os.rename refuses to replace a folder, and another keep would have to guess this
            # microsecond's name in between).
            kept.unlink()
            os.rename(path, kept)
        else:
            os.replace(path, kept)
    except BaseException:
        with contextlib.suppress(OSError):
            if kept.is_file() and not kept.stat().st_size:
                kept.unlink()
        raise
    return kept


def kept_copies(folder: Path, prefix: str, suffix: str = "") -> list[Path]:
    """Files kept under `prefix`+stamp+`suffix` in `folder`, oldest first (their companion
    `-wal`/`-shm` files are not listed: they go with their main file)."""
    pattern = re.compile(re.escape(prefix) + _STAMP_RE + re.escape(suffix) + r"\Z")
    try:
        names = [p for p in folder.iterdir() if pattern.match(p.name)]
    except OSError:
        return []
    return sorted(names, key=lambda p: p.name)


def _size(path: Path) -> int:
    total = 0
    for p in (path, *(Path(f"{path}{side}") for side in SIDE_FILES)):
        with contextlib.suppress(OSError):
            total += p.stat().st_size
    return total


def prune(copies: Iterable[Path], *, keep: int, max_bytes: int) -> list[Path]:
    """Delete the oldest of `copies` (given oldest first) beyond the newest `keep` or beyond
    `max_bytes` in total; the newest one always stays. Companion files (-wal, -shm, .state) go with it.
    Returns what was deleted."""
    ordered = list(copies)
    deleted: list[Path] = []
    total = 0
    for index, path in enumerate(reversed(ordered)):
        size = _size(path)
        total += size
        if index == 0:
            continue
        if index >= keep or total > max_bytes:
            for p in (path, *(Path(f"{path}{side}") for side in COMPANIONS)):
                with contextlib.suppress(FileNotFoundError):
                    p.unlink()
            deleted.append(path)
    return deleted


def prune_library_copies(library: Path, kind: str) -> list[Path]:
    """Bound the kept copies of `library` of one kind ("before-restore", "damaged")."""
    return prune(
        kept_copies(library.parent, f"{library.name}.{kind}-"),
        keep=LIBRARY_COPIES_KEEP,
        max_bytes=LIBRARY_COPIES_MAX_BYTES,
    )


def prune_claims_backups(folder: Path) -> list[Path]:
    found = [p for p in folder.glob("claims-of-document-*.jsonl") if p.is_file()]
    found.sort(key=lambda p: (p.stat().st_mtime_ns, p.name))
    return prune(found, keep=CLAIMS_KEEP, max_bytes=CLAIMS_MAX_BYTES)


def write_claims_backup(folder: Path, doc_id: int, text: str) -> Path:
    """Keep the claims of a document about to be deleted; bounded (see the module's docstring)."""
    from app.core.errors import DiskFullError, LibraryError

    try:
        folder.mkdir(parents=True, exist_ok=True)
        kept = write_new(folder, f"claims-of-document-{doc_id}-", ".jsonl", text.encode("utf-8"))
    except OSError as err:
        message = (
            f"could not keep the claims of document #{doc_id} in {folder} ({err.strerror or err}), "
            "so it was not deleted"
        )
        raise (DiskFullError if err.errno == errno.ENOSPC else LibraryError)(message) from err
    with contextlib.suppress(OSError):
        prune_claims_backups(folder)
    return kept


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _regular(path: Path) -> bool:
    """A regular file, not a link, pipe or device (`lstat`): only those are read or copied here
    (a -wal linked to /dev/zero would be copied without end)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _same_content(a: Path, b: Path) -> bool:
    for side in ("", "-wal"):
        pa, pb = Path(f"{a}{side}"), Path(f"{b}{side}")
        if _regular(pa) != _regular(pb):
            return False
        if not _regular(pa):
            continue
        if pa.stat().st_size != pb.stat().st_size or _digest(pa) != _digest(pb):
            return False
    return True


def keep_damaged_copy(library: Path) -> Path | None:
    """Copy a damaged library (and its -wal) aside as `<name>.damaged-<stamp>`; when an identical
    copy (same size and SHA-256, file and -wal) was already kept, that one is returned and nothing
    is copied. None when the copy failed. Plain file I/O: the caller must hold no connection to
    `library` in this process (THE RULE in `store/db.py`)."""
    prefix = f"{library.name}.damaged-"
    source = Path(os.path.realpath(library))  # SQLite's file (links resolved); its -wal is beside it
    if not _regular(source):
        return None
    try:
        size = source.stat().st_size
        for old in reversed(kept_copies(library.parent, prefix)):
            if old.stat().st_size == size and _same_content(source, old):
                return old
        copy = unique_path(library.parent, prefix)
        try:
            shutil.copyfile(source, copy)
            wal = Path(f"{source}-wal")
            if _regular(wal):
                shutil.copyfile(wal, Path(f"{copy}-wal"))
        except BaseException:
            for p in (copy, Path(f"{copy}-wal")):
                with contextlib.suppress(OSError):
                    p.unlink()
            raise
    except OSError:
        return None
    prune_library_copies(library, "damaged")
    return copy
