"""How each machine translation was made (issue 19, reproducible output), and what else the engine
offered: the model (name, version, SHA-256 of its model.bin) and decoding settings of each run, and per
translation its score, confidence and the other n-best hypotheses the editor offers."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.store import NewTranslation

if TYPE_CHECKING:
    from app.core.store import Library
    from app.core.translate.engine import Engine

_HASHES: dict[tuple[str, int, int], str] = {}
SIDECAR = "model.bin.sha256"


@dataclass(frozen=True)
class Run:
    id: int
    model: str
    model_name: str
    model_version: str
    model_sha256: str
    settings: dict[str, object]
    created_at: str

    def describe(self) -> str:
        """One line for reports, e.g. 'argos:vi_en:1.9 (translate-vi_en-1_9 1.9, model.bin sha256 ebd5…);
        beam 4, 4 hypotheses, length penalty 0.2'."""
        s = self.settings
        parts = [f"beam {s.get('beam_size', '?')}", f"{s.get('num_hypotheses', 1)} hypotheses"]
        if "length_penalty" in s:
            parts.append(f"length penalty {s['length_penalty']}")
        if "compute_type" in s:
            parts.append(f"{s.get('device', 'cpu')} {s['compute_type']}")
        return (
            f"{self.model} ({self.model_name} {self.model_version}, model.bin sha256 {self.model_sha256[:16]}); "
            + ", ".join(parts)
        )


@dataclass(frozen=True)
class Detail:
    """A machine translation's score and the engine's other hypotheses (best first)."""

    score: float | None = None
    confidence: float | None = None
    alternatives: tuple[tuple[str, float], ...] = field(default_factory=tuple)
    run_id: int | None = None


def model_sha256(package_folder: Path) -> str:
    """SHA-256 of the package's model/model.bin, computed once per file version: kept in memory and
    in a sidecar file beside it (keyed by size and modification time)."""
    model = package_folder / "model" / "model.bin"
    try:
        st = model.stat()
    except OSError:
        return ""
    key = (str(model), st.st_size, st.st_mtime_ns)
    if key in _HASHES:
        return _HASHES[key]
    sidecar = model.with_name(SIDECAR)
    stamp = f"{st.st_size} {st.st_mtime_ns}"
    try:
        size_mtime, digest = sidecar.read_text(encoding="ascii").rsplit(" ", 1)
        if size_mtime == stamp and len(digest) == 64:
            _HASHES[key] = digest
            return digest
    except (OSError, ValueError, UnicodeDecodeError):
        pass
    h = hashlib.sha256()
    with model.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    digest = h.hexdigest()
    _HASHES[key] = digest
    try:
        tmp = sidecar.with_name(f"{SIDECAR}.{os.getpid()}.tmp")
        tmp.write_text(f"{stamp} {digest}", encoding="ascii")
        os.replace(tmp, sidecar)
    except OSError:
        pass  # a read-only package folder: the hash is recomputed next time
    return digest


def record_run(library: Library, engine: Engine, beam_size: int, num_hypotheses: int | None) -> int:
    from app.core.store.db import utc_now

    pkg = engine.package
    settings = engine.decoding_settings(beam_size, num_hypotheses)
    with library.transaction():
        cur = library.db.conn.execute(
            "INSERT INTO translation_runs (model, model_name, model_version, model_sha256, settings, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                engine.model_id,
                pkg.name,
                pkg.version,
                model_sha256(pkg.path),
                json.dumps(settings, sort_keys=True),
                utc_now(),
            ),
        )
        return int(cur.lastrowid or 0)


def add_machine_translations(library: Library, rows: Sequence[tuple[NewTranslation, Detail]]) -> None:
    """Store machine translations with their details, all in one transaction."""
    if not rows:
        return
    with library.transaction():
        before = library.db.conn.execute("SELECT ifnull(max(id), 0) FROM translations").fetchone()[0]
        library.add_translations([t for t, _d in rows])
        ids = [r[0] for r in library.db.conn.execute("SELECT id FROM translations WHERE id > ? ORDER BY id", (before,))]
        for tid, (_t, d) in zip(ids, rows, strict=True):
            library.db.conn.execute(
                "INSERT INTO translation_details (translation_id, run_id, score, confidence, alternatives)"
                " VALUES (?, ?, ?, ?, ?)",
                (
                    tid,
                    d.run_id,
                    d.score,
                    d.confidence,
                    json.dumps([{"text": t, "score": s} for t, s in d.alternatives], ensure_ascii=False),
                ),
            )


def _detail(row: Sequence[object]) -> Detail:
    try:
        alts = tuple((str(a["text"]), float(a["score"])) for a in json.loads(str(row[3] or "[]")))
    except (ValueError, TypeError, KeyError):
        alts = ()
    score = row[1]
    conf = row[2]
    return Detail(
        float(score) if isinstance(score, (int, float)) else None,
        float(conf) if isinstance(conf, (int, float)) else None,
        alts,
        int(row[4]) if isinstance(row[4], int) else None,
    )


def current_details(library: Library, doc_id: int) -> dict[int, Detail]:
    """Segment id -> the detail of its current translation (only machine translations have one)."""
    rows = library.db.execute(
        "SELECT c.segment_id, d.score, d.confidence, d.alternatives, d.run_id FROM current_translations c"
        " JOIN segments s ON s.id = c.segment_id JOIN translation_details d ON d.translation_id = c.id"
        " WHERE s.document_id = ?",
        [doc_id],
    ).fetchall()
    return {int(r[0]): _detail(r) for r in rows}


def document_runs(library: Library, doc_id: int) -> list[Run]:
    """The runs that made the document's current machine translations, oldest first."""
    rows = library.db.execute(
        "SELECT DISTINCT r.id, r.model, r.model_name, r.model_version, r.model_sha256, r.settings, r.created_at"
        " FROM current_translations c JOIN segments s ON s.id = c.segment_id"
        " JOIN translation_details d ON d.translation_id = c.id JOIN translation_runs r ON r.id = d.run_id"
        " WHERE s.document_id = ? ORDER BY r.id",
        [doc_id],
    ).fetchall()
    out = []
    for r in rows:
        try:
            settings = json.loads(str(r[5]))
        except ValueError:
            settings = {}
        out.append(Run(int(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4]), settings, str(r[6])))
    return out


ON_DEMAND_BEAM = 4  # alternatives asked for one sentence: a beam wide enough to give several


def ask_alternatives(library: Library, engine: Engine, segment_id: int, beam_size: int = ON_DEMAND_BEAM) -> Detail:
    """The engine's other translations of one sentence whose machine English has none (a document
    translated with beam 1 keeps only the best): the sentence is translated again with a wider beam,
    and the hypotheses that differ from its current English are kept with that translation. The
    current English itself is not changed. Raises NotFoundError when the sentence has no machine
    English to offer alternatives for."""
    from app.core.errors import NotFoundError

    row = library.db.execute(
        "SELECT c.id, c.text, c.kind, s.text FROM current_translations c JOIN segments s ON s.id = c.segment_id"
        " WHERE c.segment_id = ?",
        [segment_id],
    ).fetchone()
    if row is None or row[2] not in ("machine", "memory"):
        what = "this sentence has no machine translation to offer others for"
        raise NotFoundError(what, neutral=what)
    translation_id, current, source = int(row[0]), str(row[1]), str(row[3])
    hyps = next(iter(engine.translate_nbest_iter([source], beam_size=beam_size, num_hypotheses=beam_size)))[1]
    alternatives = tuple((h.text, h.score) for h in hyps if h.text.strip() and h.text != current)
    best = next((h for h in hyps if h.text == current), None)
    with library.transaction():
        library.db.conn.execute(
            "INSERT INTO translation_details (translation_id, score, confidence, alternatives) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(translation_id) DO UPDATE SET alternatives = excluded.alternatives",
            (
                translation_id,
                best.score if best else None,
                best.confidence if best else None,
                json.dumps([{"text": t, "score": s} for t, s in alternatives], ensure_ascii=False),
            ),
        )
    return Detail(best.score if best else None, best.confidence if best else None, alternatives)
