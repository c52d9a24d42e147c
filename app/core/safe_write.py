"""One way to write a file, for every file the app writes (exports, backups, claims backups).

The bytes go to a hidden temporary file beside the target (same folder, so same file system), are
flushed to disk (fsync), and only then renamed over the target: the target is either its old self or
the complete new file, never a partial one, also when the writer fails half-way or the disk fills.
A temporary file left by a writer that was killed is removed by the next write to the same target.

Before anything is written the target is checked, and these are refused with one clear line:
- the library (`paths.library_path()` and any library the caller names), its `-wal`, `-shm` and
  `-journal`: a report or a backup written there destroys the library;
- a file being read right now (`with reading(path):`, e.g. the backup a restore reads);
- a folder; a missing folder; something that is not a regular file (a device node such as
  `/dev/full`, a FIFO, a socket), which a rename would silently replace with a regular file.

Paths are compared by their resolved names and by `os.path.samefile` (a `stat`, never an `open`):
opening the library with plain file I/O while SQLite holds it would drop SQLite's POSIX locks.
A symbolic link to a regular file is followed: the file it points to is replaced, the link stays.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from app.core.errors import InputError

__all__ = ["UnsafeTargetError", "atomic_open", "atomic_path", "check_target", "reading", "write_bytes",
           "write_text", "write_with"]  # fmt: skip

PathLike = Path | str
LIBRARY_SIDE_FILES = ("", "-wal", "-shm", "-journal")

_reading: dict[str, int] = {}
_reading_lock = threading.Lock()


class UnsafeTargetError(InputError):
    """The place given to write a file is one that must not be written (nothing was written)."""


def _real(path: PathLike) -> str:
    return os.path.normcase(os.path.realpath(os.fspath(path)))


def _same(a: PathLike, b: PathLike) -> bool:
    if _real(a) == _real(b):
        return True
    try:
        return os.path.samefile(a, b)  # hard links, case-insensitive file systems; stat only
    except (OSError, ValueError):
        return False


@contextlib.contextmanager
def reading(path: PathLike) -> Iterator[None]:
    """While this block runs, no safe write may replace `path` (the file being read)."""
    key = _real(path)
    with _reading_lock:
        _reading[key] = _reading.get(key, 0) + 1
    try:
        yield
    finally:
        with _reading_lock:
            _reading[key] -= 1
            if not _reading[key]:
                del _reading[key]


def _default_library() -> Path:
    """`paths.library_path()`, without creating the data folder as a side effect of a check."""
    import platformdirs

    from app.core import paths

    override = os.environ.get(paths.DATA_DIR_ENV)
    folder = (
        Path(override).expanduser() if override else Path(platformdirs.user_data_dir(paths.APP_NAME, appauthor=False))
    )
    return folder / paths.LIBRARY_FILE


def _library_files(libraries: Iterable[PathLike]) -> list[tuple[Path, str]]:
    out = []
    for lib in libraries:
        for suffix in LIBRARY_SIDE_FILES:
            out.append((Path(os.fspath(lib) + suffix), suffix))
    return out


def _kept_copy(path: Path) -> str | None:
    """What an existing `path` is if the app keeps it in the data folder: a backup in backups/, or a
    copy of the library set aside (damaged, before a restore, a -wal that was not the library's)."""
    data = _default_library().parent
    if not os.path.lexists(path):
        return None
    if path.parent.name == "backups" and _same(path.parent.parent, data):
        return "a backup the app keeps (in the data folder's backups/)"
    kept_marks = (".damaged-", ".before-restore-", ".set-aside-")
    aside = path.name.startswith(_default_library().name) and any(m in path.name for m in kept_marks)
    if aside and _same(path.parent, data):
        return "a copy of the library kept aside"
    return None


def check_target(
    target: PathLike,
    *,
    protect: Iterable[PathLike] = (),
    libraries: Iterable[PathLike] = (),
    allow_library: bool = False,
    allow_kept: bool = False,
) -> Path:
    """The file to write for `target` (a symbolic link resolved), or UnsafeTargetError saying why not.
    `allow_kept`: may replace a backup in the data folder's backups/ (only a new backup does that).

    `protect`: more files that must not be replaced (e.g. the file being read). `libraries`: library
    files besides `paths.library_path()` (a library opened from another place). `allow_library`:
    only for restoring a library, which replaces the library file on purpose."""
    raw = Path(os.fspath(target))
    if not raw.name or os.fspath(target).endswith((os.sep, "/")):
        raise UnsafeTargetError(f"{raw} is a folder; give a file name")
    path = Path(os.path.realpath(raw)) if raw.is_symlink() else raw
    if not allow_library:
        libs = [_default_library(), *libraries]
        for lib_file, suffix in _library_files(libs):
            if _same(path, lib_file):
                what = "the library" if not suffix else f"the library's {suffix} file"
                raise UnsafeTargetError(
                    f"{raw} is {what} ({lib_file}); writing there would destroy it; choose another file name"
                )
        kept = None if allow_kept else _kept_copy(path)
        if kept:
            raise UnsafeTargetError(f"{raw} is {kept}; writing there would lose it; choose another file name")
    with _reading_lock:
        being_read = set(_reading)
    for other in [*protect, *being_read]:
        if _same(path, other):
            raise UnsafeTargetError(f"{raw} is the file being read ({other}); choose another file name")
    try:
        st = os.stat(path)
    except FileNotFoundError:
        st = None
    except OSError as err:
        raise UnsafeTargetError(f"cannot write {raw}: {err.strerror or err}") from err
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise UnsafeTargetError(f"{raw} is a folder; give a file name, e.g. {raw / 'report'}")
        if not stat.S_ISREG(st.st_mode):
            raise UnsafeTargetError(
                f"{raw} is not a regular file (a device, pipe or socket); DoiChieu writes only ordinary files"
            )
    if not path.parent.is_dir():
        raise UnsafeTargetError(f"the folder {path.parent} does not exist; create it or choose another place")
    return path


def _temp_name(path: Path) -> Path:
    stem = path.name[:180]
    return path.with_name(f".{stem}.{os.getpid()}-{secrets.token_hex(4)}.partial")


def _remove_stale_temps(path: Path) -> None:
    """Temporary files a killed writer left beside `path` (its process is gone) are removed."""
    pattern = re.compile(rf"\.{re.escape(path.name[:180])}\.(\d+)-[0-9a-f]{{8}}\.partial")
    try:
        names = [e.name for e in os.scandir(path.parent) if e.name.endswith(".partial")]
    except OSError:
        return
    for name in names:
        m = pattern.fullmatch(name)
        if m is None or _alive(int(m.group(1))):
            continue
        with contextlib.suppress(OSError):
            (path.parent / name).unlink()


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name != "posix":
        return True  # no cheap check: leave it
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True
    return True


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the file itself is synced
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_path(
    target: PathLike,
    *,
    protect: Iterable[PathLike] = (),
    libraries: Iterable[PathLike] = (),
    allow_library: bool = False,
) -> Iterator[Path]:
    """Yields a fresh empty temporary path beside `target` for a writer that wants a file name
    (python-docx, Qt, SQLite's backup). When the block ends normally the file is synced and
    renamed over `target`; when it raises, the temporary file is removed and `target` is untouched."""
    protect, libraries = tuple(protect), tuple(libraries)
    path = check_target(target, protect=protect, libraries=libraries, allow_library=allow_library)
    _remove_stale_temps(path)
    tmp = _temp_name(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)  # umask applies
    os.close(fd)
    try:
        yield tmp
        if not tmp.exists():
            raise OSError(f"nothing was written to {path}")
        with contextlib.suppress(OSError):
            if path.exists():
                os.chmod(tmp, stat.S_IMODE(os.stat(path).st_mode))  # a replaced file keeps its permissions
        _fsync_file(tmp)
        # Checked again right before the rename: the target must still be a file we may replace.
        check_target(path, protect=protect, libraries=libraries, allow_library=allow_library)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(path.parent)


@contextlib.contextmanager
def atomic_open(
    target: PathLike,
    mode: str = "w",
    *,
    encoding: str | None = None,
    newline: str | None = None,
    protect: Iterable[PathLike] = (),
    libraries: Iterable[PathLike] = (),
    allow_library: bool = False,
) -> Iterator[IO[Any]]:
    """`open(target, mode)` for writing ("w", "wb"), made safe as `atomic_path` is."""
    if mode not in {"w", "wb", "wt"}:
        raise ValueError(f"atomic_open writes a new file; mode {mode!r} is not supported")
    with atomic_path(target, protect=protect, libraries=libraries, allow_library=allow_library) as tmp:
        if "b" in mode:
            with open(tmp, "wb") as fh:
                yield fh
        else:
            with open(tmp, "w", encoding=encoding or "utf-8", newline=newline) as fh:
                yield fh


def write_with(target: PathLike, writer: Callable[[Path], object], **kwargs: Any) -> Path:
    """Calls `writer(temp_path)` and puts the result at `target` (see `atomic_path`); returns the path written."""
    with atomic_path(target, **kwargs) as tmp:
        writer(tmp)
    return _final(target)


def _final(target: PathLike) -> Path:
    raw = Path(os.fspath(target))
    return Path(os.path.realpath(raw)) if raw.is_symlink() else raw


def write_bytes(target: PathLike, data: bytes, **kwargs: Any) -> Path:
    with atomic_open(target, "wb", **kwargs) as fh:
        fh.write(data)
    return _final(target)


def write_text(
    target: PathLike, text: str, *, encoding: str = "utf-8", newline: str | None = None, **kwargs: Any
) -> Path:
    with atomic_open(target, "w", encoding=encoding, newline=newline, **kwargs) as fh:
        fh.write(text)
    return _final(target)
