"""Tags as users manage them (the window's Tag manager and `main.py tags ...`): one set of rules.

- A name is trimmed, on one line, at most NAME_MAX characters, without a comma (lists of tags are
  written "a, b"), and unique ignoring case ("Statistic" and "statistic" are one tag).
- A colour is #rgb or #rrggbb (stored as lowercase #rrggbb); the window paints text on it.
- A shortcut is one of the digits 1–9 (the table's tag keys), held by one tag at most, and not a
  key the window already uses for something else (the window passes its own shortcuts as `reserved`).
- Deleting a tag that claims carry moves them to another tag, or leaves them without it, in one
  transaction with the deletion (each claim's history records it).

Claims without any tag are painted UNTAGGED_COLOR, a neutral grey no default tag uses."""

from __future__ import annotations

import re
from collections.abc import Mapping

from app.core.errors import InputError
from app.core.store import Library
from app.core.store import db as dbmod
from app.core.store.claims import ClaimStore, Tag

NAME_MAX = 40
SHORTCUT_KEYS = "123456789"
UNTAGGED_COLOR = "#e6e6e6"  # claims without a tag: neutral, unlike every tag's colour
# colours offered to a new tag, in order, the first one no tag uses yet
PALETTE = ("#f9e79f", "#aed6f1", "#d7bde2", "#a9dfbf", "#f5b7b1", "#d5dbdb", "#fad7a0", "#a3e4d7", "#f5cba7")

_HEX = re.compile(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


def check_name(name: str, tags: list[Tag], *, renaming: Tag | None = None) -> str:
    """The name as stored; refused when empty, too long, with a comma, or taken (ignoring case)."""
    name = " ".join(name.split())
    if not name:
        raise InputError("a tag needs a name")
    if len(name) > NAME_MAX:
        raise InputError(f"a tag's name is at most {NAME_MAX} characters (this one has {len(name)})")
    if "," in name:
        raise InputError(f"{name!r}: a tag's name cannot hold a comma (tags are listed as 'a, b')")
    for t in tags:
        if t.name.lower() == name.lower() and (renaming is None or t.id != renaming.id):
            raise InputError(f"a tag named {t.name!r} already exists (names ignore case)")
    return name


def check_color(color: str) -> str:
    """#rgb or #rrggbb, returned as lowercase #rrggbb."""
    color = color.strip()
    m = _HEX.fullmatch(color)
    if m is None:
        raise InputError(f"{color[:40]!r} is not a colour; give #rrggbb, e.g. #f4d03f")
    digits = m.group(1).lower()
    return "#" + ("".join(c * 2 for c in digits) if len(digits) == 3 else digits)


def check_shortcut(
    key: str | None, tags: list[Tag], *, tag: Tag | None = None, reserved: Mapping[str, str] | None = None
) -> str | None:
    """The tag's key (None: no key). `reserved` maps keys the window already uses to what they do."""
    if key is None or not key.strip() or key.strip().lower() == "none":
        return None
    key = key.strip()
    if len(key) != 1 or key not in SHORTCUT_KEYS:
        raise InputError(f"{key[:20]!r} cannot be a tag's key; use one digit from 1 to 9, or none")
    if reserved and key in reserved:
        raise InputError(f"the key {key} already does “{reserved[key]}” in the window; choose another digit")
    for t in tags:
        if t.shortcut == key and (tag is None or t.id != tag.id):
            raise InputError(f"the key {key} already applies the tag {t.name!r}; clear it there first")
    return key


def next_color(tags: list[Tag]) -> str:
    used = {t.color.lower() for t in tags}
    return next((c for c in PALETTE if c not in used), PALETTE[len(tags) % len(PALETTE)])


def create_tag(
    library: Library,
    name: str,
    color: str | None = None,
    shortcut: str | None = None,
    *,
    reserved: Mapping[str, str] | None = None,
) -> Tag:
    store = ClaimStore(library)
    tags = store.tags()
    name = check_name(name, tags)
    color = check_color(color) if color else next_color(tags)
    key = check_shortcut(shortcut, tags, reserved=reserved)
    with library.transaction():
        library.db.conn.execute(
            "INSERT INTO tags (name, color, shortcut, created_at) VALUES (?, ?, ?, ?)",
            (name, color, key, dbmod.utc_now()),
        )
    return store.tag(name)


def rename_tag(library: Library, old: str, new: str) -> Tag:
    store = ClaimStore(library)
    tag = store.tag(old)
    name = check_name(new, store.tags(), renaming=tag)
    if name != tag.name:
        with library.transaction():
            library.db.conn.execute("UPDATE tags SET name = ? WHERE id = ?", (name, tag.id))
    return store.tag(name)


def recolor_tag(library: Library, name: str, color: str) -> Tag:
    store = ClaimStore(library)
    tag = store.tag(name)
    color = check_color(color)
    with library.transaction():
        library.db.conn.execute("UPDATE tags SET color = ? WHERE id = ?", (color, tag.id))
    return store.tag(tag.name)


def set_shortcut(library: Library, name: str, key: str | None, *, reserved: Mapping[str, str] | None = None) -> Tag:
    """Gives the tag this key (None or "" clears it)."""
    store = ClaimStore(library)
    tag = store.tag(name)
    checked = check_shortcut(key, store.tags(), tag=tag, reserved=reserved)
    with library.transaction():
        library.db.conn.execute("UPDATE tags SET shortcut = ? WHERE id = ?", (checked, tag.id))
    return store.tag(tag.name)


def edit_tag(
    library: Library,
    name: str,
    *,
    new_name: str | None = None,
    color: str | None = None,
    shortcut: str | None = None,
    clear_shortcut: bool = False,
    reserved: Mapping[str, str] | None = None,
) -> Tag:
    """Several changes to one tag, all checked before any is stored, then stored in one transaction."""
    store = ClaimStore(library)
    tags = store.tags()
    tag = store.tag(name)
    final_name = check_name(new_name, tags, renaming=tag) if new_name is not None else tag.name
    final_color = check_color(color) if color is not None else tag.color
    if clear_shortcut:
        key = None
    elif shortcut is not None:
        key = check_shortcut(shortcut, tags, tag=tag, reserved=reserved)
    else:
        key = tag.shortcut
    with library.transaction():
        library.db.conn.execute(
            "UPDATE tags SET name = ?, color = ?, shortcut = ? WHERE id = ?", (final_name, final_color, key, tag.id)
        )
    return store.tag(final_name)


def delete_tag(library: Library, name: str, *, reassign: str | None = None, untag: bool = False) -> int:
    """Deletes the tag; its claims move to `reassign`, or just lose it with `untag`. A tag still on
    claims with neither is refused. Which claims carry it is read inside the one write transaction
    that moves them, records it in each claim's history and deletes the tag, so a claim tagged by
    another process meanwhile is moved too. Returns how many claims carried it."""
    store = ClaimStore(library)
    tag = store.tag(name)
    target = store.tag(reassign) if reassign else None
    if target is not None and target.id == tag.id:
        raise InputError(f"cannot move the claims of {tag.name!r} to the tag being deleted; name another tag")
    conn = library.db.conn
    with library.transaction():
        claim_ids = [r[0] for r in conn.execute("SELECT claim_id FROM claim_tags WHERE tag_id = ?", (tag.id,))]
        if claim_ids and target is None and not untag:
            raise InputError(
                f"the tag {tag.name!r} is on {len(claim_ids)} claim(s); move them to another tag "
                "(--reassign TAG) or drop the tag from them (--force)"
            )
        now = dbmod.utc_now()
        for claim_id in claim_ids:
            conn.execute(
                "INSERT INTO claim_history (claim_id, field, old_value, new_value, changed_at) VALUES (?,?,?,?,?)",
                (claim_id, "tags", f"-{tag.name}", f"+{target.name}" if target else "", now),
            )
            if target is not None:
                conn.execute("INSERT OR IGNORE INTO claim_tags (claim_id, tag_id) VALUES (?, ?)", (claim_id, target.id))
        conn.execute("DELETE FROM tags WHERE id = ?", (tag.id,))
    return len(claim_ids)
