"""Packaging (issue 8) without building: the spec, the resource helper, the About dialog, the workflow.
The frozen binary itself is checked by scripts/package_smoke.py after `scripts/dev.py package`."""

from __future__ import annotations

import ast
import contextlib
import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "doichieu.spec"
WORKFLOW = ROOT / ".github" / "workflows" / "build.yml"


def spec_constants() -> dict[str, object]:
    """The plain literals at the top of the spec (it is Python; the rest needs PyInstaller to run)."""
    tree = ast.parse(SPEC.read_text(encoding="utf-8"), filename=str(SPEC))
    found: dict[str, object] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            with contextlib.suppress(ValueError):  # computed values (paths, calls) are not needed here
                found[node.targets[0].id] = ast.literal_eval(node.value)
    return found


def test_spec_lists_what_the_frozen_child_processes_need() -> None:
    consts = spec_constants()
    hidden = consts["HIDDEN_IMPORTS"]
    assert isinstance(hidden, list)
    # `_pdf-worker PATH` (app/cli/__init__.py) imports the parser only when asked; the GUI's helper runs app.gui.child
    assert {"app.core.ingest.pdf", "pymupdf", "app.gui.child", "ctranslate2", "sentencepiece"} <= set(hidden)
    for name in hidden:
        assert importlib.util.find_spec(name) is not None, f"hidden import {name} does not exist"


def test_spec_excludes_heavy_stacks_and_keeps_what_the_app_imports() -> None:
    consts = spec_constants()
    excludes = set(consts["EXCLUDES"]) | set(consts["QT_EXCLUDES"])  # type: ignore[arg-type]
    assert {"torch", "stanza", "spacy", "onnxruntime", "tests", "pytest"} <= excludes
    assert {"PySide6.QtQuick", "PySide6.QtQml", "PySide6.QtWebEngineCore", "PySide6.QtMultimedia"} <= excludes
    kept = {"app", "PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets", "pymupdf", "underthesea", "jinja2"}
    assert not kept & excludes


def test_spec_underthesea_data_and_metadata_exist() -> None:
    import underthesea

    consts = spec_constants()
    base = Path(underthesea.__file__).parent
    for rel in consts["UNDERTHESEA_DATA"]:  # type: ignore[union-attr]
        assert (base / rel).is_file(), rel
    # what `import underthesea; sent_tokenize(...)` reads must be listed (a new underthesea may read more)
    assert "pipeline/sent_tokenize/punkt_params.json" in consts["UNDERTHESEA_DATA"]  # type: ignore[operator]
    from importlib import metadata

    for dist in consts["METADATA"]:  # type: ignore[union-attr]
        assert metadata.distribution(dist).version
    from app.gui.dialogs.about import COMPONENTS

    assert {d for _, d in COMPONENTS} <= set(consts["METADATA"])  # type: ignore[arg-type]


def test_spec_bundles_exactly_the_fonts_the_pdf_export_loads() -> None:
    """The build ships 5 of pymupdf_fonts' 31 faces; a font added to the export must be added there too."""
    import subprocess

    code = (
        "import sys, pymupdf_fonts\n"
        "from app.core.export.pdf import FONTS\n"
        "for name in FONTS: pymupdf_fonts.myfont(name)\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('pymupdf_fonts.'))))\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert set(res.stdout.split()) == set(spec_constants()["FONT_MODULES"])  # type: ignore[arg-type]


def test_spec_per_os_parts_exist() -> None:
    text = SPEC.read_text(encoding="utf-8")
    for needle in ("IS_WIN", "IS_MAC", "BUNDLE(", "CFBundleDocumentTypes", "com.adobe.pdf", "public.plain-text"):
        assert needle in text
    for path in (
        ROOT / "packaging" / "icons" / "doichieu.png",
        ROOT / "packaging" / "icons" / "doichieu.ico",
        ROOT / "packaging" / "icons" / "doichieu.icns",
        ROOT / "packaging" / "linux" / "doichieu.desktop",
        ROOT / "packaging" / "linux" / "AppRun",
        ROOT / "resources" / "icons" / "doichieu.png",
        ROOT / "LICENSE",
    ):
        assert path.is_file(), path
    desktop = (ROOT / "packaging" / "linux" / "doichieu.desktop").read_text(encoding="utf-8")
    assert "Exec=DoiChieu --open %F" in desktop and "Icon=doichieu" in desktop
    assert "GNU AFFERO GENERAL PUBLIC LICENSE" in (ROOT / "LICENSE").read_text(encoding="utf-8")


def test_resource_helper_finds_resources_from_source() -> None:
    from app.gui.resources import sample_documents
    from app.resources import resource_path, resources_dir

    assert resources_dir() == ROOT / "resources"
    assert resource_path("templates", "report.html.j2").is_file()
    assert [p.name for p in sample_documents()] == sorted(p.name for p in (ROOT / "resources" / "samples").iterdir())


def test_resource_helper_uses_meipass_when_frozen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.resources import resource_path

    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resource_path("templates", "report.html.j2") == tmp_path / "resources" / "templates" / "report.html.j2"


def test_about_lists_components_with_licences(qtbot, data_dir: Path) -> None:
    from PySide6.QtWidgets import QLabel

    from app.gui.dialogs.about import AboutDialog

    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    rows = {name: (version, licence) for name, version, licence in dialog.rows()}
    assert "LGPL-3.0" in rows["PySide6 (Qt for Python)"][1]
    assert "AFFERO" in rows["PyMuPDF"][1].upper() or "AGPL" in rows["PyMuPDF"][1]
    assert rows["DoiChieu"][1] == "AGPL-3.0-or-later"
    assert all(version != "not found" for version, _ in rows.values())
    assert str(data_dir) in dialog.data_folder.text()
    assert "source checkout" in dialog.findChild(QLabel).text()


def test_about_names_the_commit_a_build_was_made_from(
    qtbot, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QLabel

    from app.gui.dialogs.about import AboutDialog

    (tmp_path / "resources").mkdir()
    (tmp_path / "resources" / "build.json").write_text(
        '{"version": "0.1.0", "commit": "63d665f0", "built": "2026-11-26"}', encoding="utf-8"
    )
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    assert "Built on 2026-11-26 from source commit <code>63d665f0</code>" in dialog.findChild(QLabel).text()


def test_about_is_in_the_help_menu(qtbot, data_dir: Path) -> None:
    from PySide6.QtGui import QAction

    from app.gui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    about = window.findChild(QAction, "about")
    assert about is not None and "About" in about.text()
    about.trigger()
    from app.gui.dialogs.about import AboutDialog

    dialog = window.findChild(AboutDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.close()


def test_workflow_builds_on_three_systems() -> None:
    yaml = pytest.importorskip("yaml")

    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    job = flow["jobs"]["build"]
    assert {entry["os"] for entry in job["strategy"]["matrix"]["include"]} == {
        "ubuntu-latest",
        "windows-latest",
        "macos-latest",
    }
    runs = [step.get("run", "") for step in job["steps"]]
    assert any("scripts/dev.py test" in r for r in runs) and any("scripts/dev.py package" in r for r in runs)
    assert any(step.get("uses", "").startswith("actions/upload-artifact@v4") for step in job["steps"])
