"""Claims › Manage tags…: create, rename, recolour, give or clear a key (1–9), and delete a tag,
moving its claims to another tag or leaving them untagged. Every rule is `app.core.claims.tags`
(the command line's `main.py tags ...` follows the same); this dialog only shows and asks."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.claims import tags as rules
from app.core.errors import DoiChieuError
from app.core.store import Library
from app.core.store.claims import ClaimStore, Tag
from app.gui.wording import for_window

if TYPE_CHECKING:
    from app.gui.main_window import MainWindow
    from app.gui.main_window.changes import Changes

NO_KEY = "none"
UNTAGGED = "(leave them untagged)"


def reserved_keys(window: QWidget) -> dict[str, str]:
    """The window's own shortcuts (key -> what it does), which no tag may take. The table's tag keys
    (actions without a text) are the tags' own and left out."""
    reserved: dict[str, str] = {}
    for action in window.findChildren(QAction):
        text = action.text().replace("&", "").strip()
        for seq in action.shortcuts():
            key = seq.toString(QKeySequence.SequenceFormat.PortableText)
            if key and text:
                reserved.setdefault(key, text)
    return reserved


class DeleteTagDialog(QDialog):
    """Delete a tag: where its claims go (another tag, or nowhere)."""

    def __init__(self, tag: Tag, others: list[Tag], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Delete the tag “{tag.name}”")
        self.setObjectName("deleteTagDialog")
        self.tag = tag
        self.target = QComboBox()
        self.target.setObjectName("reassignTo")
        for other in others:
            self.target.addItem(other.name, other.name)
        self.target.addItem(UNTAGGED, None)
        lay = QVBoxLayout(self)
        if tag.claims:
            lay.addWidget(QLabel(f"“{tag.name}” is on {tag.claims} claim(s). Move them to:"))
            lay.addWidget(self.target)
        else:
            lay.addWidget(QLabel(f"No claim carries “{tag.name}”. Delete it?"))
            self.target.setCurrentIndex(self.target.count() - 1)
            self.target.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Delete")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)

    def reassign(self) -> str | None:
        data = self.target.currentData()
        return str(data) if data else None


class TagManagerDialog(QDialog):
    """Emits `changed` after each change stored (the window refreshes its tag menus, filters, colours)."""

    changed = Signal()

    def __init__(self, library: Library, reserved: dict[str, str] | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Manage tags")
        self.setObjectName("tagManager")
        self.resize(680, 420)
        self.lib = library
        self.reserved = reserved or {}
        self.tags: list[Tag] = []
        self.delete_dialog: DeleteTagDialog | None = None
        self._color = ""  # the colour chosen in the form, not stored yet

        self.table = QTableWidget(0, 3)
        self.table.setObjectName("tagTable")
        self.table.setHorizontalHeaderLabels(["Tag", "Key", "Claims"])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selected)
        delete_key = QAction(self.table)  # Delete on the selected tag asks where its claims go
        delete_key.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        delete_key.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete_key.triggered.connect(self.ask_delete)
        self.table.addAction(delete_key)

        self.name = QLineEdit()
        self.name.setObjectName("tagName")
        self.name.setMaxLength(rules.NAME_MAX)
        self.color_button = QPushButton("Colour…")
        self.color_button.setObjectName("tagColour")
        self.color_button.clicked.connect(self.choose_color)
        self.key = QComboBox()
        self.key.setObjectName("tagKey")
        self.key.addItem(NO_KEY, None)
        for k in rules.SHORTCUT_KEYS:
            self.key.addItem(k, k)
        self.save_button = QPushButton("Save")
        self.save_button.setObjectName("saveTag")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.new_button = QPushButton("New tag")
        self.new_button.setObjectName("newTag")
        self.new_button.clicked.connect(self.start_new)
        self.delete_button = QPushButton("Delete…")
        self.delete_button.setObjectName("deleteTag")
        self.delete_button.clicked.connect(self.ask_delete)
        self.error = QLabel()
        self.error.setObjectName("tagError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b03a2e;")
        untagged = QLabel(
            f'<span style="background:{rules.UNTAGGED_COLOR}">&nbsp;&nbsp;&nbsp;&nbsp;</span> '
            "claims without a tag are shown in this grey"
        )

        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Colour", self.color_button)
        form.addRow("Key (in the sentence table)", self.key)
        side = QVBoxLayout()
        side.addLayout(form)
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addWidget(self.new_button)
        row.addWidget(self.delete_button)
        side.addLayout(row)
        side.addWidget(self.error)
        side.addStretch(1)
        side.addWidget(untagged)
        body = QHBoxLayout()
        body.addWidget(self.table, 1)
        body.addLayout(side, 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(body, 1)
        lay.addWidget(close)
        self.reload()

    # showing ------------------------------------------------------------------------------------------

    def reload(self, select: str | None = None) -> None:
        current = select or self.current_name()
        self.tags = ClaimStore(self.lib).tags()
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.tags))
        for i, tag in enumerate(self.tags):
            name = QTableWidgetItem(tag.name)
            name.setBackground(QColor(tag.color))
            name.setData(Qt.ItemDataRole.DecorationRole, QColor(tag.color))  # a swatch, seen when selected too
            name.setData(Qt.ItemDataRole.UserRole, tag.name)
            self.table.setItem(i, 0, name)
            self.table.setItem(i, 1, QTableWidgetItem(tag.shortcut or ""))
            self.table.setItem(i, 2, QTableWidgetItem(str(tag.claims)))
        self.table.blockSignals(False)
        row = next((i for i, t in enumerate(self.tags) if t.name == current), -1)
        if row >= 0:
            self.table.selectRow(row)
        else:
            self.table.clearSelection()
        self._selected()

    def refresh(self) -> None:
        """Claims were tagged elsewhere meanwhile: new counts, the form left as the user has it (all
        of it reloaded only when the tags themselves changed)."""
        fresh = ClaimStore(self.lib).tags()
        if [(t.id, t.name, t.color, t.shortcut) for t in fresh] != [
            (t.id, t.name, t.color, t.shortcut) for t in self.tags
        ]:
            self.reload()
            return
        self.tags = fresh
        for i, tag in enumerate(fresh):
            self.table.setItem(i, 2, QTableWidgetItem(str(tag.claims)))

    def current_name(self) -> str | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return str(rows[0].data(Qt.ItemDataRole.UserRole)) if rows else None

    def current(self) -> Tag | None:
        name = self.current_name()
        return next((t for t in self.tags if t.name == name), None)

    def select(self, name: str) -> None:
        row = next((i for i, t in enumerate(self.tags) if t.name.lower() == name.lower()), -1)
        if row >= 0:
            self.table.selectRow(row)

    def _selected(self) -> None:
        tag = self.current()
        self.delete_button.setEnabled(tag is not None)
        self.save_button.setText("Save" if tag is not None else "Create")
        self.error.clear()
        if tag is None:
            return
        self.name.setText(tag.name)
        self._show_color(tag.color)
        self.key.setCurrentIndex(max(0, self.key.findData(tag.shortcut)) if tag.shortcut else 0)

    def _show_color(self, color: str) -> None:
        self._color = color
        self.color_button.setText(color)
        self.color_button.setStyleSheet(f"background-color: {color};")

    # editing ------------------------------------------------------------------------------------------

    def start_new(self) -> None:
        """A blank form (a free colour of the palette): Create stores it."""
        self.table.clearSelection()
        self.name.clear()
        self._show_color(rules.next_color(self.tags))
        self.key.setCurrentIndex(0)
        self.name.setFocus()

    def choose_color(self) -> None:
        chosen = QColorDialog.getColor(QColor(self._color or "#ffffff"), self, "Tag colour")
        if chosen.isValid():
            self._show_color(chosen.name())

    def _run(self, change: Callable[[], Tag | int]) -> bool:
        try:
            result = change()
        except DoiChieuError as err:
            self.error.setText(for_window(err))
            return False
        self.error.clear()
        self.reload(result.name if isinstance(result, Tag) else None)
        self.changed.emit()
        return True

    def save(self) -> bool:
        """Creates the tag (nothing selected) or stores the form's name, colour and key for the selected one."""
        tag = self.current()
        name, key = self.name.text(), self.key.currentData()
        if tag is None:
            return self._run(lambda: rules.create_tag(self.lib, name, self._color or None, key, reserved=self.reserved))
        return self._run(
            lambda: rules.edit_tag(
                self.lib,
                tag.name,
                new_name=name,
                color=self._color or tag.color,
                shortcut=key,
                clear_shortcut=key is None,
                reserved=self.reserved,
            )
        )

    def ask_delete(self) -> None:
        tag = self.current()
        if tag is None:
            return
        dialog = DeleteTagDialog(tag, [t for t in self.tags if t.id != tag.id], self)
        self.delete_dialog = dialog
        dialog.accepted.connect(lambda: self._delete(tag.name, dialog.reassign()))
        dialog.open()

    def _delete(self, name: str, reassign: str | None) -> None:
        self._run(lambda: rules.delete_tag(self.lib, name, reassign=reassign, untag=reassign is None))
        self.delete_dialog = None


def open_tag_manager(window: MainWindow) -> TagManagerDialog:
    """Claims › Manage tags…: one non-modal dialog on the window's library."""
    from app.gui.main_window.changes import Changes

    existing = getattr(window, "tag_manager", None)
    if isinstance(existing, TagManagerDialog) and existing.lib is window.lib:
        existing.reserved = reserved_keys(window)
        existing.reload()  # claims may have been tagged since it was last open
    else:
        if isinstance(existing, TagManagerDialog):
            existing.close()  # on a library that was replaced (a restore)
        existing = TagManagerDialog(window.lib, reserved_keys(window), window)
        existing.changed.connect(lambda: window.report(Changes(tags=True, claims=True)))
        window.changed.connect(lambda c, d=existing: _window_changed(d, c))
        window.tag_manager = existing  # type: ignore[attr-defined]
    existing.show()
    existing.raise_()
    existing.activateWindow()
    return existing


def _window_changed(dialog: TagManagerDialog, changes: Changes) -> None:
    try:
        if changes.library:
            dialog.close()  # its library was replaced (a restore): reopened, it shows the new one
        elif dialog.isVisible() and (changes.claims or changes.tags):
            dialog.refresh()
    except RuntimeError:  # the dialog is gone (the window is closing)
        pass
