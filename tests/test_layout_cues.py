"""Paragraph cues that generalize (issue 16): copy marks weighed with the lines, running lines told
from body text and headings, and line-end hyphens kept where Vietnamese text has real ones."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from app.core.ingest.pdf import read_pdf
from app.core.layout.pdf import repair_pdf
from app.core.layout.text import repair_text
from tests.pdf_factory import flow_pdf

# Three paragraphs of full lines (about 80 characters) and a short last line each.
_PARAGRAPHS = [
    [
        "Bộ tổ chức vĩ lệnh cho phép bạn tạo thư viện mới, nhập khẩu thư viện từ tài liệu",
        "khác và xuất khẩu thư viện đã có sang một tập tin hay một phần mở rộng riêng biệt",
        "của chương trình.",
    ],
    [
        "Mỗi thư viện chứa các mô-đun và hộp thoại; bạn có thể thay tên, di chuyển hay sao",
        "chép chúng giữa các tài liệu, các mẫu và ứng dụng mà không phải gõ lại mã nguồn",
        "của chúng một lần nữa.",
    ],
    [
        "Thư viện mặc định có tên Chuẩn và không thể xoá được, nhưng bạn vẫn có thể thêm vào",
        "đó những mô-đun mới, sửa chúng và lưu chúng cùng với tài liệu đang mở trên máy.",
    ],
]


def _copy(marked: list[bool]) -> str:
    """A PDF viewer's copy: every line with one trailing space and a blank line after it; the end of
    paragraph i carries the viewer's mark (two trailing spaces) only when marked[i]."""
    out = []
    for i, lines in enumerate(_PARAGRAPHS):
        for k, line in enumerate(lines):
            end = k == len(lines) - 1
            out.append(f"{line}{'  ' if end and (marked[i] or i == len(lines) - 1) else ' '}\n\n")
    return "".join(out)


@pytest.mark.parametrize("marked", [[True, True, True], [False, True, True], [True, False, True], [False, False, True]])
def test_copy_with_partial_marks_keeps_every_paragraph(marked: list[bool]) -> None:
    # The viewer's own paragraph detection missed some ends: a short line that ends a sentence,
    # followed by a capital, still ends its paragraph.
    got = [p.text for p in repair_text(_copy(marked))[0]]
    assert got == [" ".join(lines) for lines in _PARAGRAPHS]


def test_copy_mark_that_says_the_line_goes_on_is_kept_before_a_lower_case_word() -> None:
    raw = (
        "Nếu bạn chèn thư viện dạng tham chiếu thì chỉ tham chiếu bị xoá khi bạn xoá nó khỏi \n\n"
        "danh sách. \n\n"
        "thư viện gốc vẫn còn trên đĩa và bạn có thể chèn lại nó bất cứ lúc nào bạn cần đến.  \n\n"
    )
    got = [p.text for p in repair_text(raw)[0]]
    assert len(got) == 1


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "Hãy gửi câu hỏi về giấy phép tới debian-\nlegal@lists.debian.org để được trả lời.",
            "Hãy gửi câu hỏi về giấy phép tới debian-legal@lists.debian.org để được trả lời.",
        ),
        (
            "Chạy lệnh với tùy chọn --save-\nafter-login để giữ lại phiên làm việc.",
            "Chạy lệnh với tùy chọn --save-after-login để giữ lại phiên làm việc.",
        ),
        (
            "Gói nguồn được dựng bằng đích binary-\narch trong tập tin quy tắc của gói.",
            "Gói nguồn được dựng bằng đích binary-arch trong tập tin quy tắc của gói.",
        ),
        (
            "Trong văn bản tiếng Việt, dấu gạch ở cuối dòng như Xô-\nviết là dấu gạch thật.",
            "Trong văn bản tiếng Việt, dấu gạch ở cuối dòng như Xô-viết là dấu gạch thật.",
        ),
    ],
)
def test_line_end_hyphens_in_vietnamese_text_are_kept(raw: str, expected: str) -> None:
    paragraphs, repairs = repair_text(raw)
    assert [p.text for p in paragraphs] == [expected]
    assert not [r for r in repairs if r.kind == "dehyphenate"]


def test_line_end_hyphen_removed_when_the_document_writes_the_word_whole() -> None:
    raw = "Mỗi mô-đun có một tên; tên của module-\nname được đặt khi tạo.\n\nTrường modulename là bắt buộc."
    paragraphs, repairs = repair_text(raw)
    assert paragraphs[0].text == "Mỗi mô-đun có một tên; tên của modulename được đặt khi tạo."
    assert [r.removed for r in repairs if r.kind == "dehyphenate"] == ["-"]


def test_chapter_title_repeated_by_the_running_header_is_kept(tmp_path: Path) -> None:
    # Chromium and Word print the chapter title in the running header; on the first page the title
    # itself sits under it, bigger: only the repeated small line is furniture.
    title = "Tổ chức các Mô-đun và Thư viện"
    body = [f"Đoạn {i}: bộ tổ chức vĩ lệnh cho phép bạn tạo, sửa, xoá và di chuyển thư viện." * 6 for i in range(12)]
    pdf = flow_pdf(tmp_path / "t.pdf", body, title=title, header=title, page_numbers=True)
    got, repairs = repair_pdf(read_pdf(pdf))
    assert pymupdf.open(pdf).page_count >= 2
    assert [p.text for p in got] == [title, *[" ".join(b.split()) for b in body]]
    assert sum(r.kind == "drop_header" for r in repairs) == pymupdf.open(pdf).page_count


def _page_with(page: pymupdf.Page, top: list[tuple[float, str, float]], body: list[str]) -> None:
    font, bold = pymupdf.Font("notos"), pymupdf.Font("notosbo")
    for x, text, size in top:
        tw = pymupdf.TextWriter(page.rect)
        tw.append((x, 80), text, font=bold if size > 11 else font, fontsize=size)
        tw.write_text(page)
    y = 110.0
    for line in body:
        tw = pymupdf.TextWriter(page.rect)
        tw.append((56, y), line, font=font, fontsize=10)
        tw.write_text(page)
        y += 12.5


def test_heading_numbers_at_the_top_of_pages_are_not_page_numbers(tmp_path: Path) -> None:
    # "3" before "Tổng quan tài liệu" at the top of a page is the heading's number, not a page number.
    doc = pymupdf.open()
    for number, heading in ((2, "Phương pháp"), (3, "Tổng quan tài liệu"), (4, "Kết quả")):
        page = doc.new_page()
        _page_with(
            page,
            [(56, str(number), 14), (76, heading, 14)],
            [f"Mục {heading.lower()} nói về một phần của báo cáo và được viết thành đoạn văn ngắn."],
        )
    path = tmp_path / "h.pdf"
    doc.save(path)
    got = [p.text for p in repair_pdf(read_pdf(path))[0]]
    assert got[::2] == ["2 Phương pháp", "3 Tổng quan tài liệu", "4 Kết quả"]


def test_wrapped_line_starting_with_a_number_goes_on_after_a_joining_word() -> None:
    # Hard-wrapped text: "… khoảng cách giữa các đoạn văn là" + "6pt và thụt dòng đầu …" is one sentence,
    # although the first line stops short and the next starts with a digit.
    raw = (
        "Văn bản được trình bày theo khổ giấy A4, lề trái ba phân, lề phải hai phân, cỡ chữ\n"
        "13, giãn dòng đơn, khoảng cách giữa các đoạn văn là\n"
        "6pt và thụt dòng đầu một phân; tiêu đề các mục được viết hoa và in đậm ở đầu trang.\n"
        "Mỗi chương bắt đầu ở một trang mới và có số thứ tự viết bằng chữ số La Mã theo quy\n"
        "định của nhà trường về việc trình bày luận văn tốt nghiệp của sinh viên năm cuối.\n"
    )
    got = [p.text for p in repair_text(raw)[0]]
    assert len(got) == 1 and "đoạn văn là 6pt và thụt dòng" in got[0]


def test_heading_ending_in_a_vietnamese_word_spelled_like_english_stands_alone() -> None:
    # "Máy in" (printer) ends in "in", a joining word only in English text.
    raw = (
        "Phong bì\n\nĐặt các tùy chọn về chức năng in ra phong bì trên máy in của bạn, khi bạn\n"
        "chọn lệnh này.\nMáy in\nĐặt các tùy chọn về chức năng in ra phong bì.\n"
    )
    got = [p.text for p in repair_text(raw)[0]]
    assert "Máy in" in got


def test_printed_width_of_a_copied_line_counts_letter_shapes_not_characters() -> None:
    from app.core.layout.cues import text_width

    assert text_width("illicit, little") < text_width("mammoth MWMW") < text_width("MAMMOTH MWMWMW")
    # Vietnamese tone marks and the letters they sit on are as wide as the bare letters.
    assert text_width("Nguyễn Thị Ánh") == text_width("Nguyen Thi Anh")


def test_plus_sign_wrapped_to_a_line_start_goes_on_and_plus_bullets_stay_items() -> None:
    # "+" is a sub-list bullet in Vietnamese documents and also the plus sign: after a full line that
    # stops mid-phrase ("… US + UK") it is the sentence wrapping on, as a dash or a number would be.
    wrapped = (
        "Theo báo cáo mới nhất về bằng sáng chế, nhóm dẫn đầu năm nay vẫn là Mỹ, US + UK\n"
        "+ EU và Nhật Bản, trong khi Trung Quốc đã vượt lên ở nhiều lĩnh vực ứng dụng\n"
        "khác nhau như xe tự lái, nhận dạng giọng nói và thương mại điện tử trên toàn cầu,\n"
        "với số đơn nộp mỗi năm tăng gấp đôi so với thập kỷ trước theo số liệu của WIPO.\n"
    )
    assert [p.text for p in repair_text(wrapped)[0]] == [" ".join(wrapped.split())]
    listed = (
        "Hồ sơ gồm các giấy tờ sau:\n"
        "+ Đơn đề nghị cấp giấy phép theo mẫu của Bộ;\n"
        "+ Bản sao giấy chứng nhận đăng ký doanh nghiệp.\n"
    )
    got = [p.text for p in repair_text(listed)[0]]
    assert got == [
        "Hồ sơ gồm các giấy tờ sau:",
        "+ Đơn đề nghị cấp giấy phép theo mẫu của Bộ;",
        "+ Bản sao giấy chứng nhận đăng ký doanh nghiệp.",
    ]
