"""`main.py clean` as a user runs it: real files in, paragraphs or one clear line of error out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.pdf_factory import damaged_pdf, encrypted_pdf, flow_pdf, garbage_pdf, image_only_pdf

ROOT = Path(__file__).parent.parent


def run_clean(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "clean", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=120,
    )


def test_clean_prints_paragraphs_separated_by_one_blank_line(fixtures: Path) -> None:
    res = run_clean(fixtures / "pdf_copy_supercomputers.vi.txt")
    assert res.returncode == 0, res.stderr
    assert res.stderr == ""
    expected = json.loads((fixtures / "pdf_copy_supercomputers.expected.json").read_text(encoding="utf-8"))
    assert res.stdout == "\n\n".join(p["text"] for p in expected) + "\n"


def test_clean_json_has_encoding_paragraphs_and_repairs(fixtures: Path) -> None:
    res = run_clean(fixtures / "forum_post_ai_race.vi.txt", "--json")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["encoding"] == "utf-8"
    assert set(out["paragraphs"][0]) == {"text", "kind", "lang", "page"}
    assert len(out["paragraphs"]) == 27
    assert any(r["kind"] == "attach_bullet" for r in out["repairs"])
    assert {"kind": "source", "lang": "en"}.items() <= next(
        p for p in out["paragraphs"] if p["text"] == "www.rdworldonline.com"
    ).items()


def test_clean_pdf_reports_pages(tmp_path: Path) -> None:
    pdf = flow_pdf(tmp_path / "a.pdf", ["Đoạn văn thứ nhất của tài liệu.", "Đoạn văn thứ hai."], page_numbers=True)
    res = run_clean(pdf, "--json")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["encoding"] == "pdf"
    assert [(p["text"], p["page"]) for p in out["paragraphs"]] == [
        ("Đoạn văn thứ nhất của tài liệu.", 1),
        ("Đoạn văn thứ hai.", 1),
    ]


def test_legacy_encoded_file_gives_the_same_output(tmp_path: Path, fixtures: Path) -> None:
    from app.core.ingest.legacy_vn import encode_vni

    text = (fixtures / "pdf_copy_supercomputers.vi.txt").read_text(encoding="utf-8")
    vni = tmp_path / "vni.txt"
    vni.write_bytes(encode_vni(text))
    utf8 = run_clean(fixtures / "pdf_copy_supercomputers.vi.txt")
    legacy = run_clean(vni, "--json")
    assert json.loads(legacy.stdout)["encoding"] == "vni-windows"
    assert run_clean(vni).stdout == utf8.stdout


def _bad_inputs(tmp: Path, fixtures: Path) -> dict[str, tuple[Path, str]]:
    good = flow_pdf(tmp / "good.pdf", ["Một đoạn văn bản tiếng Việt đủ dài để làm tệp PDF thật."] * 30)
    (tmp / "empty.txt").write_bytes(b"")
    (tmp / "blank.txt").write_text("  \n\n \t\n", encoding="utf-8")
    (tmp / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (tmp / "empty.pdf").write_bytes(b"")
    return {
        "missing": (tmp / "nope.txt", "no such file"),
        "empty": (tmp / "empty.txt", "empty"),
        "blank": (tmp / "blank.txt", "empty"),
        "binary": (tmp / "photo.txt", "binary"),
        "empty pdf": (tmp / "empty.pdf", "empty"),
        "truncated pdf": (damaged_pdf(tmp / "cut.pdf", good), "damaged"),
        "garbage pdf": (garbage_pdf(tmp / "junk.pdf"), "damaged"),
        "encrypted pdf": (encrypted_pdf(tmp / "locked.pdf"), "password"),
        "scanned pdf": (image_only_pdf(tmp / "scan.pdf"), "no text layer"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "missing",
        "empty",
        "blank",
        "binary",
        "empty pdf",
        "truncated pdf",
        "garbage pdf",
        "encrypted pdf",
        "scanned pdf",
    ],
)
def test_bad_input_exits_nonzero_with_one_clear_line(tmp_path: Path, fixtures: Path, case: str) -> None:
    path, phrase = _bad_inputs(tmp_path, fixtures)[case]
    res = run_clean(path)
    assert res.returncode != 0
    assert res.stdout == ""
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith("doichieu: ")
    assert phrase in lines[0].lower()
    assert "Traceback" not in res.stderr


def test_no_arguments_prints_help() -> None:
    res = subprocess.run([sys.executable, str(ROOT / "main.py"), "--help"], capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 0
    assert "clean" in res.stdout
