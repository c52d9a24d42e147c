"""Choosing a backup of the library: at start, when the library is damaged or cannot be opened
(Restore, Open another data folder…, Quit), and from File › Restore from backup… (Restore, Cancel).
The backups are listed newest first with their date, size and document count."""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.store.backups import BackupInfo


class Choice(Enum):
    RESTORE = "restore"
    OTHER_FOLDER = "other folder"
    QUIT = "quit"  # at start: quit; from the menu: cancel


def size_text(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(size, 1) / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


class BackupsDialog(QDialog):
    """`choice` and `chosen` (the backup to restore) tell the caller what to do once it closes."""

    def __init__(
        self, message: str, backups: list[BackupInfo], *, at_start: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.restore_button = QPushButton("Restore")
        self.setObjectName("backupsDialog")
        self.setWindowTitle("DoiChieu — the library could not be opened" if at_start else "Restore from backup")
        self.backups = backups
        self.choice = Choice.QUIT
        self.chosen: BackupInfo | None = None

        text = QLabel(message)
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableWidget(len(backups), 3)
        self.table.setObjectName("backupList")
        self.table.setHorizontalHeaderLabels(["Date", "Size", "Documents"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for row, info in enumerate(backups):
            when = info.date.astimezone().strftime("%Y-%m-%d %H:%M")
            documents = "cannot be read" if info.documents is None else str(info.documents)
            for column, value in enumerate((when, size_text(info.size), documents)):
                item = QTableWidgetItem(value)
                item.setToolTip(str(info.path))
                if info.documents is None:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled & ~Qt.ItemFlag.ItemIsSelectable)
                self.table.setItem(row, column, item)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemDoubleClicked.connect(lambda _item: self.restore_button.click())

        self.restore_button.setObjectName("restoreBackup")
        self.restore_button.setDefault(True)
        self.restore_button.clicked.connect(lambda: self._done(Choice.RESTORE))
        buttons = QHBoxLayout()
        buttons.addWidget(self.restore_button)
        self.folder_button: QPushButton | None = None
        if at_start:
            self.folder_button = QPushButton("Open another data folder…")
            self.folder_button.setObjectName("otherDataFolder")
            self.folder_button.clicked.connect(lambda: self._done(Choice.OTHER_FOLDER))
            buttons.addWidget(self.folder_button)
        buttons.addStretch(1)
        self.quit_button = QPushButton("Quit" if at_start else "Cancel")
        self.quit_button.setObjectName("quitRecovery")
        self.quit_button.clicked.connect(lambda: self._done(Choice.QUIT))
        buttons.addWidget(self.quit_button)

        layout = QVBoxLayout(self)
        layout.addWidget(text)
        if backups:
            layout.addWidget(QLabel("Backups of the library, newest first:"))
            layout.addWidget(self.table, 1)
        else:
            self.table.hide()
            layout.addWidget(QLabel("There is no backup of this library yet."))
        layout.addLayout(buttons)
        self.resize(560, 380)
        usable = [row for row, info in enumerate(backups) if info.documents is not None]
        if usable:
            self.table.selectRow(usable[0])
        self._selection_changed()

    def _selection_changed(self) -> None:
        rows = {index.row() for index in self.table.selectedIndexes()}
        self.chosen = self.backups[min(rows)] if rows else None
        self.restore_button.setEnabled(self.chosen is not None)

    def _done(self, choice: Choice) -> None:
        self.choice = choice
        if choice is Choice.RESTORE:
            self.accept()
        else:
            self.reject()
