"""Translation models: what is installed (kind and licence), install from a file or a folder,
remove, download when online.

Besides Argos packages, plain CTranslate2 models converted by the user install here: an OPUS-MT
(Marian) or NLLB-200 / M2M-100 folder, or a zip of one. NLLB weights are CC-BY-NC-4.0: the dialog
says so and asks before the install starts (the acceptance is remembered, see model_kinds)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.translate import model_kinds
from app.core.translate.packages import VI_EN_FILE, _version_key, list_packages
from app.gui.models import ID_ROLE, PackagesModel

FILE_FILTER = "Translation models (*.argosmodel *.zip);;Argos packages (*.argosmodel);;All files (*)"


def ask_yes_no(parent: QWidget | None, text: str) -> bool:
    answer = QMessageBox.question(
        parent,
        "Non-commercial licence",
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def licence_confirmed(parent: QWidget | None, path: Path, confirm: Callable[[str], bool] | None = None) -> bool:
    """True when `path` may be installed: its licence allows any use, was accepted before, or the
    user says Yes now (remembered). Asked BEFORE the install job starts."""
    kind = model_kinds.peek_kind(path)
    if kind not in model_kinds.NON_COMMERCIAL or model_kinds.licence_accepted(kind):
        return True
    text = (
        f"{path.name} looks like an {model_kinds.NC_NAMES.get(kind, kind)} model. "
        f"{model_kinds.licence_warning(kind)}.\n\nInstall it and accept this licence?"
    )
    if not (confirm or (lambda t: ask_yes_no(parent, t)))(text):
        return False
    model_kinds.accept_licence(kind)
    return True


class ModelsTable(PackagesModel):
    """The installed models with their kind and licence."""

    HEADERS: tuple[str, ...] = (*PackagesModel.HEADERS, "Kind", "Licence")  # type: ignore[assignment]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        base = len(PackagesModel.HEADERS)
        if role == Qt.ItemDataRole.DisplayRole and index.isValid() and index.column() >= base:
            p = self.rows[index.row()]
            return (model_kinds.KIND_NAMES.get(p.kind, p.kind), p.licence)[index.column() - base]
        return super().data(index, role)


NO_MODEL_TEXT = (
    "<b>No translation model is installed yet.</b> DoiChieu translates offline with Argos Translate's "
    f"Vietnamese→English package, the file <code>{VI_EN_FILE}</code> (about 66 MB). Get it once: "
    "<i>Download</i> in <i>Models › Manage translation models…</i> (checked before it is installed), or "
    "drag the file onto this window from a colleague or a USB stick (or use <i>Models › Install from file…</i>). "
    "Importing, cleaning and marking claims work without it."
)


class ModelManager(QDialog):
    """Installing and downloading run in the window's background jobs: `install_requested(path)`,
    `download_requested()`, `remove_requested(name)`; the window calls `refresh()` when they end."""

    install_requested = Signal(str)
    download_requested = Signal()
    remove_requested = Signal(str)

    def __init__(
        self,
        parent: QWidget | None = None,
        choose_file: Callable[[], str] | None = None,
        choose_folder: Callable[[], str] | None = None,
        confirm: Callable[[str], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Translation models")
        self.setObjectName("modelManager")
        self._choose_file = choose_file or self._ask_file
        self._choose_folder = choose_folder or self._ask_folder
        self._confirm = confirm or self._ask_confirm
        self.model = ModelsTable(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        install = QPushButton("Install from file…")
        install.clicked.connect(self._install)
        install_folder = QPushButton("Install model folder…")
        install_folder.setToolTip("A CTranslate2 model you converted: OPUS-MT (source.spm, target.spm) or NLLB-200")
        install_folder.clicked.connect(self._install_folder)
        download = QPushButton("Download (needs internet)")
        download.clicked.connect(self.download_requested)
        self.remove = QPushButton("Remove")
        self.remove.clicked.connect(self._remove)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        for b in (install, install_folder, download, self.remove):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.resize(820, 360)
        self.refresh()

    def refresh(self, message: str = "") -> None:
        packages = list_packages()  # reads a few small metadata files: fast
        self.model.set_rows(packages)
        vi_en = [p for p in packages if (p.from_code, p.to_code) == ("vi", "en")]
        if vi_en:
            used = max(vi_en, key=lambda p: (p.kind == "argos", _version_key(p.version), p.name))  # as find_package
            self.intro.setText(
                "Installed models are kept in DoiChieu's data folder. Vietnamese→English translation uses "
                f"<b>{used.name}</b> {used.version}; the others can translate a document for comparison."
            )
        else:
            self.intro.setText(NO_MODEL_TEXT)
        self.remove.setEnabled(bool(packages))
        self.status.setText(message)

    def _ask_file(self) -> str:
        path, _ = QFileDialog.getOpenFileName(self, "Install a translation model", "", FILE_FILTER)
        return path

    def _ask_folder(self) -> str:
        return QFileDialog.getExistingDirectory(self, "Install a CTranslate2 model folder")

    def _ask_confirm(self, text: str) -> bool:
        return ask_yes_no(self, text)

    def _install(self) -> None:
        self._install_path(self._choose_file())

    def _install_folder(self) -> None:
        self._install_path(self._choose_folder())

    def _install_path(self, path: str) -> None:
        """Say a model's licence BEFORE installing it: a non-commercial one needs a Yes first."""
        if not path:
            return
        if not licence_confirmed(self, Path(path), self._confirm):
            self.status.setText(f"{Path(path).name} was not installed (licence not accepted).")
            return
        self.status.setText(f"installing {Path(path).name}…")
        self.install_requested.emit(path)

    def _remove(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            index = self.model.index(0, 0)
        name = self.model.data(index, ID_ROLE)
        if name:
            self.remove_requested.emit(str(name))
