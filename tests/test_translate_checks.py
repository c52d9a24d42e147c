"""The sentence-pair checks (app/core/translate/checks.py): the Vietnamese number reader, the negation
detector, the name check, the formatter every reader uses, and the flags stored for machine output
and for a person's post-edit in a real library."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from app.core.pipeline import import_text
from app.core.store import Library, NewTranslation
from app.core.translate.checks import (
    Flag,
    check_pair,
    compare_names,
    compare_negation,
    compare_numbers,
    describe,
    english_numbers,
    explain,
    negations,
    parse_en_numeral,
    parse_vi_numeral,
    stored_flags,
    vietnamese_numbers,
)
from app.core.translate.memory import post_edit


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.000", 1000),
        ("1.000.000", 1_000_000),
        ("2,5", 2.5),
        ("1.234,5", 1234.5),
        ("0,03", 0.03),
        ("7.4", 7.4),  # written the English way: one digit after the dot is a decimal
        ("3,500,000", 3_500_000),  # English grouping in a Vietnamese text
        ("1,234.5", 1234.5),
        ("2024", 2024),
    ],
)
def test_vietnamese_numerals(text: str, value: float) -> None:
    assert parse_vi_numeral(text) == pytest.approx(value)


@pytest.mark.parametrize(
    ("text", "value"),
    [("1,000", 1000), ("1.000", 1.0), ("2.5", 2.5), ("3,500,000", 3_500_000), ("2,5", 2.5)],
)
def test_english_numerals(text: str, value: float) -> None:
    assert parse_en_numeral(text) == pytest.approx(value)


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("Dự án có tổng vốn 2,5 tỷ USD.", [2.5e9]),
        ("Doanh thu đạt 60.000 tỷ đồng.", [6e13]),
        ("Thu ngân sách đạt 1,62 triệu tỷ đồng.", [1.62e15]),
        ("Khoảng 30 nghìn người, 2 vạn sản phẩm, 1,2 ngàn lượt.", [30_000, 20_000, 1200]),
        ("Ngày 5/3/2024 giá tăng 7,4%.", [5, 3, 2024, 7.4]),
        ("Giá tăng từ 10 đến 15% trong quý III.", [10, 15, 3]),
        ("Vụ việc xảy ra lúc 22 giờ, giá giảm từ 15 giờ chiều nay và 3 giờ chiều mai.", [22, 15, 15]),
        ("Ba người bị thương, hai mươi lăm người được cứu.", [3, 25]),
        ("Hàng trăm người và một số doanh nghiệp.", []),  # 'hundreds of', 'some': no number
        ("Sau hai năm, thí sinh thứ tư đạt giải.", [2, 4]),
    ],
)
def test_vietnamese_numbers(text: str, values: list[float]) -> None:
    assert sorted(n.value for n in vietnamese_numbers(text)) == pytest.approx(sorted(values))


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("The company raised $1.5m and 2,500 million USD.", [1.5e6, 2.5e9]),
        ("On 5 March 2024 prices rose 7.4%.", [5, 3, 2024, 7.4]),
        ("Three people and twenty-five others; a dozen cars.", [3, 25, 12]),
        ("It happened at 10 pm; the trains may be late.", [22]),  # 'may' the verb is no month
        ("About two thirds of the area; the share price tripled.", [2, 3, 3]),
    ],
)
def test_english_numbers(text: str, values: list[float]) -> None:
    assert sorted(n.value for n in english_numbers(text)) == pytest.approx(sorted(values))


@pytest.mark.parametrize(
    ("vi", "en"),
    [
        ("Dự án có tổng vốn 2,5 tỷ USD.", "The project is worth 2.5 billion USD."),
        ("Dự án có tổng vốn 2,5 tỷ USD.", "The project is worth 2,500 million USD."),
        ("Dự án có tổng vốn 2,5 tỷ USD.", "The project is worth $2.5bn."),
        ("Hội nghị diễn ra vào ngày 12 tháng 4 năm 2024.", "The conference took place on April 12, 2024."),
        ("Hiệp định có hiệu lực từ ngày 1/8/2020.", "The agreement came into force on 1 August 2020."),
        ("Thí sinh thứ 10 đạt điểm tuyệt đối.", "The tenth candidate got a perfect score."),
        ("Giá cổ phiếu tăng gấp ba lần trong 2 năm.", "The share price tripled in 2 years."),
        ("Tỷ lệ lạm phát tiến gần về số không.", "The inflation rate is approaching zero."),
        ("Sản lượng điện tăng 25 phần trăm.", "Power output rose 25 per cent."),
        ("Giá giảm 320 đồng/lít từ 15 giờ chiều nay.", "The price fell 320 dong a litre from 3 pm today."),
        ("Công ty gọi vốn lần đầu tiên.", "The company raised money for the first time."),
        ("Trong 6 tháng đầu năm, xuất khẩu tăng 15%.", "In the first half, exports rose 15%."),
        ("Dịch vụ 4G phủ sóng 99,8% dân số.", "4G services cover 99.8% of the population."),
        ("Lợi nhuận tăng gấp 5 lần.", "Profit rose fivefold."),
        ("Khóa XV của Quốc hội họp kỳ thứ 8.", "The 15th National Assembly held its 8th session."),
        ("Cả nước có 63 tỉnh, thành phố.", "The country has 63 provinces and cities."),  # 'tỉnh' is no 'tỉ'
        ("Hà Nội rộng hơn 3.300 km2.", "Hanoi covers more than 3,300 square kilometres."),
        ("Sau hơn 10 năm, vụ án vẫn chưa khép lại.", "After more than a decade, the case is still not closed."),
        ("Giá xăng RON95 giảm.", "The price of RON95 petrol fell."),
    ],
)
def test_equivalent_numbers_agree(vi: str, en: str) -> None:
    assert compare_numbers(vi, en) is None


@pytest.mark.parametrize(
    ("vi", "en", "detail"),
    [
        ("Giá tăng 15%.", "Prices rose 50%.", "15% in Vietnamese, 50% in English"),
        (
            "Công ty sa thải 1.200 công nhân.",
            "The company laid off 1.200 workers.",
            "1.200 in Vietnamese, 1.200 in English",
        ),
        ("Dự án cần 2,5 tỷ USD.", "The project needs 2.5 million USD.", "2,5 tỷ in Vietnamese, 2.5 million in English"),
        ("Thời gian chờ là 3 tuần.", "The wait is 3 months.", "3 (weeks) in Vietnamese, 3 (months) in English"),
        ("Khoảng 30% đơn hàng bị mất.", "Orders were lost.", "30% in Vietnamese, missing in English"),
        ("Ba người bị thương.", "Two people were injured.", "Ba in Vietnamese, Two in English"),
    ],
)
def test_changed_numbers_are_flagged_in_words(vi: str, en: str, detail: str) -> None:
    assert compare_numbers(vi, en) == detail


@pytest.mark.parametrize(
    ("text", "lang", "count"),
    [
        ("Ngân hàng không điều chỉnh lãi suất.", "vi", 1),
        ("Bệnh nhân chưa từng đi ra nước ngoài.", "vi", 1),
        ("Không khí ở các thành phố lớn ô nhiễm.", "vi", 0),  # air
        ("Không gian xanh tăng 2 mét vuông.", "vi", 0),  # space
        ("Ngành hàng không và Không quân phục hồi.", "vi", 0),  # aviation, air force
        ("Lạm phát tiến gần về số không.", "vi", 0),  # zero
        ("Anh có biết ai chịu trách nhiệm không?", "vi", 0),  # a yes/no question
        ("Bạn đã nộp hồ sơ chưa?", "vi", 0),
        ("Khảo sát không chỉ đo thu nhập mà còn đo mức hài lòng.", "vi", 0),  # not only
        ("Chưa đến 10% hộ có bảo hiểm.", "vi", 0),  # fewer than
        ("Không ít doanh nghiệp phải cắt giảm.", "vi", 0),  # quite a few
        ("Tôi không biết anh ấy ở đâu.", "vi", 1),  # 'đâu' = where
        ("Tôi đâu có nói như vậy.", "vi", 1),
        ("Anh đừng ký, chớ vội.", "vi", 2),
        ("Họ chẳng quan tâm, chả ai hỏi.", "vi", 2),
        ("The bank did not adjust rates.", "en", 1),
        ("It doesn't matter; nobody came and nothing changed.", "en", 3),
        ("Typhoon No. 3 hit the coast.", "en", 0),  # the abbreviation
        ("The survey measures not only income but also satisfaction.", "en", 0),
        ("The WHO advises against using antibiotics.", "en", 1),
    ],
)
def test_negation_words(text: str, lang: str, count: int) -> None:
    assert len(negations(text, lang)) == count


@pytest.mark.parametrize(
    ("vi", "en", "flagged"),
    [
        ("Bị cáo không thừa nhận hành vi.", "The defendant did not admit the offence.", False),
        ("Bị cáo không thừa nhận hành vi.", "The defendant admitted the offence.", True),
        ("Mọi công dân đều bình đẳng.", "All citizens are not equal.", True),
        ("Không khí lạnh tràn về.", "Cold air moved in.", False),
        ("Tòa không chấp nhận kháng cáo.", "The court rejected the appeal.", False),
        ("Cô ấy không hề biết về khoản vay.", "She knew nothing about the loan.", False),
        ("Kế hoạch không khả thi nếu thiếu vốn.", "The plan is not feasible without funding.", False),
        ("Kế hoạch không khả thi nếu thiếu vốn.", "The plan is feasible without funding.", True),
        ("Anh đừng ký khi chưa đọc kỹ.", "Do not sign before reading it carefully.", False),
    ],
)
def test_negation_flip(vi: str, en: str, flagged: bool) -> None:
    assert (compare_negation(vi, en) is not None) == flagged


@pytest.mark.parametrize(
    ("vi", "en", "missing"),
    [
        ("Ông Nguyễn Văn Bình phát biểu.", "Mr Nguyen Van Binh spoke.", None),
        ("Ông Nguyễn Văn Bình phát biểu.", "He spoke.", "Nguyễn Văn Bình"),
        ("WHO khuyến cáo tiêm phòng.", "The WHO recommends vaccination.", None),
        ("WHO khuyến cáo tiêm phòng.", "The organisation recommends vaccination.", "WHO"),
        ("Vốn FDI tăng mạnh.", "Foreign direct investment rose sharply.", None),  # spelled out
        ("Samsung mở nhà máy ở Bắc Ninh.", "A company opened a plant in Bac Ninh.", "Samsung"),
        ("Xem https://www.gso.gov.vn để biết thêm.", "See the website for more.", "https://www.gso.gov.vn"),
        ("Đà Nẵng thu hút 1,3 tỷ USD.", "Da Nang attracted 1.3 billion USD.", None),
        ("Hà Nội cấm xe máy.", "Hanoi bans motorbikes.", None),
        ("Bộ Y tế ghi nhận ca bệnh mới.", "The health ministry recorded a new case.", None),
        ("Bệnh viện Nhi Trung ương quá tải.", "The National Children's Hospital is overloaded.", None),
        ("Bệnh viện Bạch Mai quá tải.", "The hospital is overloaded.", "Bạch Mai"),
        ("Giá tại TP.HCM tăng.", "Prices in Ho Chi Minh City rose.", None),
        ("KHẨN CẤP: Việt Nam đã ký 16 FTA.", "URGENT: Vietnam has signed 16 FTAs.", None),
        ("Nhà máy thủy điện Hòa Bình phát điện.", "The hydropower plant generates power.", "Hòa Bình"),
        ("Hòa bình là mong ước của mọi người.", "Peace is everyone's wish.", None),  # the word, not the province
        ("Tổng thống Mỹ Joe Biden thăm Hà Nội.", "US President Joe Biden visited Hanoi.", None),
        ("Tổng thống Mỹ Joe Biden thăm Hà Nội.", "President Joe Biden visited Hanoi.", "Mỹ"),
        ("Ông Đức cho biết giá tăng.", "Mr Duc said prices rose.", None),  # a man, not Germany
        ("Học sinh học tiếng Anh từ lớp 3.", "Pupils learn English from grade 3.", None),
    ],
)
def test_names(vi: str, en: str, missing: str | None) -> None:
    detail = compare_names(vi, en)
    if missing is None:
        assert detail is None
    else:
        assert detail is not None and missing in detail


def test_check_pair_kinds_and_details() -> None:
    vi = "Bộ Y tế ghi nhận 1.520 ca mắc sốt xuất huyết trong tuần qua."
    assert check_pair(vi, "The Ministry of Health recorded 1,520 dengue cases in the past week.") == []
    assert check_pair(vi, "") == [Flag("empty", "no English")]
    assert check_pair("", "anything") == []
    flags = check_pair(vi, "The Ministry of Health recorded 152 dengue cases in the past week.")
    assert flags == [Flag("number", "1.520 in Vietnamese, 152 in English")]
    assert [f.kind for f in check_pair(vi, vi)] == ["untranslated"]
    looping = "The ministry recorded 1,520 cases cases cases cases of dengue in the past week."
    assert "repetition" in [f.kind for f in check_pair(vi, looping)]


def test_explain_reads_stored_kinds_old_and_new() -> None:
    vi, en = "Giá tăng 15%.", "Prices rose 50%."
    assert explain(vi, en, ["number"]) == ["number: 15% in Vietnamese, 50% in English"]
    # flags stored by earlier versions keep working, in today's words
    long_en = "Prices rose by fifty per cent in the month, the statistics office said on Monday morning."
    assert explain("Giá tăng 15% trong tháng này.", long_en, ["length_ratio"])[0].startswith("length: the English")
    assert explain(vi, en, ["source-changed"]) == [
        "source-changed: the Vietnamese sentence changed since this translation"
    ]
    assert explain(vi, en, []) == []
    assert describe(vi, en, ["number", "repeated"]) == "number: 15% in Vietnamese, 50% in English; repetition"
    assert stored_flags(vi, en) == ("number",)


def test_machine_and_human_translations_store_the_checks(data_dir: Path) -> None:
    with Library.open() as lib:
        text = "Giá xăng giảm 320 đồng mỗi lít. Chính phủ không tăng thuế. Thuế không đổi."
        doc = import_text(lib, text).document_id
        first, second, third = lib.segments(doc)
        post_edit(lib, first.id, "Petrol fell by 230 dong a litre.")  # a person's typo in a number
        post_edit(lib, second.id, "The government did not raise taxes.")
        current = lib.current_translations(doc)
        assert current[first.id].kind == "human"
        assert current[first.id].flags == ("number",)
        assert explain(first.text, current[first.id].text, current[first.id].flags) == [
            "number: 320 in Vietnamese, 230 in English"
        ]
        assert current[second.id].flags == ()
        # the stored kinds read back the same from a machine row written with them
        lib.add_translations([NewTranslation(third.id, "Taxes changed.", "machine", "m", ("negation",))])
        row = lib.current_translations(doc)[third.id]
        assert row.flags == ("negation",)
        assert (
            describe(third.text, row.text, row.flags)
            == "negation: the Vietnamese negates (không), the English does not"
        )


def test_readers_show_the_reason_in_words(data_dir: Path, tmp_path: Path, qapp) -> None:  # type: ignore[no-untyped-def]
    """The window's cell and tooltip, the report rows (HTML, DOCX, Markdown, PDF), the claims CSV/JSONL
    and the TMX all say why."""
    from PySide6.QtCore import Qt

    from app.core.claims.workflow import create_claim
    from app.core.export.options import ExportOptions
    from app.core.export.report import build_report
    from app.core.export.tabular import write_csv, write_jsonl
    from app.core.export.tmx import write_tmx
    from app.gui.models import SegmentTableModel

    with Library.open() as lib:
        doc = import_text(lib, "Giá tăng 15% trong tháng này.").document_id
        (seg,) = lib.segments(doc)
        lib.add_translations([NewTranslation(seg.id, "Prices rose 50% this month.", "machine", "m", ("number",))])
        create_claim(lib, doc, 0, len(seg.text))
        report = build_report(lib, [doc], ExportOptions())
        (row,) = report.sections[0].rows
        rows = list(csv.DictReader(write_csv(report, tmp_path / "c.csv").open(encoding="utf-8-sig", newline="")))
        assert rows[0]["checks"] == "number: 15% in Vietnamese, 50% in English"
        record = json.loads(write_jsonl(report, tmp_path / "c.jsonl").read_text(encoding="utf-8"))
        assert record["checks"] == ["number: 15% in Vietnamese, 50% in English"]
        assert row.flags == ("number: 15% in Vietnamese, 50% in English",)
        tmx = write_tmx(report, tmp_path / "out.tmx").read_text(encoding="utf-8")
        assert '<prop type="x-doichieu-flags">number</prop>' in tmx
        assert '<prop type="x-doichieu-checks">number: 15% in Vietnamese, 50% in English</prop>' in tmx
        model = SegmentTableModel(lib, doc, 1)
        model.fetch_until(0)
        tip = model.data(model.index(0, 2), Qt.ItemDataRole.ToolTipRole)
        assert "check it:\n⚠ number: 15% in Vietnamese, 50% in English" in tip
        from PySide6.QtWidgets import QStyleOptionViewItem

        from app.gui.delegates import SentenceDelegate

        cell = SentenceDelegate()._document(QStyleOptionViewItem(), model.index(0, 2), 400)
        assert "⚠" in cell.toPlainText() and "number: 15% in Vietnamese, 50% in English" in cell.toPlainText()


def test_reader_filter_shows_only_the_sentences_to_check(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from app.gui.document_view import DocumentView

    with Library.open() as lib:
        doc = import_text(lib, "Giá tăng 15%. Chính phủ không tăng thuế. Trời đẹp.").document_id
        segs = lib.segments(doc)
        post_edit(lib, segs[0].id, "Prices rose 50%.")  # flagged: number
        post_edit(lib, segs[1].id, "The government did not raise taxes.")
        post_edit(lib, segs[2].id, "The weather is fine.")
        view = DocumentView()
        qtbot.addWidget(view)
        view.show()
        view.show_document(lib, doc)
        assert view.model is not None
        view.model.fetch_until(2)
        assert view.model.flagged(0) and not view.model.flagged(1)
        view.set_filter("flagged")
        assert [view.table.isRowHidden(r) for r in range(3)] == [False, True, True]
        assert view.confidence_status.text() == "1 sentence"
        view.set_filter("all")
        assert not any(view.table.isRowHidden(r) for r in range(3))
        view.clear()
        view.close()


def test_a_pair_too_long_to_be_a_sentence_is_flagged_not_compared_word_by_word() -> None:
    """A 100,000-character 'sentence' (a paste without punctuation) made `main.py check` run for
    minutes: the number, negation and name comparisons grow with the square of the length."""
    from app.core.translate.checks import MAX_CHECKED_CHARS, check_pair

    vi = "Năm 2024 GDP tăng 5,6% theo Tổng cục Thống kê và không có lạm phát " * 2_000
    en = "In 2024 GDP grew 5.6% according to the General Statistics Office, with no inflation " * 2_000
    assert len(vi) > MAX_CHECKED_CHARS
    flags = check_pair(vi, en)
    assert [f.kind for f in flags] == ["length"]
    assert "too long to check as one sentence" in flags[0].detail
    short = check_pair("Năm 2024 GDP tăng 5,6%.", "In 2024 GDP grew 6.5%.")
    assert [f.kind for f in short] == ["number"]  # real sentences are still compared
