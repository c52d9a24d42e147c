"""The library's schema as numbered migrations. `PRAGMA user_version` holds how many have run;
opening a library runs the missing ones in order, each in its own transaction.

Never edit a migration that has shipped: add a new one. Every migration is tested from every earlier
version (tests/test_store_migrations.py)."""

from __future__ import annotations

# Folding for search: FTS5's unicode61 tokenizer with remove_diacritics 2 strips the tone and vowel
# marks (ằ -> a, ế -> e), but đ is a letter of its own, not d plus a mark, so we fold it in SQL.
# Plain built-in functions only, so any SQLite tool can write to the file and keep the index right.
FOLD_SQL = "replace(replace({col}, 'đ', 'd'), 'Đ', 'D')"
FTS_TOKENIZER = "unicode61 remove_diacritics 2"

_V1_TABLES = """
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    source_path TEXT,
    sha256 TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,                 -- text | markdown | pdf | paste
    encoding TEXT,
    imported_at TEXT NOT NULL,
    raw_text TEXT NOT NULL,             -- decoded text; for a PDF its page texts joined by form feeds
    cleaned_text TEXT NOT NULL,         -- paragraphs joined by blank lines; offsets point in here
    size_bytes INTEGER NOT NULL DEFAULT 0,
    page_count INTEGER,
    paragraph_count INTEGER NOT NULL DEFAULT 0,
    segment_count INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'ready'
);

CREATE TABLE paragraphs (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    text TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'paragraph',
    lang TEXT NOT NULL DEFAULT 'vi',
    page INTEGER,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    UNIQUE (document_id, idx)
);

CREATE TABLE segments (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    paragraph_id INTEGER NOT NULL REFERENCES paragraphs(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    text TEXT NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    lang TEXT NOT NULL DEFAULT 'vi',
    UNIQUE (document_id, idx)
);
CREATE INDEX segments_paragraph ON segments(paragraph_id);

CREATE TABLE translations (
    id INTEGER PRIMARY KEY,
    segment_id INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    -- machine: from a model; human: a post-edit; copy: English source kept as is;
    -- memory: reused from an identical sentence elsewhere in the library
    kind TEXT NOT NULL CHECK (kind IN ('machine', 'human', 'copy', 'memory')),
    model TEXT,
    flags TEXT NOT NULL DEFAULT '',     -- space-separated quality flags
    created_at TEXT NOT NULL,
    source TEXT                         -- the sentence as it was translated (it may change on re-cleaning)
);
CREATE INDEX translations_segment ON translations(segment_id, id);

-- The translation a reader sees: the latest human edit if any, else the latest translation of the
-- sentence as it reads now, else the latest one.
CREATE VIEW current_translations AS
SELECT t.* FROM translations t
WHERE t.id = (
    SELECT t2.id FROM translations t2 JOIN segments s2 ON s2.id = t2.segment_id WHERE t2.segment_id = t.segment_id
    ORDER BY (t2.kind = 'human') DESC, (t2.source IS NULL OR t2.source = s2.text) DESC, t2.id DESC LIMIT 1
);

CREATE TABLE repairs (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    kind TEXT NOT NULL,
    paragraph INTEGER NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    removed TEXT NOT NULL DEFAULT '',
    page INTEGER,
    undone INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX repairs_document ON repairs(document_id, idx);

CREATE TABLE tags (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    color TEXT NOT NULL DEFAULT '#f4d03f',
    shortcut TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE claims (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    segment_id INTEGER REFERENCES segments(id) ON DELETE SET NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    quote TEXT NOT NULL,
    prefix TEXT NOT NULL DEFAULT '',
    suffix TEXT NOT NULL DEFAULT '',
    en_start INTEGER,
    en_end INTEGER,
    en_quote TEXT,
    verdict TEXT NOT NULL DEFAULT 'unchecked',
    status TEXT NOT NULL DEFAULT 'attached',  -- attached | orphaned
    origin TEXT NOT NULL DEFAULT 'user',      -- user | suggestion
    created_at TEXT NOT NULL,
    edited_at TEXT NOT NULL
);
CREATE INDEX claims_document ON claims(document_id, start_char);

CREATE TABLE claim_tags (
    claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (claim_id, tag_id)
);
CREATE INDEX claim_tags_tag ON claim_tags(tag_id);

-- A claim's note with its history: the latest row is the current note.
CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX notes_claim ON notes(claim_id, id);

CREATE TABLE evidence (
    id INTEGER PRIMARY KEY,
    claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    url TEXT NOT NULL DEFAULT '',
    citation TEXT NOT NULL DEFAULT '',
    quote TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX evidence_claim ON evidence(claim_id);
"""

_SEG_FOLD = FOLD_SQL.format(col="new.text")
_CURRENT_EN = """
    INSERT INTO translations_fts(rowid, text)
    SELECT t.segment_id, {fold} FROM translations t JOIN segments s ON s.id = t.segment_id
    WHERE t.segment_id = {seg}
    ORDER BY (t.kind = 'human') DESC, (t.source IS NULL OR t.source = s.text) DESC, t.id DESC LIMIT 1;
"""

_V2_SEARCH = f"""
CREATE VIRTUAL TABLE segments_fts USING fts5(text, tokenize = '{FTS_TOKENIZER}');
CREATE VIRTUAL TABLE translations_fts USING fts5(text, tokenize = '{FTS_TOKENIZER}');

-- Row-by-row indexing inside a trigger makes FTS5 flush at every statement (4x slower), so a bulk
-- import sets `deferred`, indexes its segments with one INSERT ... SELECT, and clears it again, all in
-- its own transaction: other programs never see it set, and their inserts are indexed by the trigger.
CREATE TABLE search_state (deferred INTEGER NOT NULL);
INSERT INTO search_state (deferred) VALUES (0);

CREATE TRIGGER segments_fts_insert AFTER INSERT ON segments
WHEN (SELECT deferred FROM search_state) = 0 BEGIN
    INSERT INTO segments_fts(rowid, text) VALUES (new.id, {_SEG_FOLD});
END;
CREATE TRIGGER segments_fts_delete AFTER DELETE ON segments BEGIN
    DELETE FROM segments_fts WHERE rowid = old.id;
    DELETE FROM translations_fts WHERE rowid = old.id;
END;
CREATE TRIGGER segments_fts_update AFTER UPDATE OF text ON segments BEGIN
    DELETE FROM segments_fts WHERE rowid = old.id;
    INSERT INTO segments_fts(rowid, text) VALUES (new.id, {_SEG_FOLD});
END;

-- translations_fts holds each segment's current English only (rowid = segment id).
CREATE TRIGGER translations_fts_insert AFTER INSERT ON translations BEGIN
    DELETE FROM translations_fts WHERE rowid = new.segment_id;
    {_CURRENT_EN.format(fold=FOLD_SQL.format(col="t.text"), seg="new.segment_id")}
END;
CREATE TRIGGER translations_fts_delete AFTER DELETE ON translations BEGIN
    DELETE FROM translations_fts WHERE rowid = old.segment_id;
    {_CURRENT_EN.format(fold=FOLD_SQL.format(col="t.text"), seg="old.segment_id")}
END;

INSERT INTO segments_fts(rowid, text) SELECT id, {FOLD_SQL.format(col="text")} FROM segments;
INSERT INTO translations_fts(rowid, text)
    SELECT segment_id, {FOLD_SQL.format(col="text")} FROM current_translations;
"""

# Translation memory: find earlier translations of an identical sentence anywhere in the library.
_V3_MEMORY = """
CREATE INDEX segments_text ON segments(text);
"""

# Claims (issue "claims"): the English side of an anchor, its own attachment state, an edit history,
# and the suggestions a user dismissed (by a key of the sentence's text, so they stay dismissed after
# the document is re-cleaned).
_V4_CLAIMS = """
ALTER TABLE claims ADD COLUMN segment_first INTEGER REFERENCES segments(id) ON DELETE SET NULL;
ALTER TABLE claims ADD COLUMN segment_last INTEGER REFERENCES segments(id) ON DELETE SET NULL;
ALTER TABLE claims ADD COLUMN en_custom INTEGER NOT NULL DEFAULT 0;
ALTER TABLE claims ADD COLUMN en_prefix TEXT NOT NULL DEFAULT '';
ALTER TABLE claims ADD COLUMN en_suffix TEXT NOT NULL DEFAULT '';
ALTER TABLE claims ADD COLUMN en_status TEXT NOT NULL DEFAULT 'attached';
CREATE TABLE claim_history (
    id INTEGER PRIMARY KEY,
    claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    field TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    changed_at TEXT NOT NULL
);
CREATE INDEX claim_history_claim ON claim_history(claim_id, id);
CREATE TABLE dismissed_suggestions (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    text TEXT NOT NULL,
    dismissed_at TEXT NOT NULL,
    PRIMARY KEY (document_id, key)
);
CREATE INDEX claims_verdict ON claims(verdict);
"""

# Layout review: where each repair happened (so it can be undone) and the paragraphs as repair made
# them (JSON), from which any set of undone repairs is recomputed.
_V5_LAYOUT_REVIEW = """
ALTER TABLE repairs ADD COLUMN at INTEGER;
ALTER TABLE documents ADD COLUMN repaired_json TEXT;
"""

# Glossary and do-not-translate list (issue 19), per library or per document (`key` is the Vietnamese
# normalised by app.core.translate.glossary.match_key); how each machine translation was made: the
# model with its file hash and the decoding settings (`translation_runs`), and its score, confidence and
# the engine's other hypotheses (`translation_details`, one row per machine translation).
_V6_GLOSSARY = """
CREATE TABLE glossary (
    id INTEGER PRIMARY KEY,
    vi TEXT NOT NULL,
    en TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    keep INTEGER NOT NULL DEFAULT 0,    -- 1: do not translate (the Vietnamese stays as is)
    document_id INTEGER REFERENCES documents(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX glossary_key ON glossary(key, ifnull(document_id, 0));
CREATE TABLE translation_runs (
    id INTEGER PRIMARY KEY,
    model TEXT NOT NULL,
    model_name TEXT NOT NULL DEFAULT '',
    model_version TEXT NOT NULL DEFAULT '',
    model_sha256 TEXT NOT NULL DEFAULT '',
    settings TEXT NOT NULL DEFAULT '{}',  -- JSON: beam_size, num_hypotheses, length_penalty, ...
    created_at TEXT NOT NULL
);
CREATE TABLE translation_details (
    translation_id INTEGER PRIMARY KEY REFERENCES translations(id) ON DELETE CASCADE,
    run_id INTEGER REFERENCES translation_runs(id) ON DELETE SET NULL,
    score REAL,                          -- the hypothesis's length-normalised log-probability
    confidence REAL,                     -- 0..1, from the mean token log-probability
    alternatives TEXT NOT NULL DEFAULT '[]'  -- JSON list of the other hypotheses [{"text", "score"}]
);
CREATE INDEX translation_details_run ON translation_details(run_id);
"""

# 7 (issue 19): a second model's translation of a sentence, for comparison in the reader. Kept apart
# from `translations` so it never becomes the sentence's current translation; one row per model.
_V7_COMPARISON = """
CREATE TABLE comparison_translations (
    segment_id INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    model TEXT NOT NULL,                 -- the model id, e.g. marian:vi_en:opus-mt-vi-en
    text TEXT NOT NULL,
    source TEXT,                         -- the sentence as it was translated
    run_id INTEGER REFERENCES translation_runs(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (segment_id, model)
);
"""

# 8 (issues 17 and 18): what a user says of a document (its source address, author and publication
# date, shown in reports), where the reader left it, the link targets a Markdown file carried, and for a
# document read by OCR each paragraph's mean word confidence (0-100, NULL: not read by OCR) and the
# page images the reader shows beside the text.
_V8_DOCUMENT_FACTS = """
ALTER TABLE documents ADD COLUMN source_url TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN author TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN published TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN reading_segment INTEGER;
CREATE TABLE document_links (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL,
    PRIMARY KEY (document_id, idx)
);
ALTER TABLE paragraphs ADD COLUMN ocr_confidence REAL;
CREATE TABLE page_images (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    page INTEGER NOT NULL,
    mime TEXT NOT NULL DEFAULT 'image/png',
    image BLOB NOT NULL,
    PRIMARY KEY (document_id, page)
);
"""

# 9 (issue 18): review states, OmegaT-style. A translation the user accepted unchanged has `reviewed_at`;
# the ⚠ kinds the user cleared are listed in `flags_cleared` (the stored `flags` stay, for the record); a
# human edit the user reverted to the machine translation keeps its row, with `reverted_at`, and is never
# the current translation again. `review_log` records each of these actions with its time. The current
# translation: the latest human edit not reverted, else the latest translation not reverted of the
# sentence as it reads now, else the latest one (the view and the English search index use this rule).
_CURRENT_RULE_V9 = (
    "ORDER BY ({t}.kind = 'human' AND {t}.reverted_at IS NULL) DESC, ({t}.reverted_at IS NULL) DESC,"
    " ({t}.source IS NULL OR {t}.source = {s}.text) DESC, {t}.id DESC LIMIT 1"
)
_CURRENT_EN_V9 = (
    "INSERT INTO translations_fts(rowid, text) SELECT t.segment_id, {fold} FROM translations t"
    " JOIN segments s ON s.id = t.segment_id WHERE t.segment_id = {seg} " + _CURRENT_RULE_V9.format(t="t", s="s") + ";"
)
_FOLD_T = FOLD_SQL.format(col="t.text")
_V9_REVIEW = f"""
ALTER TABLE translations ADD COLUMN reviewed_at TEXT;
ALTER TABLE translations ADD COLUMN flags_cleared TEXT NOT NULL DEFAULT '';
ALTER TABLE translations ADD COLUMN reverted_at TEXT;
CREATE TABLE review_log (
    id INTEGER PRIMARY KEY,
    segment_id INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    translation_id INTEGER REFERENCES translations(id) ON DELETE SET NULL,
    action TEXT NOT NULL,               -- accepted | flags-cleared | reverted
    detail TEXT NOT NULL DEFAULT '',    -- e.g. the flag kinds cleared
    created_at TEXT NOT NULL
);
CREATE INDEX review_log_segment ON review_log(segment_id, id);

DROP VIEW current_translations;
CREATE VIEW current_translations AS
SELECT t.* FROM translations t
WHERE t.id = (
    SELECT t2.id FROM translations t2 JOIN segments s2 ON s2.id = t2.segment_id WHERE t2.segment_id = t.segment_id
    {_CURRENT_RULE_V9.format(t="t2", s="s2")}
);

DROP TRIGGER translations_fts_insert;
DROP TRIGGER translations_fts_delete;
CREATE TRIGGER translations_fts_insert AFTER INSERT ON translations BEGIN
    DELETE FROM translations_fts WHERE rowid = new.segment_id;
    {_CURRENT_EN_V9.format(fold=_FOLD_T, seg="new.segment_id")}
END;
CREATE TRIGGER translations_fts_delete AFTER DELETE ON translations BEGIN
    DELETE FROM translations_fts WHERE rowid = old.segment_id;
    {_CURRENT_EN_V9.format(fold=_FOLD_T, seg="old.segment_id")}
END;
CREATE TRIGGER translations_fts_revert AFTER UPDATE OF reverted_at ON translations BEGIN
    DELETE FROM translations_fts WHERE rowid = new.segment_id;
    {_CURRENT_EN_V9.format(fold=_FOLD_T, seg="new.segment_id")}
END;
"""

INDEX_DOCUMENT_SEGMENTS = (
    f"INSERT INTO segments_fts(rowid, text) SELECT id, {FOLD_SQL.format(col='text')} FROM segments"
    " WHERE document_id = ?"
)

MIGRATIONS: tuple[str, ...] = (
    _V1_TABLES,  # 1: documents, text, segments, translations, repairs, claim tables
    _V2_SEARCH,  # 2: diacritic-insensitive full-text search over both languages
    _V3_MEMORY,  # 3: translation memory lookups by sentence text
    _V4_CLAIMS,  # 4: claims' English anchors, edit history, dismissed suggestions
    _V5_LAYOUT_REVIEW,  # 5: undoable repairs
    _V6_GLOSSARY,  # 6: glossary, translation runs (model hash, decoding settings), scores and alternatives
    _V7_COMPARISON,  # 7: a second model's translations, for comparison
    _V8_DOCUMENT_FACTS,  # 8: source URL, author, date, reading position, links, OCR confidences, page images
    _V9_REVIEW,  # 9: review states (accepted, flags cleared, edits reverted) and their log
)

SCHEMA_VERSION = len(MIGRATIONS)
