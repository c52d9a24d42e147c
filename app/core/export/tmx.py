"""Translation memory exchange (TMX 1.4b): one <tu> per translated sentence pair, vi -> en.

Human edits carry <prop type="x-doichieu-kind">human</prop> and changeid="doichieu-user"; machine
output names its model. Sentences that were English in the source ("copy") are skipped: they are
not translations. Characters XML 1.0 forbids (control codes from broken PDFs) are dropped."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from app.core.export.report import Report

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_INVALID_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    return _INVALID_XML.sub("", text)


def build_tmx(report: Report, version: str = "0.1.0") -> ET.Element:
    root = ET.Element("tmx", version="1.4")
    ET.SubElement(
        root,
        "header",
        creationtool="DoiChieu",
        creationtoolversion=version,
        segtype="sentence",
        **{"o-tmf": "DoiChieu", "adminlang": "en", "srclang": "vi", "datatype": "plaintext"},
    )
    body = ET.SubElement(root, "body")
    for section in report.sections:
        for row in section.rows:
            if not row.en_text or row.kind == "copy":
                continue
            tu = ET.SubElement(body, "tu", tuid=f"{section.document_id}-{row.number}")
            if row.edited:
                tu.set("changeid", "doichieu-user")
            props = [
                ("x-doichieu-document", section.title),
                ("x-doichieu-sentence", str(row.number)),
                ("x-doichieu-kind", "human" if row.edited else row.kind),
            ]
            if row.model and not row.edited:
                props.append(("x-doichieu-model", row.model))
            if row.flags:
                props.append(("x-doichieu-flags", " ".join(row.flags)))
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
    out.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n' + body + "\n", encoding="utf-8"
    )
    return out
