"""The library file: the only package that writes SQL."""

from app.core.store.library import (
    DocumentInfo,
    Library,
    NewDocument,
    NewTranslation,
    SearchHit,
    StoredParagraph,
    StoredSegment,
    StoredTranslation,
)

__all__ = [
    "DocumentInfo",
    "Library",
    "NewDocument",
    "NewTranslation",
    "SearchHit",
    "StoredParagraph",
    "StoredSegment",
    "StoredTranslation",
]
