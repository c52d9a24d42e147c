"""Every menu command of the window, registered by key in one table (Picard's
`ui/mainwindow/actions.py`): the window only composes menus from keys, and a test or a script reaches
an action as `window.action(Key.TRANSLATE)`. Slots are looked up on the window's controllers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

if TYPE_CHECKING:
    from app.gui.main_window import MainWindow


class Key(StrEnum):
    """An action's key; its value is the QAction's object name."""

    IMPORT_FILES = "importFiles"
    IMPORT_FOLDER = "importFolder"
    EXPORT = "export"
    BACKUP_NOW = "backupNow"
    RESTORE_BACKUP = "restoreBackup"
    QUIT = "quit"
    PASTE_DOCUMENT = "pasteDocument"
    FIND = "find"
    FIND_NEXT = "findNext"
    FIND_PREVIOUS = "findPrevious"
    TRANSLATE = "translate"
    TRANSLATE_COMPARE = "translateCompare"
    ACCEPT_NEXT = "acceptAndNext"
    EDIT_ENGLISH = "editEnglish"
    REVERT_MACHINE = "revertToMachine"
    CLEAR_WARNING = "clearWarning"
    LAYOUT_REVIEW = "layoutReview"
    DELETE_DOCUMENT = "deleteDocument"
    RENAME_DOCUMENT = "renameDocument"
    DOCUMENT_PROPERTIES = "documentProperties"
    TAG_MANAGER = "tagManager"
    NEW_CLAIM = "newClaim"
    TAG_CLAIM = "tagClaim"
    SUGGEST = "suggestClaims"
    ACCEPT_SUGGESTION = "acceptSuggestion"
    DISMISS_SUGGESTION = "dismissSuggestion"
    NEXT_CLAIM = "nextClaim"
    PREVIOUS_CLAIM = "previousClaim"
    MODEL_MANAGER = "modelManager"
    INSTALL_MODEL = "installModel"
    GLOSSARY = "glossary"
    PAGE_IMAGE = "showPageImage"
    ABOUT = "about"
    KEYBOARD_SHORTCUTS = "keyboardShortcuts"


Shortcut = QKeySequence.StandardKey | str | None


@dataclass(frozen=True)
class Spec:
    text: str
    slot: Callable[[MainWindow], Callable[[], object]]  # the window -> what the action runs
    shortcut: Shortcut = None


SPECS: dict[Key, Spec] = {
    Key.IMPORT_FILES: Spec("&Import files…", lambda w: w.importing.choose_files, QKeySequence.StandardKey.Open),
    Key.IMPORT_FOLDER: Spec("Import a &folder…", lambda w: w.importing.choose_folder),
    Key.EXPORT: Spec("&Export…", lambda w: w.tools.show_export, "Ctrl+E"),
    Key.BACKUP_NOW: Spec("&Back up now…", lambda w: w.library.back_up_now),
    Key.RESTORE_BACKUP: Spec("&Restore from backup…", lambda w: w.library.restore_from_backup),
    Key.QUIT: Spec("&Quit", lambda w: w.close, QKeySequence.StandardKey.Quit),
    Key.PASTE_DOCUMENT: Spec("&Paste as new document", lambda w: w.importing.paste_document, "Ctrl+Shift+V"),
    Key.FIND: Spec("&Find in document", lambda w: w.view.open_find, QKeySequence.StandardKey.Find),
    Key.FIND_NEXT: Spec("Find &next", lambda w: w.view.find_next, "F3"),
    Key.FIND_PREVIOUS: Spec("Find pre&vious", lambda w: w.view.find_previous, "Shift+F3"),
    Key.TRANSLATE: Spec("&Translate", lambda w: w.translation.translate_document, "Ctrl+R"),
    Key.TRANSLATE_COMPARE: Spec("Translate with &another model…", lambda w: w.translation.translate_with_another_model),
    Key.ACCEPT_NEXT: Spec("&Accept and go to next", lambda w: w.translation.accept_and_next, "Ctrl+Return"),
    Key.EDIT_ENGLISH: Spec("&Edit English", lambda w: w.translation.edit_english, "F2"),
    Key.REVERT_MACHINE: Spec("&Revert to machine translation", lambda w: w.translation.revert_to_machine),
    Key.CLEAR_WARNING: Spec("&Clear warning (⚠)", lambda w: w.translation.clear_warning),
    Key.LAYOUT_REVIEW: Spec("&Layout review…", lambda w: w.tools.show_layout_review, "Ctrl+L"),
    Key.DELETE_DOCUMENT: Spec("&Delete document…", lambda w: w.library.delete_document),
    Key.RENAME_DOCUMENT: Spec("Re&name document…", lambda w: w.documents.rename_current),
    Key.DOCUMENT_PROPERTIES: Spec("Document p&roperties…", lambda w: w.documents.properties_current),
    Key.TAG_MANAGER: Spec("&Manage tags…", lambda w: lambda: _open_tag_manager(w)),
    Key.NEW_CLAIM: Spec("&New claim…", lambda w: w.claiming.new_claim, "Ctrl+M"),
    Key.TAG_CLAIM: Spec("&Tag…", lambda w: w.claiming.tag_claim, "Ctrl+T"),
    Key.SUGGEST: Spec("&Suggest claims", lambda w: w.claiming.load_suggestions),
    Key.ACCEPT_SUGGESTION: Spec(
        "&Accept suggested claim", lambda w: w.claiming.accept_current_suggestion, "Ctrl+Shift+A"
    ),
    Key.DISMISS_SUGGESTION: Spec(
        "&Dismiss suggested claim", lambda w: w.claiming.dismiss_current_suggestion, "Ctrl+Shift+D"
    ),
    Key.NEXT_CLAIM: Spec("Ne&xt claim", lambda w: w.claiming.next_claim, "F8"),
    Key.PREVIOUS_CLAIM: Spec("&Previous claim", lambda w: w.claiming.previous_claim, "Shift+F8"),
    Key.MODEL_MANAGER: Spec("&Manage translation models…", lambda w: w.translation.show_model_manager),
    Key.INSTALL_MODEL: Spec("&Install from file…", lambda w: w.translation.choose_package),
    Key.ABOUT: Spec("&About DoiChieu", lambda w: w.show_about),
    Key.KEYBOARD_SHORTCUTS: Spec("&Keyboard shortcuts…", lambda w: lambda: _show_shortcuts(w), "F1"),
    Key.GLOSSARY: Spec("&Glossary…", lambda w: lambda: _open_glossary(w)),
    # a document read by OCR: the page as scanned beside the text, following the selection (issue 17)
    Key.PAGE_IMAGE: Spec("Show &page image", lambda w: w.view.toggle_page_image, "Ctrl+Shift+P"),
}

TAG_MENU = "tag menu"  # where the Claims menu holds its "Apply tag" submenu
SEPARATOR = None
MenuItem = Key | str | None
MENUS: tuple[tuple[str, tuple[MenuItem, ...]], ...] = (
    (
        "&File",
        (Key.IMPORT_FILES, Key.IMPORT_FOLDER, Key.EXPORT, SEPARATOR, Key.BACKUP_NOW, Key.RESTORE_BACKUP, SEPARATOR),
    ),
    ("&Edit", (Key.PASTE_DOCUMENT, Key.FIND, Key.FIND_NEXT, Key.FIND_PREVIOUS, SEPARATOR, Key.GLOSSARY)),
    ("&View", (Key.PAGE_IMAGE,)),
    (
        "&Document",
        (
            Key.TRANSLATE,
            Key.TRANSLATE_COMPARE,
            Key.ACCEPT_NEXT,
            Key.EDIT_ENGLISH,
            Key.REVERT_MACHINE,
            Key.CLEAR_WARNING,
            Key.LAYOUT_REVIEW,
            SEPARATOR,
            Key.RENAME_DOCUMENT,
            Key.DOCUMENT_PROPERTIES,
            Key.DELETE_DOCUMENT,
        ),
    ),
    (
        "&Claims",
        (
            Key.NEW_CLAIM,
            Key.TAG_CLAIM,
            TAG_MENU,
            Key.NEXT_CLAIM,
            Key.PREVIOUS_CLAIM,
            SEPARATOR,
            Key.SUGGEST,
            Key.ACCEPT_SUGGESTION,
            Key.DISMISS_SUGGESTION,
            SEPARATOR,
            Key.TAG_MANAGER,
        ),
    ),
    ("&Models", (Key.MODEL_MANAGER, Key.INSTALL_MODEL)),
    ("&Help", (Key.KEYBOARD_SHORTCUTS, Key.ABOUT)),
)

# Keys that work in one pane only (not menu commands); Help › Keyboard shortcuts lists them after the
# actions. Add a line here when a pane learns a key. (where, what, keys)
PANE_KEYS: tuple[tuple[str, str, str], ...] = (
    ("Window", "Next / previous pane", "Tab, Shift+Tab"),
    ("Library search", "Go to the matching sentences", "Enter, Down"),
    ("Search results", "Open the document at the sentence", "Enter, double-click"),
    ("Find bar", "Next / previous match", "Enter, Shift+Enter"),
    ("Find bar", "Close the find bar", "Esc"),
    ("Library list", "Rename the document", "F2"),
    ("Sentence table", "Apply the tag with that key", "1 … 9"),
    ("Sentence editor", "Store your English and go to the next sentence", "Ctrl+Enter"),
    ("Sentence editor", "Back to the machine translation (when there is nothing left to undo)", "Ctrl+Z"),
)

NEEDS_DOCUMENT = (
    Key.PAGE_IMAGE,
    Key.LAYOUT_REVIEW,
    Key.DELETE_DOCUMENT,
    Key.RENAME_DOCUMENT,
    Key.DOCUMENT_PROPERTIES,
    Key.FIND,
    Key.FIND_NEXT,
    Key.FIND_PREVIOUS,
    Key.SUGGEST,
    Key.ACCEPT_NEXT,
    Key.ACCEPT_SUGGESTION,
    Key.DISMISS_SUGGESTION,
    Key.NEXT_CLAIM,
    Key.PREVIOUS_CLAIM,
)
NEEDS_SELECTION = (Key.NEW_CLAIM, Key.TAG_CLAIM, Key.EDIT_ENGLISH)
# Key.REVERT_MACHINE and Key.CLEAR_WARNING follow the current sentence's review state (translating.py)


def _open_tag_manager(window: MainWindow) -> None:
    from app.gui.dialogs.tag_manager import open_tag_manager

    open_tag_manager(window)


def _open_glossary(window: MainWindow) -> None:
    from app.gui.dialogs.glossary_dialog import open_glossary

    open_glossary(window)


def _show_shortcuts(window: MainWindow) -> None:
    from app.gui.dialogs.shortcuts import show_shortcuts

    show_shortcuts(window)


def create_actions(window: MainWindow) -> dict[Key, QAction]:
    actions: dict[Key, QAction] = {}
    for key, spec in SPECS.items():
        action = QAction(spec.text, window)
        action.setObjectName(key.value)
        if spec.shortcut is not None:
            action.setShortcut(QKeySequence(spec.shortcut))
        slot = spec.slot(window)
        action.triggered.connect(lambda _checked=False, slot=slot: slot())
        actions[key] = action
    actions[Key.ABOUT].setMenuRole(QAction.MenuRole.AboutRole)  # macOS: in the application menu
    actions[Key.QUIT].setMenuRole(QAction.MenuRole.QuitRole)
    actions[Key.PAGE_IMAGE].setCheckable(True)  # checked while the page image is shown (window._wire)
    return actions


def build_menus(window: MainWindow, actions: dict[Key, QAction], tag_menu: QMenu) -> None:
    bar = window.menuBar()
    for title, items in MENUS:
        menu = bar.addMenu(title)
        for item in items:
            if item is SEPARATOR:
                menu.addSeparator()
            elif item == TAG_MENU:
                menu.addMenu(tag_menu)
            else:
                menu.addAction(actions[Key(item)])
        if title == "&File":
            menu.addAction(actions[Key.QUIT])


def add_tag_keys(window: MainWindow) -> None:
    """The table-only keys: 1–9 apply the tag with that shortcut to the selection."""
    for key in "123456789":
        action = QAction(window.view)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _checked=False, k=key: window.claiming.apply_tag_key(k))
        window.view.addAction(action)


def update_enabled(actions: dict[Key, QAction], *, has_document: bool, has_selection: bool, translating: bool) -> None:
    actions[Key.TRANSLATE].setEnabled(has_document and not translating)
    actions[Key.TRANSLATE_COMPARE].setEnabled(has_document and not translating)
    for key in NEEDS_DOCUMENT:
        actions[key].setEnabled(has_document)
    for key in NEEDS_SELECTION:
        actions[key].setEnabled(has_document and has_selection)
