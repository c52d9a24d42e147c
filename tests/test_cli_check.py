"""`main.py check PAIRS.tsv|FILE.tmx [--json]` as a user runs it: real files in a subprocess, the
flags in input order, and one clear line with exit code 2 for a file that is not pairs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from app.core.export.options import ExportOptions
from app.core.export.report import build_report
from app.core.export.tmx import write_tmx
from app.core.pipeline import import_text
from app.core.store import Library, NewTranslation

ROOT = Path(__file__).parent.parent

PAIRS = [
    ("Giá xăng RON95 giảm 320 đồng/lít.", "The price of RON95 petrol fell by 320 dong per litre."),
    ("Kim ngạch xuất khẩu đạt 355,5 tỷ USD.", "Export turnover reached 355.5 million USD."),
    ("Ngân hàng Nhà nước không điều chỉnh lãi suất.", "The State Bank adjusted interest rates."),
    ("Tổ chức Y tế Thế giới (WHO) họp tại Geneva.", "The organisation met in Geneva."),
    ("Không khí ở Hà Nội ô nhiễm.", "The air in Hanoi is polluted."),
]


def run_check(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "check", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=120,
    )


def test_tsv_json_lists_every_pair_in_input_order(tmp_path: Path) -> None:
    tsv = tmp_path / "pairs.tsv"
    tsv.write_text("".join(f"{vi}\t{en}\n" for vi, en in PAIRS) + "\n", encoding="utf-8")
    res = run_check(tsv, "--json")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert [(item["vi"], item["en"]) for item in out] == PAIRS
    kinds = [[f["kind"] for f in item["flags"]] for item in out]
    assert kinds == [[], ["number"], ["negation"], ["name"], []]
    assert out[1]["flags"][0]["detail"] == "355,5 tỷ in Vietnamese, 355.5 million in English"
    assert all(set(f) == {"kind", "detail"} for item in out for f in item["flags"])


def test_tsv_text_output_names_the_flagged_pairs(tmp_path: Path) -> None:
    tsv = tmp_path / "pairs.tsv"
    tsv.write_bytes(("\ufeff" + "".join(f"{vi}\t{en}\r\n" for vi, en in PAIRS)).encode("utf-8"))  # Excel's BOM, CRLF
    res = run_check(tsv)
    assert res.returncode == 0, res.stderr
    assert "⚠ number: 355,5 tỷ in Vietnamese, 355.5 million in English" in res.stdout
    assert "⚠ name: Tổ chức Y tế Thế giới, WHO missing in the English" in res.stdout
    assert res.stdout.strip().endswith("5 pairs checked, 3 flagged")


def test_tmx_written_by_the_app_is_checked(tmp_path: Path, data_dir: Path) -> None:
    with Library.open() as lib:
        doc = import_text(lib, " ".join(vi for vi, _ in PAIRS)).document_id
        segments = lib.segments(doc)
        assert len(segments) == len(PAIRS)
        lib.add_translations(
            NewTranslation(seg.id, en, "machine", "test-model") for seg, (_, en) in zip(segments, PAIRS, strict=True)
        )
        tmx = write_tmx(build_report(lib, [doc], ExportOptions()), tmp_path / "out.tmx")
    res = run_check(tmx, "--json")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert [(item["vi"], item["en"]) for item in out] == PAIRS
    assert [[f["kind"] for f in item["flags"]] for item in out] == [[], ["number"], ["negation"], ["name"], []]


def test_hand_written_tmx_with_inline_codes_and_other_languages(tmp_path: Path) -> None:
    tmx = tmp_path / "memory.xml"  # not named .tmx: recognised by its XML start
    tmx.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="vi"/><body>'
        '<tu><tuv xml:lang="fr-FR"><seg>Bonjour</seg></tuv><tuv xml:lang="vi-VN"><seg>Giá tăng '
        '<bpt i="1">&lt;b&gt;</bpt>15%<ept i="1">&lt;/b&gt;</ept>.</seg></tuv>'
        '<tuv xml:lang="EN-US"><seg>Prices rose 50%.</seg></tuv></tu>'
        '<tu><tuv lang="vi"><seg>Không có ai.</seg></tuv></tu>'
        "</body></tmx>",
        encoding="utf-8",
    )
    res = run_check(tmx, "--json")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert [(item["vi"], item["en"]) for item in out] == [("Giá tăng 15%.", "Prices rose 50%."), ("Không có ai.", "")]
    assert out[0]["flags"] == [{"kind": "number", "detail": "15% in Vietnamese, 50% in English"}]
    assert out[1]["flags"] == [{"kind": "empty", "detail": "no English"}]


def _fails_with_one_line(res: subprocess.CompletedProcess[str], *words: str) -> None:
    assert res.returncode == 2, (res.stdout, res.stderr)
    assert res.stdout == ""
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in res.stderr, res.stderr
    for word in words:
        assert word in lines[0]


def test_bad_input_is_one_clear_line_and_exit_code_2(tmp_path: Path) -> None:
    _fails_with_one_line(run_check(tmp_path / "missing.tsv"), "not found", "missing.tsv")

    no_tab = tmp_path / "no_tab.tsv"
    no_tab.write_text("Giá tăng 15%.\tPrices rose 15%.\nGiá tăng 20% nhưng không có tab\n", encoding="utf-8")
    _fails_with_one_line(run_check(no_tab, "--json"), "line 2", "no tab")

    binary = tmp_path / "photo.tsv"
    binary.write_bytes(bytes(range(256)) * 40)
    _fails_with_one_line(run_check(binary), "binary")

    broken = tmp_path / "broken.tmx"
    broken.write_text("<tmx><body><tu>", encoding="utf-8")
    _fails_with_one_line(run_check(broken), "not a well-formed TMX")

    empty = tmp_path / "empty.tsv"
    empty.write_text("\n\n", encoding="utf-8")
    _fails_with_one_line(run_check(empty), "empty.tsv")

    _fails_with_one_line(run_check(tmp_path), "folder")


def test_glossary_file_adds_the_glossary_check(tmp_path: Path) -> None:
    tsv = tmp_path / "pairs.tsv"
    tsv.write_text("Bộ Y tế họp hôm qua.\tThe health ministry met yesterday.\n", encoding="utf-8")
    terms = tmp_path / "terms.csv"
    terms.write_text("vi,en\nBộ Y tế,Ministry of Health\n", encoding="utf-8")
    plain = json.loads(run_check(tsv, "--json").stdout)
    assert plain[0]["flags"] == []
    res = run_check(tsv, "--json", "--glossary", terms)
    assert res.returncode == 0, res.stderr
    (flag,) = json.loads(res.stdout)[0]["flags"]
    assert flag["kind"] == "glossary" and "Ministry of Health" in flag["detail"]


def test_a_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pairs.tsv"
    os.mkfifo(fifo)
    _fails_with_one_line(run_check(fifo), "not a file")
