"""The two real inputs from our users come out as a careful human would split them."""

from __future__ import annotations

import json
from pathlib import Path

from app.core.pipeline import clean_file


def _expected(fixtures: Path, name: str) -> list[dict]:
    return json.loads((fixtures / f"{name}.expected.json").read_text(encoding="utf-8"))


def test_sample_paragraphs_exact(fixtures: Path, sample_name: str) -> None:
    result = clean_file(fixtures / f"{sample_name}.vi.txt")
    got = [{"text": p.text, "kind": p.kind, "lang": p.lang} for p in result.paragraphs]
    assert got == _expected(fixtures, sample_name)
    assert result.encoding == "utf-8"


def test_pdf_copy_has_ten_paragraphs_one_per_item(fixtures: Path) -> None:
    paras = clean_file(fixtures / "pdf_copy_supercomputers.vi.txt").paragraphs
    assert len(paras) == 10
    items = [p.text for p in paras if p.kind == "list_item"]
    assert [t.split(".")[0] for t in items] == [str(i) for i in range(1, 8)]
    # The paragraph torn by the page break is whole again.
    assert "Huawei, SenseTime, iFlytek, Megvil..." in paras[8].text
    assert paras[1].text.endswith("vì một số lý do sau:")


def test_pdf_copy_repairs_listed(fixtures: Path) -> None:
    result = clean_file(fixtures / "pdf_copy_supercomputers.vi.txt")
    kinds = [r.kind for r in result.repairs]
    assert kinds.count("join_page_break") == 1
    assert kinds.count("join_lines") > 20


def test_forum_post_english_previews_and_bullet(fixtures: Path) -> None:
    paras = clean_file(fixtures / "forum_post_ai_race.vi.txt").paragraphs
    by_text = {p.text: p for p in paras}
    domain = by_text["www.rdworldonline.com"]
    assert (domain.kind, domain.lang) == ("source", "en")
    preview = by_text[
        "U.S. and Asian markets dominate AI patents, while Germany rounds out the top five"
        " and leads the European market."
    ]
    assert preview.lang == "en"
    assert by_text["natlawreview.com"].lang == "en"
    bullet = by_text["- EU: chỉ 3, và cả 3 đều là Pháp."]
    assert bullet.kind == "list_item" and bullet.lang == "vi"
    assert "-" not in by_text  # the torn bullet is not left alone
    assert sum(p.lang == "en" for p in paras) == 5
    assert all(p.lang == "vi" for p in paras if p.kind == "list_item")
