"""The session that damaged libraries (issue 15), replayed without the GUI: the window holds its
connection, a short second connection in the same process opens and closes (a library search job),
another process imports, the window writes, another process imports, the window quits. Closing any
descriptor of the library file in the window's process used to drop the window's POSIX locks, so the
importer believed it was the last user, checkpointed and deleted the WAL under the window, and the
window's quit wrote stale pages over the library: "database disk image is malformed".

After every round the file must pass `integrity_check` and hold every write that was acknowledged:
each imported document (its importer printed its id) and each of the window's own writes."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from app.core import paths
from app.core.claims.workflow import create_claim
from app.core.store import Library
from app.core.store.claims import ClaimStore
from tests.support_session import inspect_library, run_cli, sample_copy, sha256_of

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX advisory locks are what the bug dropped")

ROUNDS = 3  # one round damaged the library on the code before the fix; three show it is not luck


def _import(data_dir: Path, doc: Path) -> str:
    """Import in another process; the document's sha256 once the importer acknowledged it."""
    done = run_cli(data_dir, "import", str(doc))
    assert done.returncode == 0 and done.stdout.startswith("#"), f"import refused: {done.stdout}{done.stderr}"
    return sha256_of(doc)


def test_window_writes_between_imports_of_other_processes_and_quits(data_dir: Path, tmp_path: Path) -> None:
    library = paths.library_path()
    docs: set[str] = set()
    tags: set[str] = set()
    notes: set[str] = set()
    for n in range(ROUNDS):
        window = Library.open()  # the window's connection, held for the whole session
        store = ClaimStore(window)
        store.ensure_default_tags()
        known = window.documents()  # the library list: the window's first reads
        window.search("máy tính")
        with Library.open() as job:  # a library search on a pool thread: a second, short connection
            job.search("siêu máy tính")
        docs.add(_import(data_dir, sample_copy(tmp_path / "in", 2 * n)))
        store.add_tag(f"cua-so-{n}")  # the window writes a tag...
        tags.add(f"cua-so-{n}")
        if known:  # ...and, from the second round on, a claim with a note on a document it lists
            note = f"ghi chú của cửa sổ {n}"
            create_claim(window, known[0].id, 0, 12, tags=[f"cua-so-{n}"], note=note)
            notes.add(note)
        docs.add(_import(data_dir, sample_copy(tmp_path / "in", 2 * n + 1)))
        window.close()  # quit

        state = inspect_library(library)
        assert state.ok, f"round {n + 1}: the library is damaged after the window quit: {state.integrity}"
        assert docs <= state.shas, f"round {n + 1}: {len(docs - state.shas)} acknowledged import(s) lost"
        assert tags <= state.tags, f"round {n + 1}: the window's tags {sorted(tags - state.tags)} were lost"
        assert notes <= state.notes, f"round {n + 1}: the window's notes {sorted(notes - state.notes)} were lost"
    with Library.open() as reopened:  # the next start opens the library
        assert len(reopened.documents()) == 2 * ROUNDS
