"""Markdown imported as text (issue 18): markup removed by a real parser, link targets kept as the
document's sources; and titles taken from what the document shows (a Markdown or PDF heading)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pymupdf
from PySide6.QtCore import Qt

from app.core.ingest.markdown import Link, parse
from app.core.pipeline import import_file
from app.core.store import Library
from tests.pdf_factory import flow_pdf

ROOT = Path(__file__).resolve().parents[1]

REPORT_MD = """---
layout: post
date: 2024-09-26
---
# Báo cáo **Chỉ số đổi mới sáng tạo** 2024

Theo [WIPO](https://www.wipo.int/gii "Global Innovation Index"), Việt Nam xếp thứ *44*
trên 133 nền kinh tế.

> Trung Quốc lần đầu vào **top 10**, xem <https://www.wipo.int/gii-ranking>.

## Các chỉ số chính

- Xuất khẩu công nghệ cao: hạng `3`
- Đơn đăng ký [bằng sáng chế][pct] tăng 12%

1. Thể chế
2. Nguồn nhân lực

```
GII = (Đầu vào + Đầu ra) / 2
```

| Năm | Hạng |
|-----|------|
| 2023 | 46 |

Mục lục: [lên đầu](#top). ![Biểu đồ xếp hạng](chart.png)

[pct]: https://patentscope.wipo.int/
"""

MARKUP = ("**", "](", "[", "> ", "# ", "`", "---", "<https", "![")


def _write_md(folder: Path, name: str = "gii-2024.md") -> Path:
    path = folder / name
    path.write_text(REPORT_MD, encoding="utf-8")
    return path


def test_markdown_markup_is_removed_and_links_are_kept() -> None:
    doc = parse(REPORT_MD)
    paragraphs = doc.text.split("\n\n")
    assert paragraphs[0] == "Báo cáo Chỉ số đổi mới sáng tạo 2024"
    assert "Theo WIPO, Việt Nam xếp thứ 44 trên 133 nền kinh tế." in paragraphs
    assert "Trung Quốc lần đầu vào top 10, xem https://www.wipo.int/gii-ranking." in paragraphs
    assert "Xuất khẩu công nghệ cao: hạng 3" in paragraphs
    assert "Đơn đăng ký bằng sáng chế tăng 12%" in paragraphs
    assert "1. Thể chế" in paragraphs and "2. Nguồn nhân lực" in paragraphs  # numbers are the reader's text
    assert "GII = (Đầu vào + Đầu ra) / 2" in paragraphs  # code stays as written
    assert "Năm | Hạng" in paragraphs and "2023 | 46" in paragraphs
    assert "Mục lục: lên đầu. Biểu đồ xếp hạng" in paragraphs  # image: its alt text
    for mark in MARKUP:
        assert mark not in doc.text, mark
    assert "layout: post" not in doc.text  # front matter is not text
    assert doc.links == (
        Link("WIPO", "https://www.wipo.int/gii"),
        Link("https://www.wipo.int/gii-ranking", "https://www.wipo.int/gii-ranking"),
        Link("bằng sáng chế", "https://patentscope.wipo.int/"),
    )  # in reading order; the in-page "#top" anchor is not a source
    assert doc.title == "Báo cáo Chỉ số đổi mới sáng tạo 2024"


def test_front_matter_title_wins_and_no_heading_gives_no_title() -> None:
    assert parse('---\ntitle: "Bản tin số 3"\n---\n# Khác\n\nVăn bản.').title == "Bản tin số 3"
    assert parse("Chỉ một đoạn văn, không có tiêu đề.").title == ""
    assert parse("<div>Thẻ <b>HTML</b> thô</div>\n").text == "Thẻ HTML thô"


def test_imported_markdown_has_no_markup_and_keeps_its_sources(data_dir: Path, tmp_path: Path) -> None:
    path = _write_md(tmp_path)
    with Library.open() as lib:
        outcome = import_file(lib, path)
        sentences = [s.text for s in lib.segments(outcome.document_id)]
        links = lib.document_links(outcome.document_id)
        raw, _ = lib.document_texts(outcome.document_id)
    assert outcome.title == "Báo cáo Chỉ số đổi mới sáng tạo 2024"  # the # heading, not "gii-2024"
    text = " ".join(sentences)
    for mark in MARKUP:
        assert mark not in text, mark
    assert any(s.startswith("Theo WIPO, Việt Nam xếp thứ 44") for s in sentences)
    assert links == [
        ("WIPO", "https://www.wipo.int/gii"),
        ("https://www.wipo.int/gii-ranking", "https://www.wipo.int/gii-ranking"),
        ("bằng sáng chế", "https://patentscope.wipo.int/"),
    ]
    assert raw == REPORT_MD  # the file as imported stays available (layout review)


def test_cli_show_and_list_print_the_sources(data_dir: Path, tmp_path: Path) -> None:
    path = _write_md(tmp_path)

    def run(*args: str) -> str:
        res = subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True, cwd=ROOT)
        assert res.returncode == 0, res.stderr
        return res.stdout

    run("import", str(path))
    shown = run("show", "1")
    assert "Sources:" in shown and "[1] WIPO <https://www.wipo.int/gii>" in shown
    assert "[3] bằng sáng chế <https://patentscope.wipo.int/>" in shown
    assert "3 sources" in run("list")
    listed = json.loads(run("list", "--json"))
    assert listed[0]["links"][0] == {"text": "WIPO", "url": "https://www.wipo.int/gii"}
    assert json.loads(run("show", "1", "--json"))["links"][2]["url"] == "https://patentscope.wipo.int/"


def test_markdown_dropped_on_the_window(qtbot, data_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Drop a .md file on the real window: it is listed by its heading and the reader shows no markup."""
    from app.gui.main_window import MainWindow
    from tests.test_gui import drop

    path = _write_md(tmp_path)
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    drop(win, [path])
    qtbot.waitUntil(lambda: len(win.sidebar.model.document_ids()) == 1 and not win.jobs.busy(), timeout=30_000)
    listed = win.sidebar.model.data(win.sidebar.model.index(0), Qt.ItemDataRole.DisplayRole)
    assert listed == "Báo cáo Chỉ số đổi mới sáng tạo 2024"
    qtbot.waitUntil(lambda: win.view.model is not None, timeout=10_000)
    model = win.view.model
    model.fetch_until(model.total - 1)
    shown = " ".join(s.text for s in model.segments)
    assert "Theo WIPO, Việt Nam xếp thứ 44" in shown
    for mark in MARKUP:
        assert mark not in shown, mark
    assert path.is_file()  # copied, not moved
    win.close()


# ---------------------------------------------------------------- PDF titles

BODY = [
    "Năm 2024, Việt Nam xếp thứ 44 trên 133 nền kinh tế trong Chỉ số đổi mới sáng tạo toàn cầu, "
    "tăng hai bậc so với năm trước nhờ xuất khẩu công nghệ cao và vốn đầu tư mạo hiểm. " * 3
] * 12


def test_pdf_is_titled_by_its_first_heading_not_its_file_name(data_dir: Path, tmp_path: Path) -> None:
    heading = "Chỉ số đổi mới sáng tạo toàn cầu năm 2024: Việt Nam trong nhóm thu nhập trung bình thấp dẫn đầu"
    path = flow_pdf(
        tmp_path / "bao_cao_final_v3.pdf", BODY, title=heading, header="Viện Chiến lược · Báo cáo", page_numbers=True
    )
    with pymupdf.open(path) as doc:
        assert doc.page_count >= 2 and len(doc[0].get_text("dict")["blocks"]) > 1
    with Library.open() as lib:
        outcome = import_file(lib, path)
    assert outcome.title == heading  # two lines of large type, joined


def test_a_large_running_header_is_not_the_title(data_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "tap-chi-so-9.pdf"
    doc = pymupdf.open()
    font, bold = pymupdf.Font("notos"), pymupdf.Font("notosbo")
    for number in (1, 2, 3):
        page = doc.new_page()
        writer = pymupdf.TextWriter(page.rect)
        writer.append((56, 50), "TẠP CHÍ KINH TẾ VÀ DỰ BÁO", font=bold, fontsize=18)  # every page, larger
        if number == 1:
            writer.append((56, 110), "Xuất khẩu nông sản quý III", font=bold, fontsize=14)
        for i in range(20):
            writer.append(
                (56, 150 + i * 14),
                f"Dòng {i} của trang {number}: kim ngạch tăng 5,2% so với cùng kỳ.",
                font=font,
                fontsize=10,
            )
        writer.write_text(page)
    doc.save(path)
    with Library.open() as lib:
        assert import_file(lib, path).title == "Xuất khẩu nông sản quý III"


def test_a_pdf_without_a_heading_keeps_its_file_name(data_dir: Path, tmp_path: Path) -> None:
    path = flow_pdf(tmp_path / "ghi-chu-hop.pdf", BODY[:3])
    with Library.open() as lib:
        assert import_file(lib, path).title == "ghi-chu-hop"


def test_a_logo_in_the_largest_type_is_not_the_title(data_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "so-lieu-q3.pdf"
    doc = pymupdf.open()
    font, bold = pymupdf.Font("notos"), pymupdf.Font("notosbo")
    page = doc.new_page()
    writer = pymupdf.TextWriter(page.rect)
    writer.append((56, 80), "GSO", font=bold, fontsize=30)  # the publisher's logo, largest on the page
    writer.append((56, 130), "Tình hình kinh tế quý III năm 2024", font=bold, fontsize=16)
    for i in range(25):
        writer.append(
            (56, 170 + i * 14), f"Dòng {i}: tổng sản phẩm trong nước tăng 7,4% so với cùng kỳ.", font=font, fontsize=10
        )
    writer.write_text(page)
    doc.save(path)
    with Library.open() as lib:
        assert import_file(lib, path).title == "Tình hình kinh tế quý III năm 2024"
