"""Surface cues that a sentence makes a checkable claim: numbers, percentages, dates, rankings,
comparisons, attributions and named organisations, in Vietnamese and English.

Plain regular expressions, no model: underthesea's bundled CRF `ner` runs offline but tags WIPO and
LHQ as persons and commas as locations, and costs ~30 ms a sentence, so it adds noise, not signal.
Vietnamese and English patterns both run on every sentence: forum posts mix the languages."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

# Vietnamese capitals, for "a capitalised word" (re has no Unicode \p{Lu}).
UP = "A-ZÀÁẠẢÃÂẦẤẬẨẪĂẰẮẶẲẴÈÉẸẺẼÊỀẾỆỂỄÌÍỊỈĨÒÓỌỎÕÔỒỐỘỔỖƠỜỚỢỞỠÙÚỤỦŨƯỪỨỰỬỮỲÝỴỶỸĐ"
CAP = rf"[{UP}][\w&-]*"

# At most eight groups ("1.000.000.000.000,5" has five): a number may start after any "." or ",", and an
# unbounded chain was rescanned from each of them (20 KB of "1.2,1.2,…" took 30 s).
_D = r"\d+(?:[.,]\d+){0,7}"
# Not glued to a word ("Evo200", "GPT-3", "IP67") and not followed by a capital ("5G", "3D").
_NUM = rf"(?<![\w])(?<!\w-){_D}(?:\s?[-–]\s?{_D})?(?!\d)(?![A-Z])"
_SCALE = r"(?:\s+(?:chục|trăm|nghìn|ngàn|vạn|triệu|tỷ|tỉ|thousand|million|billion|trillion))"
_CURRENCY = r"(?:\s*(?:USD|VND|EUR|đồng|đô|usd|\$|€))"
_VN_ORD = r"(?:nhất|nhì|hai|ba|tư|năm|sáu|bảy|tám|chín|mười)"
_EN_ORD = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|twenty|\d+)"
_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_YEAR = r"(?:19|20)\d{2}"
_SUPERLATIVE_ADJ = (
    r"(?:lớn|cao|nhiều|thấp|mạnh|yếu|nhanh|chậm|đông|giàu|nghèo|tốt|xấu|kém|rộng|dài|ngắn|sâu|đắt|rẻ|"
    r"nặng nề|nặng|nhẹ|phổ biến|hiện đại|tiên tiến|lâu|sớm|muộn|trẻ|già|nóng|lạnh|hiệu quả|thành công)"
)
_SCOPE = (
    r"(?:\s+(?:trên\s+|của\s+|ở\s+|tại\s+)?(?:thế giới|toàn cầu|châu Á|châu Âu|khu vực|Đông Nam Á|cả nước|"
    r"từ trước đến nay|lịch sử|trong\s+\d+\s+năm))"
)
_SOURCE_NOUN = r"(?i:báo cáo|số liệu|thống kê|nghiên cứu|khảo sát|dữ liệu|thông số|phân tích|bảng xếp hạng|ước tính)"
_AGENCIES = (
    r"Reuters|AFP|Bloomberg|BBC|CNN|Xinhua|Tân Hoa xã|VnExpress|Tuổi Trẻ|Thanh Niên|TTXVN|VTV|GLOBE NEWSWIRE|"
    r"Financial Times|New York Times|Wall Street Journal|Nikkei|Forbes|The Guardian|Associated Press"
)
# Acronyms that name things other than organisations, and country short forms.
_NOT_ORG_WORDS = (
    "AI LLM LLMS GPU CPU GDP GNP CPI FDI ODA USD VND EUR PDF URL API CEO CFO CTO HTML RAM SSD LFP NMC USB GPS ATM "
    "VAT IPO KPI ROI LNG EV IT OK TV VN US USA UK TQ HK TP HCM TPHCM THPT GENAI RL ML NLP IOT AR VR CNTT R&D DNA "
    "RNA PCR HIV COVID SARS IQ PR PV MC BTV SMS NXB"
)
_NOT_ORG = frozenset(_NOT_ORG_WORDS.split())
_KNOWN_ORGS = (
    r"WIPO|CSET|LHQ|UN|EU|WHO|IMF|WB|OECD|WTO|ASEAN|UNESCO|UNICEF|FIFA|IOC|NASA|FAO|ILO|ADB|IEA|"
    r"Stanford AI Index|Stanford|Georgetown|Harvard|Oxford|Cambridge|Liên [Hh]ợp [Qq]uốc|Chính phủ|Quốc hội"
)
_ORG_PREFIX = (
    r"(?:Tổ chức|Bộ|Viện|Ngân hàng|Quỹ|Tổng cục|Cục|Sở|Ủy ban|Uỷ ban|Đại học|Trường|Bệnh viện|Công ty|"
    r"Tập đoàn|Hiệp hội|Liên đoàn|Hội đồng|Trung tâm|Văn phòng)"
)


@dataclass(frozen=True)
class Cue:
    """A phrase hinting at checkable content; `text == sentence[start:end]`."""

    kind: str
    start: int
    end: int
    text: str


def _p(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(pattern, flags)


_I = re.IGNORECASE
# (kind, pattern). Order matters only for readability; overlaps are resolved in `find_cues`.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # --- quantities
    ("percent", _p(rf"{_NUM}\s?(?:%|phần trăm|percent|per cent)|\bphần trăm\b|\bpercent(?:age)?\b", _I)),
    ("date", _p(rf"\b{_MONTHS}\.?\s+\d{{1,2}}(?:,\s*{_YEAR})?\b|\b\d{{1,2}}\s+{_MONTHS}\s+{_YEAR}\b")),
    ("date", _p(rf"\b{_MONTHS}\s+{_YEAR}\b")),
    ("date", _p(rf"(?:\bngày\s+)?(?<![\w/])\d{{1,2}}/\d{{1,2}}(?:/(?:{_YEAR}|\d{{2}}))?(?![\w/])", _I)),
    ("date", _p(rf"\btháng\s+(?:\d{{1,2}}|{_VN_ORD}|mười một|mười hai)(?:\s*/\s*{_YEAR}|\s+năm\s+{_YEAR})?\b", _I)),
    ("date", _p(rf"\bquý\s+(?:I{{1,3}}|IV|[1-4])(?:\s*/\s*{_YEAR}|\s+năm\s+{_YEAR})?\b", _I)),
    ("year", _p(rf"(?:\bnăm\s+)?(?<![\w.,/-]){_YEAR}(?:\s?[-–]\s?{_YEAR})?(?![\w.,/-]\d|\d|%)", _I)),
    ("number", _p(rf"{_NUM}{_SCALE}?{_CURRENCY}?")),
    (
        "number",
        _p(
            r"\bhàng\s+(?:chục|trăm|nghìn|ngàn|vạn|triệu|tỷ|tỉ)\b"
            r"|\b(?:một|hai|ba)\s+(?:nửa|phần\s+(?:ba|tư|năm|mười))\b"
            r"|\b(?:millions|billions|thousands|hundreds)\s+of\b|\bhalf\s+of\b",
            _I,
        ),
    ),
    # --- rankings
    (
        "ranking",
        _p(
            rf"\b(?:xếp|đứng|giữ|vươn lên|lên|tụt|xuống)?\s*(?:ở\s+)?(?:vị trí|hạng|thứ)\s+(?:thứ\s+)?(?:số\s+)?"
            rf"(?:\d+(?:\s?[-–]\s?\d+)?|{_VN_ORD})\b",
            _I,
        ),
    ),
    ("ranking", _p(r"\bxếp hạng\s+\d+(?:\s?[-–]\s?\d+)?|\bsố\s+(?:1|một)\b|\b(?:lọt\s+)?top\s*\d+\b", _I)),
    (
        "ranking",
        _p(
            rf"\btop\s+{_EN_ORD}\b|\bNo\.\s?\d+\b|\bnumber one\b"
            r"|\branks?(?:ed)?\s+(?:first|second|third|\d+)",
            _I,
        ),
    ),
    ("ranking", _p(r"\b(?:dẫn đầu|đứng đầu|hàng đầu|quán quân|vô địch|kỷ lục|bảng xếp hạng|thứ hạng|xếp hạng)\b", _I)),
    ("ranking", _p(r"\b(?:leads?|leading|dominat(?:es?|ed|ing)|tops|record)\b", _I)),
    # --- comparisons
    ("comparison", _p(r"\bgấp\s+(?:đôi|rưỡi|ba|bốn|năm|mười|(?:\S+\s+){0,3}?lần)", _I)),
    ("comparison", _p(rf"\b{_SUPERLATIVE_ADJ}\s+nhất\b{_SCOPE}?", _I)),
    (
        "comparison",
        _p(
            r"\bnhiều\s+\S+\s+nhất\b"
            r"|\bnhất\s+(?:thế giới|toàn cầu|khu vực|Đông Nam Á|châu Á|cả nước)\b",
            _I,
        ),
    ),
    (
        "comparison",
        _p(
            r"\b(?:vượt xa|vượt trội|bỏ xa|vượt|rút ngắn khoảng cách|thu hẹp khoảng cách|bám đuổi|"
            r"so với|(?:cao|thấp|nhiều|ít|lớn|nhỏ)\s+hơn|hơn|kém|thua)\b",
            _I,
        ),
    ),
    (
        "comparison",
        _p(
            r"\b(?:twice|double|triple|\d+\s+times|(?:more|less|fewer)\s+than|than|largest|biggest|"
            r"highest|lowest|most|least|fastest|strongest|"
            r"outstrip\w*|outpac\w*|surpass\w*|overtak\w*|exceed\w*)\b",
            _I,
        ),
    ),
    # --- attributions
    (
        "attribution",
        _p(
            rf"\b[Tt]heo\s+(?!tôi\b|mình\b|em\b|tớ\b|tui\b|ý\b|dõi\b|đuổi\b|kịp\b|sau\b|đó\b|như\b)"
            rf"(?:{CAP}|{_SOURCE_NOUN}|thông tin|tin|báo|nguồn|kết quả|công bố|ông|bà|bác sĩ|chuyên gia)"
            r"(?:\s+[^\s,.;:!?()]+){0,5}"
        ),
    ),
    # "Báo cáo 2024 của WIPO", "phân tích của CSET"; not "bài nghiên cứu AI của TQ" (papers by, not a source).
    (
        "attribution",
        _p(
            rf"\b{_SOURCE_NOUN}(?:\s+(?:năm\s+)?{_YEAR}|\s+mới(?:\s+nhất)?|\s+thường niên)?"
            rf"\s+(?:của|do)\s+{CAP}(?:\s+{CAP})*"
        ),
    ),
    (
        "attribution",
        _p(
            r"\b(?:một|các|bản|những)\s+(?:báo cáo|nghiên cứu|khảo sát|phân tích|thống kê)\b"
            r"|\b(?:báo cáo|khảo sát|thống kê|số liệu)\b",
            _I,
        ),
    ),
    (
        "attribution",
        _p(
            r"\b(?:cho thấy|cho biết|công bố|chỉ ra|ghi nhận|ước tính|dự báo|thông báo|tuyên bố|khẳng định|"
            r"đưa tin|trích dẫn|cho rằng|nhận định|nhận xét)\b",
            _I,
        ),
    ),
    ("attribution", _p(rf"(?<![\w-])(?:{_AGENCIES})(?![\w-])")),
    (
        "attribution",
        _p(
            rf"\([A-Z]{{2,6}}\)\s*{_YEAR}\b|\b{CAP}(?:\s+{CAP}){{0,9}}\s+(?:Index|Report|Rankings?|Survey|Outlook)"
            rf"\s+{_YEAR}\b"
        ),
    ),
    (
        "attribution",
        _p(
            r"\baccording to\b|\b(?:report|study|survey|data|analysis|figures|research)\s+"
            r"(?:shows?|showed|finds?|found|reveals?|revealed|suggests?|says?|said)\b"
            r"|\b(?:said|says|announced|reported|estimated)\b",
            _I,
        ),
    ),
    # --- organisations
    ("organisation", _p(rf"(?<![\w-])(?:{_KNOWN_ORGS})(?![\w-])")),
    ("organisation", _p(rf"\b{_ORG_PREFIX}(?:\s+{CAP}(?:\s+(?!cho\b|đã\b|vẫn\b|là\b|có\b|trong\b)[a-zđà-ỹ]+)?)+")),
    ("organisation", _p(r"(?<![\w-])[A-Z][A-Z&]{2,4}(?![\w-])")),
)

_LIST_MARKER = re.compile(r"^\s*(?:[-•*]\s*)?(?:\d{1,3}|[IVXivx]{1,4})[.)](?=\s)")
_WORD = re.compile(r"[^\W\d_]+")

# Cue kinds whose numbers are already described by a longer cue ("xếp thứ 10" is not also "number: 10").
_NUMERIC = frozenset({"number", "year"})
_SWALLOWS = frozenset({"percent", "date", "ranking", "comparison", "year"})


def _shouting(text: str) -> list[tuple[int, int]]:
    """Spans of 3+ consecutive all-caps words (a heading like "THỐNG TRỊ VỀ SIÊU MÁY TÍNH"): no acronyms there."""
    runs: list[tuple[int, int]] = []
    run: list[re.Match[str]] = []
    for m in [*_WORD.finditer(text), None]:
        if m is not None and len(m.group()) >= 2 and m.group().isupper():
            run.append(m)
            continue
        if len(run) >= 3:
            runs.append((run[0].start(), run[-1].end()))
        run = []
    return runs


def _valid(kind: str, text: str, m: re.Match[str], shouting: list[tuple[int, int]]) -> bool:
    s = m.group()
    if kind == "organisation" and re.fullmatch(r"[A-Z][A-Z&]{2,4}", s):
        return s not in _NOT_ORG and not any(a <= m.start() < b for a, b in shouting)
    dm = re.match(r"(?:ngày\s+)?(\d{1,2})/(\d{1,2})", s, re.IGNORECASE) if kind == "date" else None
    if dm:  # "42/42" is a score, not a date
        return 1 <= int(dm[1]) <= 31 and 1 <= int(dm[2]) <= 12
    if kind == "number":
        marker = _LIST_MARKER.match(text)
        return not (marker and m.start() < marker.end())
    return True


def _quotes(text: str) -> Iterator[Cue]:
    """Quoted words as weak attributions; a quote that is the whole sentence, or a one- or two-word scare
    quote ("song mã"), attributes nothing."""
    # `whole`: only " -–" before the quote and only " .,;:!?" after it (found once, not per quote).
    head = len(text) - len(text.lstrip(" -–"))
    tail = len(text.rstrip(" .,;:!?"))
    for start, end in _quote_spans(text):
        inner = text[start + 1 : end - 1]
        whole = start <= head and end >= tail
        if len(inner.split()) >= 3 and not whole:
            yield Cue("attribution", start, end, text[start:end])


_CLOSING = {"“": "”", '"': '"'}
_OPENING = re.compile('[“"]')


def _quote_spans(text: str) -> Iterator[tuple[int, int]]:
    """The matches of `“([^”]+)”|"([^"]+)"`, found in linear time: the regex rescanned to the end of
    the text from every opening mark that is never closed."""
    unclosed: set[str] = set()  # closing marks that do not occur after the current position
    pos = 0
    while (m := _OPENING.search(text, pos)) is not None:
        start = m.start()
        close = _CLOSING[m.group()]
        end = -1 if close in unclosed else text.find(close, start + 1)
        if end < 0:
            unclosed.add(close)
        elif end > start + 1:  # at least one character inside
            yield start, end + 1
            pos = end + 1
            continue
        pos = start + 1


def _raw(text: str) -> Iterator[Cue]:
    shouting = _shouting(text)
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            start, end = m.span()
            # Patterns with optional leading words may match leading spaces; cues hold words only.
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if start < end and _valid(kind, text, m, shouting):
                yield Cue(kind, start, end, text[start:end])
    yield from _quotes(text)


def find_cues(text: str) -> list[Cue]:
    """All cues in `text`, in order of position. A cue inside a longer one of its kind is dropped (the sort
    puts the longer first), and a number or year inside a percentage, date, ranking or comparison is left to
    that cue ("xếp thứ 10" is not also "number: 10")."""
    cues = sorted(set(_raw(text)), key=lambda c: (c.start, -(c.end - c.start), c.kind))
    # Containment checks by running maxima instead of comparing every pair (thousands of numbers in one
    # long "sentence" made that quadratic). All cues sorted by start: a cue is inside an earlier-starting
    # one iff the furthest end among those reaches its end.
    starts = [c.start for c in cues]
    swallow_end: dict[str, list[int]] = {kind: [] for kind in _NUMERIC}  # prefix max end of swallowing cues
    best = {kind: -1 for kind in _NUMERIC}
    for c in cues:
        for kind in _NUMERIC:
            if c.kind in _SWALLOWS and c.kind != kind:
                best[kind] = max(best[kind], c.end)
            swallow_end[kind].append(best[kind])
    kept: list[Cue] = []
    kept_end: dict[str, int] = {}  # furthest end of a kept cue of each kind (all start at or before)
    for cue in cues:
        if kept_end.get(cue.kind, -1) >= cue.end:
            continue
        if cue.kind in _NUMERIC:
            # every cue starting at or before this one, ties included
            upto = bisect.bisect_right(starts, cue.start)
            if swallow_end[cue.kind][upto - 1] >= cue.end:
                continue
        kept.append(cue)
        kept_end[cue.kind] = max(kept_end.get(cue.kind, -1), cue.end)
    return kept
