"""Help › Keyboard shortcuts…: every key of the window, read from the actions themselves (the `Key`
table in `main_window/actions.py`) and from `actions.PANE_KEYS` (keys that work in one pane only), so
the list cannot drift from what the keys do."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.gui.main_window import actions as actions_mod
from app.gui.main_window.actions import Key

if TYPE_CHECKING:
    from app.gui.main_window import MainWindow


def menu_of(key: Key) -> str:
    """The menu an action is in ("" when it is in none)."""
    for title, items in actions_mod.MENUS:
        if key in items or (title == "&File" and key is Key.QUIT):
            return title.replace("&", "")
    return ""


def shortcut_rows(window: MainWindow) -> list[tuple[str, str, str]]:
    """(where, what, keys) for every action with a key, in the `Key` table's order, then the keys
    that work in one pane only."""
    rows: list[tuple[str, str, str]] = []
    for key in Key:
        action = window.action(key)
        keys = ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts())
        if keys:
            what = action.text().replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()
            rows.append((menu_of(key), what, keys))
    rows.extend(actions_mod.PANE_KEYS)
    return rows


class ShortcutsDialog(QDialog):
    def __init__(self, window: MainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard shortcuts")
        rows = shortcut_rows(window)
        self.table = QTableWidget(len(rows), 3)
        self.table.setObjectName("shortcutsTable")
        self.table.setHorizontalHeaderLabels(["Where", "Command", "Keys"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Tab and Shift+Tab move between the panes; the menus list these keys too."))
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(620, 560)

    def rows(self) -> list[tuple[str, str, str]]:
        out = []
        for r in range(self.table.rowCount()):
            cells = [self.table.item(r, c) for c in range(3)]
            out.append(tuple(cell.text() if cell else "" for cell in cells))
        return out  # type: ignore[return-value]


def show_shortcuts(window: MainWindow) -> None:
    dialog = ShortcutsDialog(window)
    dialog.setModal(False)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
