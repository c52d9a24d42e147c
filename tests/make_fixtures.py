"""Build generated test fixtures (run by `scripts/dev.py test` before pytest; tests also build on demand).

`tests/fixtures/generated/` is gitignored. A fixture is rebuilt when missing or when the script that
makes it changed (a stamp file holds the script's hash).
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
GENERATED = HERE / "fixtures" / "generated"
TINY_MODEL = GENERATED / "tiny-vi_en.argosmodel"
_STAMP = GENERATED / "tiny-vi_en.stamp"


def _wanted_stamp() -> str:
    digest = hashlib.sha256((HERE / "make_tiny_model.py").read_bytes())
    for sample in sorted((HERE / "fixtures").glob("*.vi.txt")):  # the tokenizer is trained on them
        digest.update(sample.read_bytes())
    return digest.hexdigest()


def ensure_tiny_model() -> Path:
    """The tiny vi→en package, built if missing or stale."""
    stamp = _wanted_stamp()
    if TINY_MODEL.exists() and _STAMP.exists() and _STAMP.read_text().strip() == stamp:
        return TINY_MODEL
    sys.path.insert(0, str(HERE))
    try:
        from make_tiny_model import build_model
    finally:
        sys.path.remove(str(HERE))
    build_model(TINY_MODEL)
    _STAMP.write_text(stamp + "\n")
    return TINY_MODEL


def main() -> int:
    path = ensure_tiny_model()
    print(f"fixtures ready: {path.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
