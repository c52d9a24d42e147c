"""Suggest sentences that probably make a checkable claim, best first.

A sentence scores by its cues (see `cues.py`): each cue has a strength, cues combine like independent
evidence (1 - Π(1 - w)), a second cue of a kind already seen counts for less, and hedges, questions,
advice, first-person asides, lead-ins ending in ":" and tiny fragments scale the score down. Pure
functions: no model, no I/O, same input -> same output."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from app.core.claims.cues import Cue, find_cues
from app.core.model import Segment

__all__ = ["DEFAULT_THRESHOLD", "Cue", "Suggestion", "find_cues", "score_sentence", "suggest", "suggestion_key"]

# Tuned on the two user samples and two bench texts (bench/claims_quality.py); see bench/README.md.
DEFAULT_THRESHOLD = 0.38
_REPEAT = 0.3  # weight factor for a second, third ... cue of the same kind
# A "sentence" longer than this is not one a reader checks as a claim: a pasted blob, a table flattened
# into one line, text without punctuation. It is not suggested (it can still be claimed by hand), and
# scoring it (cues over megabytes) would dominate an import. Real sentences in the samples and the
# bench texts stay under 500 characters.
MAX_SENTENCE_CHARS = 2000


@dataclass(frozen=True)
class Suggestion:
    segment_idx: int
    text: str
    start: int  # document offsets of the segment (Segment.start/end)
    end: int
    score: float
    cues: tuple[str, ...]  # "kind: text", in sentence order


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# --- cue strengths: how much one cue alone says "this is checkable"
_STRONG_RANK = _rx(r"\d|top|thứ|vị trí|hạng\s|số\s|No\.|number one|rank")
_WEAK_RANK = _rx(r"^(?:hàng đầu|leading|bảng xếp hạng|thứ hạng|xếp hạng)$")
_MULTIPLE = _rx(r"^(?:gấp|twice|double|triple|\d+\s+times)")
_SUPERLATIVE = _rx(r"nhất|largest|biggest|highest|lowest|most|least|fastest|strongest")
_SCOPED = _rx(r"thế giới|toàn cầu|châu|khu vực|Đông Nam Á|cả nước|từ trước|lịch sử|trong\s+\d")
_GAP = _rx(r"^(?:vượt xa|bỏ xa|rút ngắn khoảng cách|thu hẹp khoảng cách|bám đuổi)$")
_OVERTAKE = _rx(r"^(?:vượt|outstrip\w*|outpac\w*|surpass\w*|overtak\w*|exceed\w*)$")
_VAGUE_CMP = _rx(r"^(?:vượt trội)$")
_BARE_CMP = _rx(r"^(?:hơn|kém|thua|than)$")
_NAMED_SOURCE = _rx(r"^theo\s+\S|của|do\s|\(|Index|Report|Rankings?|Survey|Outlook|according")
_REPORT_VERB = _rx(
    r"^(?:cho thấy|cho biết|công bố|chỉ ra|ghi nhận|ước tính|dự báo|thông báo|tuyên bố|khẳng định|"
    r"đưa tin|trích dẫn)$|shows?|showed|finds?|found|reveals?|revealed|suggests?|announced|reported|"
    r"estimated|said|says"
)
_OPINION_VERB = _rx(r"^(?:cho rằng|nhận định|nhận xét)$")
_NUMBER_WORD = _rx(r"^(?:hàng|một|hai|ba|millions|billions|thousands|hundreds|half)\b")
_SCALE_OR_UNIT = _rx(r"chục|trăm|nghìn|ngàn|vạn|triệu|tỷ|tỉ|thousand|million|billion|USD|VND|EUR|đồng|\$|€|[-–]")
_AGENCY = _rx(
    r"^(?:Reuters|AFP|Bloomberg|BBC|CNN|Xinhua|Tân Hoa xã|VnExpress|Tuổi Trẻ|Thanh Niên|TTXVN|VTV|"
    r"GLOBE NEWSWIRE|Financial Times|New York Times|Wall Street Journal|Nikkei|Forbes|The Guardian|"
    r"Associated Press)$"
)


def cue_weight(cue: Cue) -> float:
    """Strength of one cue in [0, 1]."""
    t = cue.text
    match cue.kind:
        case "percent":
            return 0.6 if re.search(r"\d", t) else 0.3
        case "number":
            if _NUMBER_WORD.match(t):
                return 0.45
            digits = re.sub(r"\D", "", t)
            # "1 topic", "cả 3" are weaker than "40 mô hình" or "299,63 tỷ USD".
            return 0.5 if len(digits) >= 2 or _SCALE_OR_UNIT.search(t) else 0.35
        case "date":
            return 0.35
        case "year":
            return 0.2
        case "ranking":
            if _WEAK_RANK.match(t):
                return 0.15
            return 0.55 if _STRONG_RANK.search(t) else 0.3
        case "comparison":
            if _MULTIPLE.match(t):
                return 0.5
            if _SUPERLATIVE.search(t):
                return 0.45 if _SCOPED.search(t) else 0.4
            if _GAP.match(t):
                return 0.3
            if _OVERTAKE.match(t):
                return 0.25
            if _VAGUE_CMP.match(t):
                return 0.05
            return 0.1 if _BARE_CMP.match(t) else 0.15
        case "attribution":
            if t[:1] in '“"':
                return 0.1
            if _AGENCY.match(t) or _NAMED_SOURCE.search(t):
                return 0.45
            if _OPINION_VERB.match(t):
                return 0.1
            return 0.35 if _REPORT_VERB.search(t) else 0.25
        case "organisation":
            return 0.15
    return 0.0


# --- sentence-level modifiers
_HEDGE = _rx(
    r"\b(?:theo\s+(?:tôi|mình|tớ|ý\s+(?:kiến\s+)?(?:của\s+)?(?:tôi|mình))|(?:tôi|mình|tớ)\s+(?:nghĩ|thấy|nhìn nhận|"
    r"cho rằng|đoán|tin)|cá nhân\s+(?:tôi|mình)|có lẽ|chắc(?!\s+chắn)|hình như|nghe nói|nghe đồn|e rằng|dường như|"
    r"I\s+(?:think|believe|guess|feel)|in my (?:opinion|view)|maybe|perhaps|probably)\b"
)
_EVALUATIVE = _rx(r"\b(?:đáng mừng|đáng lo(?: ngại)?|đáng tiếc|đáng buồn|tin vui|tin buồn|tuyệt vời|tự hào)\b")
_ADVICE = _rx(r"\b(?:nên|hãy|đừng|cần phải|khuyến cáo|should|must)\b")
_FIRST_PERSON = _rx(r"\b(?:tôi|mình|tớ|tui)\b(?!\s+(?:nghĩ|thấy))")
_CHATTY = _rx(r"\b(?:haha|hihi|hehe|các bác|bác ơi)\b|:\)+")
_QUESTION = _rx(r"\?\s*[\"”')\]]*\s*$|\b(?:phải không|đúng không|hay không|có ai)\b")
# A measurable basis turns a bare "leads" / "hơn" into something one can check.
_MEASURABLE = _rx(
    r"\b(?:số lượng|số ca|số người|bằng sáng chế|patents?|doanh thu|doanh số|lợi nhuận|GDP|dân số|kim ngạch|"
    r"xuất khẩu|nhập khẩu|tỷ lệ|tỉ lệ|sản lượng|thị phần|huy chương|điểm|vốn|giá|lương|thu nhập|nền kinh tế|"
    r"revenue|sales|market share|population)\b"
)
_WORDS = re.compile(r"\w+")


def _combine(cues: Sequence[Cue]) -> float:
    miss = 1.0
    seen: set[str] = set()
    for cue in sorted(cues, key=cue_weight, reverse=True):
        w = cue_weight(cue) * (_REPEAT if cue.kind in seen else 1.0)
        seen.add(cue.kind)
        miss *= 1.0 - w
    return 1.0 - miss


def _factor(text: str, cues: Sequence[Cue]) -> float:
    f = 1.0
    if _QUESTION.search(text):
        f *= 0.4
    if _HEDGE.search(text):
        f *= 0.5
    if _EVALUATIVE.search(text):
        f *= 0.6
    if _ADVICE.search(text):
        f *= 0.7
    if _FIRST_PERSON.search(text) or _CHATTY.search(text):
        f *= 0.75
    if text.rstrip().endswith(":"):
        f *= 0.6  # a lead-in: the claim is in what follows
    if len(_WORDS.findall(text)) < 3:
        f *= 0.6
    if any(c.kind in {"ranking", "comparison"} for c in cues) and _MEASURABLE.search(text):
        f *= 1.25
    return f


def score_sentence(text: str, cues: Sequence[Cue]) -> float:
    """How likely `text` makes a checkable claim, in [0, 1]; `cues` are `find_cues(text)`."""
    if not cues:
        return 0.0
    return round(min(1.0, _combine(cues) * _factor(text, cues)), 4)


def suggest(
    segments: Sequence[Segment], *, threshold: float = DEFAULT_THRESHOLD, limit: int | None = None
) -> list[Suggestion]:
    """Segments scoring at least `threshold`, best first (ties in document order), at most `limit`.
    Segments over MAX_SENTENCE_CHARS characters are left out."""
    found: list[Suggestion] = []
    for seg in segments:
        if len(seg.text) > MAX_SENTENCE_CHARS:
            continue
        cues = find_cues(seg.text)
        score = score_sentence(seg.text, cues)
        if cues and score >= threshold:
            described = tuple(f"{c.kind}: {c.text}" for c in cues)
            found.append(Suggestion(seg.idx, seg.text, seg.start, seg.end, score, described))
    found.sort(key=lambda s: (-s.score, s.segment_idx))
    return found if limit is None else found[:limit]


_EDGE = " \t\n-–—•*\"'“”‘’.,;:!?…()[]"


def suggestion_key(text: str) -> str:
    """Stable id of a sentence for "dismissed" lists: sha1 of its text with case, Unicode form, runs of
    whitespace and edge punctuation normalised, so re-segmentation or re-cleaning still finds it."""
    norm = " ".join(unicodedata.normalize("NFC", text).casefold().split()).strip(_EDGE)
    return hashlib.sha1(norm.encode("utf-8")).hexdigest()
