"""Translation models: what is installed, install from a file, remove, download when online."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.translate.packages import VI_EN_FILE, list_packages
from app.gui.models import ID_ROLE, PackagesModel

NO_MODEL_TEXT = (
    "<b>No translation model is installed yet.</b> DoiChieu translates offline with Argos Translate's "
    f"Vietnamese→English package, the file <code>{VI_EN_FILE}</code> (about 66 MB). Get it once "
    "(from a colleague, a USB stick, or the Argos Translate package index), then drag it onto this "
    "window (or use <i>Models › Install from file…</i>). Importing, cleaning and marking claims work without it."
)


class ModelManager(QDialog):
    """Installing and downloading run in the window's background jobs: `install_requested(path)`,
    `download_requested()`, `remove_requested(name)`; the window calls `refresh()` when they end."""

    install_requested = Signal(str)
    download_requested = Signal()
    remove_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None, choose_file: Callable[[], str] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Translation models")
        self.setObjectName("modelManager")
        self._choose_file = choose_file or self._ask_file
        self.model = PackagesModel(self)
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
        download = QPushButton("Download (needs internet)")
        download.clicked.connect(self.download_requested)
        self.remove = QPushButton("Remove")
        self.remove.clicked.connect(self._remove)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        for b in (install, download, self.remove):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.resize(640, 360)
        self.refresh()

    def refresh(self, message: str = "") -> None:
        packages = list_packages()  # reads a few small metadata files: fast
        self.model.set_rows(packages)
        vi_en = [p for p in packages if (p.from_code, p.to_code) == ("vi", "en")]
        if vi_en:
            self.intro.setText(
                "Installed packages are kept in DoiChieu's data folder. The newest Vietnamese→English "
                f"package is used: <b>{vi_en[-1].name}</b> {vi_en[-1].version}."
            )
        else:
            self.intro.setText(NO_MODEL_TEXT)
        self.remove.setEnabled(bool(packages))
        self.status.setText(message)

    def _ask_file(self) -> str:
        path, _ = QFileDialog.getOpenFileName(self, "Install a translation model", "", "Argos packages (*.argosmodel)")
        return path

    def _install(self) -> None:
        path = self._choose_file()
        if path:
            self.status.setText(f"installing {Path(path).name}…")
            self.install_requested.emit(path)

    def _remove(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            index = self.model.index(0, 0)
        name = self.model.data(index, ID_ROLE)
        if name:
            self.remove_requested.emit(str(name))
