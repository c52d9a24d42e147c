"""Properties of text layout repair: nothing is lost, and a second pass changes nothing."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.layout import render_paragraphs
from app.core.layout.text import repair_text

FIXTURES = Path(__file__).parent / "fixtures"
WORDS = sorted(
    {
        w
        for name in ("pdf_copy_supercomputers", "forum_post_ai_race")
        for w in (FIXTURES / f"{name}.vi.txt").read_text(encoding="utf-8").split()
    }
)
SEPARATORS = st.sampled_from([" ", " ", " ", " ", "\n", " \n", "  \n", "\n\n", " \n\n", "\n \n", "\n\n\n\n", "\n\f"])


@st.composite
def pasted_text(draw: st.DrawFn) -> str:
    """Real words from the samples joined by the line breaks and spaces users' pastes contain."""
    words = draw(
        st.lists(
            st.sampled_from(WORDS) | st.sampled_from(["-", "1.", "•", "algo-", "www.vnexpress.net"]),
            min_size=1,
            max_size=120,
        )
    )
    seps = draw(st.lists(SEPARATORS, min_size=len(words), max_size=len(words)))
    return "".join(w + s for w, s in zip(words, seps, strict=True))


def _non_space(text: str) -> str:
    return "".join(text.split())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pasted_text())
def test_repair_never_loses_or_alters_a_character(raw: str) -> None:
    paragraphs, repairs = repair_text(raw)
    out = _non_space("".join(p.text for p in paragraphs))
    removed = _non_space("".join(r.removed for r in repairs))
    source = _non_space(raw)
    # Every removed character is listed in a repair, and what is kept keeps its order.
    assert sorted(out + removed) == sorted(source)
    it = iter(source)
    assert all(ch in it for ch in out)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pasted_text())
def test_repair_is_idempotent_on_its_own_output(raw: str) -> None:
    first, _ = repair_text(raw)
    second, second_repairs = repair_text(render_paragraphs(first))
    assert [p.text for p in second] == [p.text for p in first]
    assert [r for r in second_repairs if r.kind != "join_lines"] == []


def test_samples_are_fixed_points(fixtures: Path, sample_name: str) -> None:
    first, _ = repair_text((fixtures / f"{sample_name}.vi.txt").read_text(encoding="utf-8"))
    again, _ = repair_text(render_paragraphs(first))
    assert again == first
