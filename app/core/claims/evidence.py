"""The evidence link policy, one definition for the claim dialog, the command line and every report.

Only a plain http(s) link to a host becomes a link anywhere (stored as `url`, shown as a link in a
report). A bare "www.host/…" is taken as https. Anything else typed as a link (javascript:, data:,
file:, a citation pasted in the wrong field) is kept, but as citation text, never as a link.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class EvidenceRef:
    url: str  # "" or a linkable http(s) URL
    citation: str  # free text; whatever was typed as a link but is not one ends up here


def is_linkable(url: str) -> bool:
    """True for a plain http(s) URL to a host, with no whitespace; javascript:, data:, file: ... are not."""
    if not url or url != url.strip() or any(c.isspace() for c in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in {"http", "https"} and bool(parts.hostname)


def safe_url(url: str) -> str:
    """The URL if it is linkable (see `is_linkable`), else ""."""
    url = url.strip()
    return url if is_linkable(url) else ""


def _as_link(text: str) -> str:
    text = text.strip()
    if is_linkable(text):
        return text
    if text.lower().startswith("www.") and is_linkable("https://" + text):
        return "https://" + text
    return ""


def normalize_evidence(link: str, citation: str = "") -> EvidenceRef:
    """What is stored for evidence typed as `link` (the dialog's Link field, or the command line's
    URL_OR_CITATION) and `citation`: the link if it is one, otherwise its text joins the citation."""
    link, citation = link.strip(), citation.strip()
    url = _as_link(link)
    if url or not link:
        return EvidenceRef(url=url, citation=citation)
    return EvidenceRef(url="", citation=" ".join(x for x in (link, citation) if x))
