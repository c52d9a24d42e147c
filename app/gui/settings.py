"""Every GUI setting declared once, with its type and default, stored with QSettings.

The settings file lives in the data folder (not the OS registry), so `DOICHIEU_DATA_DIR` gives tests
and portable installs their own settings too."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from app.core import paths


@dataclass(frozen=True)
class Setting:
    key: str
    type: type
    default: Any


WINDOW_GEOMETRY = Setting("window/geometry", QByteArray, QByteArray())
MAIN_SPLITTER = Setting("window/main_splitter", QByteArray, QByteArray())
DOC_SPLITTER = Setting("window/document_splitter", QByteArray, QByteArray())
LAST_DOCUMENT = Setting("library/last_document", int, 0)
SAMPLES_OFFERED = Setting("library/samples_offered", bool, False)
LAST_IMPORT_DIR = Setting("import/last_dir", str, "")
BEAM_SIZE = Setting("translate/beam_size", int, 1)
PAGE_IMAGE = Setting("reader/page_image", bool, False)  # View › Show page image (issue 17)
PAGE_ZOOM = Setting("reader/page_zoom", str, "page")  # its zoom: page | width | actual


def store() -> QSettings:
    return QSettings(str(paths.data_dir() / "settings.ini"), QSettings.Format.IniFormat)


def get(setting: Setting) -> Any:
    value = store().value(setting.key, setting.default)
    if value is None:
        return setting.default
    if setting.type is bool and isinstance(value, str):  # INI files keep booleans as text
        return value.lower() == "true"
    try:
        return setting.type(value)
    except (TypeError, ValueError):
        return setting.default


def put(setting: Setting, value: Any) -> None:
    s = store()
    s.setValue(setting.key, value)
    s.sync()
