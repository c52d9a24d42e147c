"""A short run of the PDF fuzzer in the suite (the full 500-file run: tests/hostile/fuzz_pdfs.py)."""

from __future__ import annotations

from pathlib import Path

from tests.hostile.fuzz_pdfs import fuzz


def test_mutated_pdfs_never_crash_hang_or_corrupt(tmp_path: Path) -> None:
    outcomes = fuzz(24, seed=7, timeout=120, folder=tmp_path)
    assert outcomes["crashed"] == outcomes["timed out"] == outcomes["corrupted"] == 0
    assert outcomes["imported"] + outcomes["refused"] == 24
