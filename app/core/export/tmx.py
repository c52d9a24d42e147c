"""Translation memory exchange (TMX 1.4b): one <tu> per translated sentence pair, vi -> en.

Human edits carry <prop type="x-doichieu-kind">human</prop> and changeid="doichieu-user"; machine
output names its model. <prop type="x-doichieu-review"> tells machine output nobody reviewed
("machine") from machine output the user accepted unchanged ("reviewed") and edits ("edited").
Sentences that were English in the source ("copy") are skipped: they are
not translations. Characters XML 1.0 forbids (control codes from broken PDFs, lone surrogates) are
replaced by U+FFFD (`encode.visible`), so the file stays well-formed and the gap stays visible."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from app.core.export.encode import visible
from app.core.export.report import Report
from app.core.safe_write import write_text

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def xml_text(text: str) -> str:
    """Text fit for XML 1.0: forbidden characters replaced visibly (ElementTree escapes & < > and quotes)."""
    return visible(text)


def build_tmx(report: Report, version: str = "0.1.0") -> ET.Element:
    root = ET.Element("tmx", version="1.4")
    ET.SubElement(
        root,
        "header",
        creationtool="DoiChieu",
        creationtoolversion=version,
        segtype="sentence",
        attrib={"o-tmf": "DoiChieu", "adminlang": "en", "srclang": "vi", "datatype": "plaintext"},
    )
    body = ET.SubElement(root, "body")
    for section in report.sections:
        for row in section.rows:
            if not row.en_text or row.kind == "copy":
                continue
            tu = ET.SubElement(body, "tu", tuid=xml_text(f"{section.document_id}-{row.number}"))
            if row.edited:
                tu.set("changeid", "doichieu-user")
            props = [
                ("x-doichieu-document", section.title),
                ("x-doichieu-sentence", str(row.number)),
                ("x-doichieu-kind", "human" if row.edited else row.kind),
                ("x-doichieu-review", row.review),  # machine (not reviewed) | reviewed | edited
            ]
            if row.model and not row.edited:
                props.append(("x-doichieu-model", row.model))
            if row.flags:
                props.append(("x-doichieu-flags", " ".join(f.split(":", 1)[0] for f in row.flags)))
                props.append(("x-doichieu-checks", "; ".join(row.flags)))  # the reasons in words
            if row.ocr:  # the Vietnamese was read by OCR with low confidence (issue 17)
                props.append(("x-doichieu-ocr", row.ocr))
            for kind, value in props:
                ET.SubElement(tu, "prop", type=kind).text = xml_text(value)
            for lang, text in (("vi", row.vi_text), ("en", row.en_text)):
                tuv = ET.SubElement(tu, "tuv", {XML_LANG: lang})
                ET.SubElement(tuv, "seg").text = xml_text(text)
    return root


def write_tmx(report: Report, out: Path) -> Path:
    from importlib.metadata import PackageNotFoundError, version

    try:
        tool_version = version("doichieu")
    except PackageNotFoundError:
        tool_version = "0.1.0"
    root = build_tmx(report, tool_version)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return write_text(
        out,
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n' + body + "\n",
        encoding="utf-8",
    )
