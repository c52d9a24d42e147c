"""Layout repair of copied text: table tests of the patterns users paste."""

from __future__ import annotations

import pytest

from app.core.layout.text import repair_text


def texts(raw: str) -> list[str]:
    return [p.text for p in repair_text(raw)[0]]


WRAPPED = (
    "Hà Nội là thủ đô của nước Cộng hòa xã hội chủ nghĩa Việt Nam, nằm ở\n"
    "trung tâm đồng bằng sông Hồng, với diện tích hơn ba nghìn ki lô mét\n"
    "vuông và dân số khoảng tám triệu người.\n"
    "Thành phố có lịch sử hơn một nghìn năm, là trung tâm chính trị, văn\n"
    "hóa và giáo dục lớn của cả nước, nơi đặt nhiều cơ quan trung ương.\n"
)


def test_hard_wrapped_lines_joined_and_short_last_line_ends_paragraph() -> None:
    assert texts(WRAPPED) == [
        "Hà Nội là thủ đô của nước Cộng hòa xã hội chủ nghĩa Việt Nam, nằm ở trung tâm đồng bằng sông Hồng, "
        "với diện tích hơn ba nghìn ki lô mét vuông và dân số khoảng tám triệu người.",
        "Thành phố có lịch sử hơn một nghìn năm, là trung tâm chính trị, văn hóa và giáo dục lớn của cả nước, "
        "nơi đặt nhiều cơ quan trung ương.",
    ]


def test_blank_line_separated_paragraphs_with_page_break_mid_sentence() -> None:
    raw = (
        "Đoạn thứ nhất nói về kinh tế và xã hội của vùng đồng bằng, nơi có\n"
        "nhiều làng nghề truyền thống.\n\n"
        "Đoạn thứ hai kể rằng người dân ở đây đã sống bằng nghề trồng lúa và\n"
        "đánh cá từ nhiều thế kỷ, và họ\n"
        "\f"
        "vẫn giữ những phong tục cũ cho đến ngày nay.\n"
    )
    assert texts(raw) == [
        "Đoạn thứ nhất nói về kinh tế và xã hội của vùng đồng bằng, nơi có nhiều làng nghề truyền thống.",
        "Đoạn thứ hai kể rằng người dân ở đây đã sống bằng nghề trồng lúa và đánh cá từ nhiều thế kỷ, "
        "và họ vẫn giữ những phong tục cũ cho đến ngày nay.",
    ]


BODIES = [
    "Năm qua ngành công nghệ thông tin tăng trưởng mạnh nhờ xuất khẩu phần mềm và dịch vụ số\n"
    "sang nhiều thị trường mới ở châu Âu và châu Mỹ.",
    "Tuy vậy, doanh nghiệp nhỏ vẫn thiếu vốn và nhân lực có tay nghề cao, nhất là trong lĩnh\n"
    "vực trí tuệ nhân tạo và an ninh mạng.",
    "Chính phủ đã ban hành nhiều chính sách hỗ trợ, từ ưu đãi thuế đến các quỹ đầu tư mạo\n"
    "hiểm dành cho các công ty khởi nghiệp.",
    "Các chuyên gia dự báo xu hướng này sẽ còn tiếp tục trong ít nhất năm năm tới, với tốc độ\n"
    "tăng trưởng trung bình khoảng mười phần trăm.",
]


def test_running_headers_and_page_numbers_removed_between_pages() -> None:
    pages = [f"Báo cáo thường niên 2024\n\n{body}\n\n{n}\n" for n, body in enumerate(BODIES, start=1)]
    paras, repairs = repair_text("\f".join(pages))
    assert [p.text for p in paras] == [" ".join(b.split("\n")) for b in BODIES]
    removed = sorted(r.removed for r in repairs if r.kind.startswith("drop_"))
    assert removed == ["1", "2", "3", "4"] + ["Báo cáo thường niên 2024"] * 4


def test_torn_bullet_reattached_and_numbered_items_kept_apart() -> None:
    raw = "Kết quả:\n1. Mỹ: 40 mô hình,\n2. Trung Quốc: 15,\n-\nEU: chỉ 3.\n"
    assert texts(raw) == ["Kết quả:", "1. Mỹ: 40 mô hình,", "2. Trung Quốc: 15,", "- EU: chỉ 3."]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "the new method for reading documents uses an algo-\nrithm that works well and is fast enough for the\n"
            "whole library to be read in one go.\n",
            [
                "the new method for reading documents uses an algorithm that works well and is fast enough for the "
                "whole library to be read in one go."
            ],
        ),
        (
            "a real-time system works well and it is fast enough for the whole library of real-\n"
            "time documents to be read quickly by every user who needs them again and again.\n",
            [
                "a real-time system works well and it is fast enough for the whole library of real-time documents "
                "to be read quickly by every user who needs them again and again."
            ],
        ),
    ],
)
def test_hyphen_removed_only_when_inserted_by_the_break(raw: str, expected: list[str]) -> None:
    assert texts(raw) == expected


def test_markdown_headings_and_paragraphs() -> None:
    raw = "# Tiêu đề\n\nĐoạn một dòng một\ndòng hai.\n\n## Mục hai\n\n- ý một\n- ý hai\n"
    paras = repair_text(raw)[0]
    assert [(p.kind, p.text) for p in paras] == [
        ("heading", "# Tiêu đề"),
        ("paragraph", "Đoạn một dòng một dòng hai."),
        ("heading", "## Mục hai"),
        ("list_item", "- ý một"),
        ("list_item", "- ý hai"),
    ]


def test_whitespace_only_input_gives_no_paragraphs() -> None:
    assert repair_text("   \n\n \t \n") == ([], [])
