"""Claims: marking them (dialog, tag keys 1–9, the Apply tag menu), editing and deleting them from the
claims panel, suggestions of likely claims, and the table's context menu."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from app.core.claims import workflow
from app.core.claims.history import claim_history
from app.core.claims.spans import same_words, snap_to_words
from app.core.errors import DoiChieuError
from app.core.store.claims import ClaimRow, Tag
from app.gui import jobs
from app.gui.dialogs.claim_dialog import ClaimDialog, ClaimForm
from app.gui.main_window.actions import Key
from app.gui.main_window.changes import Changes
from app.gui.main_window.controller import Controller
from app.gui.wording import for_window

if TYPE_CHECKING:
    from app.gui.main_window import MainWindow

Target = tuple[int, int, str, str, tuple[int, int] | None]  # start, end, Vietnamese, English, English span
EDIT, ADD, CANCEL = "edit", "add", "cancel"  # the answers when words already hold a claim


class ClaimsController(Controller):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.tags: list[Tag] = []
        self.dialog: ClaimDialog | None = None  # the claim dialog while it is open
        self.question: QMessageBox | None = None  # "these words already hold a claim" while it is asked
        self._visited: int | None = None  # the claim Next/Previous claim went to last
        self.tag_menu = QMenu("Apply tag", window)
        view, panel = window.view, window.panel
        view.delegate.accept_requested.connect(lambda: QTimer.singleShot(0, window.translation.accept_and_next))
        view.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.table.customContextMenuRequested.connect(lambda pos: self._context_menu(view.table, pos))
        for pane in (view.vi_text, view.en_text):
            pane.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            pane.customContextMenuRequested.connect(lambda pos, p=pane: self._context_menu(p, pos))
        panel.filters_changed.connect(self.refresh_claims)
        view.post_edited.connect(lambda doc_id: window.report(Changes(translations=True, document_id=doc_id)))
        panel.claim_activated.connect(lambda claim_id: self.go_to_claim(claim_id, select=False))
        panel.edit_requested.connect(self.edit_claim)
        panel.delete_requested.connect(self.delete_claim)
        panel.suggestion_activated.connect(lambda s: view.go_to_offset(s.start))
        panel.suggestion_accepted.connect(self.accept_suggestion)
        panel.suggestion_dismissed.connect(self.dismiss_suggestion)

    # screens ------------------------------------------------------------------------------------------

    def on_changed(self, changes: Changes) -> None:
        if changes.tags or changes.library:
            self.reload_tags()
        if changes.library:
            self.w.panel.set_suggestions([])
        anything = changes.claims or changes.tags or changes.documents or changes.library
        english = changes.translations and changes.concerns(self.w.view.doc_id())  # the claims' English
        if anything or english:
            self.refresh_claims()

    def on_document_opened(self, doc_id: int | None) -> None:
        self.refresh_claims()
        self.w.panel.set_suggestions([])
        self.load_suggestions()

    def close_dialogs(self) -> None:
        if self.dialog is not None:
            self.dialog.close()

    def reload_tags(self) -> None:
        self.tags = self.w.store.tags()
        names = [t.name for t in self.tags]
        self.w.sidebar.set_tags(names)
        self.w.panel.set_tags(names)
        self.tag_menu.clear()
        for tag in self.tags:
            label = f"&{tag.shortcut}  {tag.name}" if tag.shortcut else tag.name
            action = self.tag_menu.addAction(label)
            action.triggered.connect(lambda _=False, name=tag.name: self.apply_tag(name))

    def tag_colors(self) -> dict[str, str]:
        return {t.name: t.color for t in self.tags}

    def refresh_claims(self) -> None:
        """The claims panel (filtered) and the claims drawn on the open document."""
        w = self.w
        doc_id = w.view.doc_id()
        f = w.panel.filters()
        whole = w.panel.whole_library.isChecked()
        try:
            rows = w.store.search(
                tag=f["tag"], verdict=f["verdict"], text=f["text"], document_id=None if whole else doc_id
            )
            if doc_id is None and not whole:
                rows = []
            shown = workflow.views(w.lib, rows)  # each document read once, not once per claim
            in_doc = workflow.views(w.lib, w.store.for_document(doc_id)) if doc_id else []
        except DoiChieuError as err:
            w.notify(for_window(err))
            return
        self.tags = w.store.tags()
        w.panel.set_claims(shown, self.tag_colors())
        w.view.set_claims(in_doc, self.tag_colors())
        w.panel.drop_claimed_suggestions([c.row for c in in_doc])  # claimed sentences are not suggested

    def _context_menu(self, widget: QWidget, pos: QPoint) -> None:
        self.context_menu().exec(widget.mapToGlobal(pos))

    def context_menu(self) -> QMenu:
        """The document's context menu for the selection (shown by a right-click)."""
        menu = QMenu(self.w)
        menu.addAction(self.w.action(Key.NEW_CLAIM))
        for row in self._claims_on_selected_sentences()[:5]:  # a claimed sentence: its claims, to edit
            quote = row.quote if len(row.quote) <= 40 else row.quote[:39] + "…"
            action = menu.addAction(f"Edit claim #{row.id} “{quote}”…")
            action.setObjectName("editClaim")
            action.triggered.connect(lambda _=False, claim_id=row.id: self.edit_claim(claim_id))
        menu.addMenu(self.tag_menu)
        menu.addSeparator()
        menu.addAction(self.w.action(Key.EDIT_ENGLISH))
        menu.addAction(self.w.action(Key.ACCEPT_NEXT))
        self.w.translation.add_review_actions(menu)  # revert to the machine English, clear ⚠
        alternatives = self.w.view.alternative_actions(menu)  # the engine's other translations
        if alternatives:
            menu.addMenu("Other &translations").addActions(alternatives)
        elif self.w.view.machine_segment() is not None:  # translated with beam 1: only the best was kept
            menu.addAction("Ask the model for other &translations", self.ask_alternatives)
        return menu

    def _claims_on_selected_sentences(self) -> list[ClaimRow]:
        model = self.w.view.model
        rows = self.w.view.selected_rows()
        if model is None or not rows:
            return []
        return self._covering(model.segments[rows[0]].start_char, model.segments[rows[-1]].end_char)

    def ask_alternatives(self) -> None:
        """The engine's other translations of the current sentence, computed now in the helper process;
        they appear under Other translations in this menu."""
        segment_id = self.w.view.machine_segment()
        doc_id = self.w.view.doc_id()
        if segment_id is None or doc_id is None:
            return
        self.w.jobs.start(
            "Asking the model for other translations",
            jobs.alternatives(self.w.helper, segment_id),
            on_done=lambda detail: self._alternatives_found(doc_id, detail),
            on_error=self.w.failed,
        )

    def _alternatives_found(self, doc_id: int, detail: Any) -> None:
        self.w.report(Changes(translations=True, document_id=doc_id))
        count = len(detail.alternatives)
        self.w.statusBar().showMessage(
            f"{count} other translations: right-click the sentence and pick one under Other translations"
            if count
            else "The model has no other translation of this sentence",
            10000,
        )

    # marking ------------------------------------------------------------------------------------------

    def _claim_target(self) -> Target | None:
        """(start, end, Vietnamese, English, English span or None) for what is selected now."""
        view = self.w.view
        target = view.selection_target()
        model = view.model
        if target is None or model is None:
            self.w.statusBar().showMessage("Select a sentence, or words in the panes under the table, first", 6000)
            return None
        kind, a, b = target
        if kind == "en":
            start, end = model.segments[a].start_char, model.segments[b].end_char
            pane = view.en_text.toPlainText()
            en_span = snap_to_words(pane, *view.english_selection())  # whole words, as they are stored
            view.select_words("en", *en_span)  # and shown so
            return start, end, view.cleaned[start:end], pane[en_span[0] : en_span[1]], en_span
        try:
            a, b = workflow.claim_span(view.cleaned, a, b)  # whole words: "Q dẫn đầu" is "TQ dẫn đầu"
        except DoiChieuError as err:
            self.w.notify(for_window(err))
            return None
        if kind == "vi":
            view.select_words("vi", a, b)  # the pane shows the words the claim takes
        segs = [s for s in model.segments if s.start_char < b and s.end_char > a]
        english = " ".join(model.translations[s.id].text for s in segs if s.id in model.translations)
        return a, b, view.cleaned[a:b], english, None

    def _words_selected(self) -> bool:
        """Words (not whole sentences) are selected in the Vietnamese or English pane."""
        target = self.w.view.selection_target()
        return target is not None and target[0] in ("vi", "en")

    def _covering(self, start: int, end: int) -> list[ClaimRow]:
        doc_id = self.w.view.doc_id()
        if doc_id is None:
            return []
        try:
            return workflow.claims_covering(self.w.lib, doc_id, start, end)
        except DoiChieuError as err:
            self.w.notify(for_window(err))
            return []

    def ask_about_duplicate(self, existing: ClaimRow, count: int) -> str:
        """EDIT, ADD or CANCEL: the words already hold a claim; a second one is made only when asked for."""
        tags = ", ".join(existing.tags) or "no tag"
        quote = existing.quote if len(existing.quote) <= 160 else existing.quote[:159] + "…"
        others = f" (and {count - 1} more)" if count > 1 else ""
        box = QMessageBox(QMessageBox.Icon.Question, "Already a claim", "", parent=self.w)
        box.setObjectName("duplicateClaimQuestion")
        box.setText(f"Claim #{existing.id}{others} already covers these words:")
        box.setInformativeText(f"“{quote}”\n[{tags}; {existing.verdict}]\n\nEdit it, or add a second claim?")
        edit = box.addButton("Edit the existing claim", QMessageBox.ButtonRole.AcceptRole)
        add = box.addButton("Add another claim", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(edit)
        self.question = box
        try:
            box.exec()
        finally:
            self.question = None
        clicked = box.clickedButton()
        return EDIT if clicked is edit else ADD if clicked is add else CANCEL

    def tag_claim(self) -> None:
        """Ctrl+T: the claim dialog with its tag list focused; on a sentence (or the very words) that
        already holds a claim, that claim's dialog."""
        self.new_claim(focus_tags=True, edit_existing=True)

    def new_claim(self, tag: str | None = None, focus_tags: bool = False, edit_existing: bool = False) -> None:
        """Ctrl+M: the New claim dialog for the selection. Over words that already hold a claim it asks
        first (edit that claim, or add another); with `edit_existing` (Ctrl+T) a claimed sentence, or
        exactly the claimed words, opens that claim without asking."""
        target = self._claim_target()
        if target is None:
            return
        start, end, vi, en, en_span = target
        covering = self._covering(start, end)
        if covering:
            existing = covering[0]
            plain = edit_existing and (not self._words_selected() or same_words(existing, start, end))
            choice = EDIT if plain else self.ask_about_duplicate(existing, len(covering))
            if choice == CANCEL:
                return
            if choice == EDIT:
                self.edit_claim(existing.id, focus_tags=focus_tags)
                return
        form = ClaimForm(tags=[tag] if isinstance(tag, str) else [])
        dialog = ClaimDialog(vi.strip(), en, self.tags, form, parent=self.w)
        self.dialog = dialog
        dialog.finished.connect(lambda code: self._claim_dialog_done(dialog, code, start, end, en_span))
        dialog.open()
        if focus_tags:
            dialog.tag_list.setFocus()

    def _claim_dialog_done(
        self, dialog: ClaimDialog, code: int, start: int, end: int, en_span: tuple[int, int] | None
    ) -> None:
        self.dialog = None
        if code != ClaimDialog.DialogCode.Accepted:
            return
        form = dialog.result_form()
        doc_id = self.w.view.doc_id()
        if doc_id is None:
            return
        try:
            claim_id = workflow.create_claim(
                self.w.lib, doc_id, start, end, tags=form.tags, note=form.note, verdict=form.verdict
            )
            self._after_claim_saved(claim_id, form, en_span)
        except DoiChieuError as err:
            self.w.notify(for_window(err))
        self.w.report(Changes(claims=True, document_id=doc_id))

    def _after_claim_saved(self, claim_id: int, form: ClaimForm, en_span: tuple[int, int] | None) -> None:
        if en_span is not None and en_span[0] < en_span[1]:
            workflow.set_english_span(self.w.lib, claim_id, *en_span)
        if form.has_evidence():
            self.w.store.add_evidence(
                claim_id, url=form.evidence_url, citation=form.evidence_citation, quote=form.evidence_quote
            )

    def edit_claim(self, claim_id: int, focus_tags: bool = False) -> None:
        w = self.w
        try:
            row = w.store.get(claim_id)
            history = claim_history(w.lib, claim_id)
        except DoiChieuError as err:
            w.notify(for_window(err))
            return
        shown = workflow.view(w.lib, row)
        form = ClaimForm(tags=list(row.tags), verdict=row.verdict, note=row.note)
        title = f"Claim #{claim_id}"
        dialog = ClaimDialog(row.quote, shown.english, self.tags, form, row.evidence, w, title, history)
        self.dialog = dialog
        w.panel.select_claim(claim_id)

        def done(code: int) -> None:
            self.dialog = None
            if code != ClaimDialog.DialogCode.Accepted:
                return
            new = dialog.result_form()
            try:
                w.store.set_tags(claim_id, new.tags)
                w.store.set_verdict(claim_id, new.verdict)
                if new.note != row.note:
                    w.store.set_note(claim_id, new.note)
                for edit in new.evidence_edits:
                    if edit.url or edit.citation:
                        w.store.update_evidence(edit.id, url=edit.url, citation=edit.citation, quote=edit.quote)
                    else:  # every cell emptied: taken as removing it
                        w.store.delete_evidence(edit.id)
                for evidence_id in new.evidence_removed:
                    w.store.delete_evidence(evidence_id)
                self._after_claim_saved(claim_id, new, None)
            except DoiChieuError as err:
                w.notify(for_window(err))
            w.report(Changes(claims=True, document_id=row.document_id))

        dialog.finished.connect(done)
        dialog.open()
        if focus_tags:
            dialog.tag_list.setFocus()

    def delete_claim(self, claim_id: int) -> None:
        answer = QMessageBox.question(self.w, "Delete claim", f"Delete claim #{claim_id} with its note and evidence?")
        if answer == QMessageBox.StandardButton.Yes:
            self.w.store.delete(claim_id)
            self.w.report(Changes(claims=True))
            self.load_suggestions()  # its sentence may be suggested again

    def go_to_claim(self, claim_id: int, select: bool = True) -> None:
        try:
            row = self.w.store.get(claim_id)
        except DoiChieuError as err:
            self.w.notify(for_window(err))
            return
        if row.document_id != self.w.view.doc_id():
            self.w.library.open_document(row.document_id)
        self.w.view.go_to_offset(row.start)
        self._visited = claim_id
        if select:
            self.w.panel.select_claim(claim_id)

    def next_claim(self) -> None:
        """F8: the open document's next claim after the current one (or after the current sentence)."""
        self._step_claim(+1)

    def previous_claim(self) -> None:
        """Shift+F8: the open document's claim before the current one."""
        self._step_claim(-1)

    def _step_claim(self, step: int) -> None:
        view = self.w.view
        model = view.model
        if model is None:
            return
        claims = sorted((c.row for c in model.claims if c.row.status == "attached"), key=lambda r: (r.start, r.id))
        if not claims:
            self.w.statusBar().showMessage("This document has no claims", 4000)
            return
        rows = view.selected_rows()
        seg = model.segments[rows[0]] if rows else None
        order = [(r.start, r.id) for r in claims]
        visited = next((r for r in claims if r.id == self._visited), None)
        if visited is not None and seg is not None and seg.start_char <= visited.start < seg.end_char:
            here = (visited.start, visited.id)  # still on the claim it went to last
        elif seg is not None:
            here = (seg.start_char, -1)  # forward: a claim at this sentence first; back: those before it
        else:
            here = (-1, -1)
        if step > 0:
            found = next((claims[i] for i, key in enumerate(order) if key > here), None)
        else:
            found = next((claims[i] for i in reversed(range(len(order))) if order[i] < here), None)
        if found is None:
            self.w.statusBar().showMessage("No more claims " + ("after" if step > 0 else "before") + " this one", 4000)
            return
        self.go_to_claim(found.id)

    def apply_tag_key(self, key: str) -> None:
        tag = next((t for t in self.tags if t.shortcut == key), None)
        if tag is not None:
            self.apply_tag(tag.name)

    def apply_tag(self, name: str) -> None:
        """Add the tag to the claims on the selected sentence; with no claim there (or words selected
        in a pane), mark the selection as a new claim with that tag, without a dialog."""
        w = self.w
        model = w.view.model
        doc_id = w.view.doc_id()
        if model is None or doc_id is None:
            return
        target = w.view.selection_target()
        if target is None:
            return
        found = self._claim_target()
        if found is None:
            return
        start, end, _vi, _en, en_span = found
        covering = self._covering(start, end)
        words = self._words_selected()
        if covering and words and not same_words(covering[0], start, end):
            choice = self.ask_about_duplicate(covering[0], len(covering))
            if choice == CANCEL:
                return
            covering = covering[:1] if choice == EDIT else []  # ADD: a second claim over these words
        elif covering and words:
            covering = covering[:1]  # exactly these words: that claim
        try:
            if covering:  # a claimed sentence (every claim on it), or the claimed words: tagged, no new claim
                for row in covering:
                    if name not in row.tags:
                        w.store.set_tags(row.id, [*row.tags, name])
            else:
                claim_id = workflow.create_claim(w.lib, doc_id, start, end, tags=[name])
                self._after_claim_saved(claim_id, ClaimForm(), en_span)
        except DoiChieuError as err:
            w.notify(for_window(err))
        w.statusBar().showMessage(f"Tagged: {name}", 4000)
        w.report(Changes(claims=True, document_id=doc_id))

    # suggestions --------------------------------------------------------------------------------------

    def load_suggestions(self) -> None:
        doc_id = self.w.view.doc_id()
        if doc_id is None:
            return
        self.w.jobs.start(
            "Looking for likely claims",
            jobs.suggestions(self.w.helper, doc_id),
            on_done=partial(self._suggested, doc_id),
            on_error=lambda e: self.w.panel.set_suggestions([], f"({for_window(e)})"),
            cancellable=False,
        )

    def _suggested(self, doc_id: int, rows: list[Any]) -> None:
        if self.w.view.doc_id() == doc_id:  # not another document opened meanwhile
            self.w.panel.set_suggestions(rows)

    def accept_suggestion(self, suggestion: Any) -> None:
        doc_id = self.w.view.doc_id()
        if doc_id is None or suggestion is None:
            return
        try:
            workflow.create_claim(self.w.lib, doc_id, suggestion.start, suggestion.end, origin="suggestion")
        except DoiChieuError as err:
            self.w.notify(for_window(err))
            return
        self._next_suggestion(self.w.panel.remove_suggestion(suggestion))
        self.w.report(Changes(claims=True, document_id=doc_id))

    def dismiss_suggestion(self, suggestion: Any) -> None:
        doc_id = self.w.view.doc_id()
        if doc_id is None or suggestion is None:
            return
        from app.core.claims.suggest import suggestion_key

        self.w.store.dismiss_suggestion(doc_id, suggestion_key(suggestion.text), suggestion.text)
        self._next_suggestion(self.w.panel.remove_suggestion(suggestion))

    def _next_suggestion(self, row: int) -> None:
        """After Accept/Dismiss the next suggestion is current, so the keys can go on through the list."""
        panel = self.w.panel
        if row >= 0 and panel.suggestions.rowCount():
            panel.select_suggestion(min(row, panel.suggestions.rowCount() - 1))

    def _suggestion_here(self) -> Any:
        """The suggestion chosen in the panel, else the one of the document's current sentence."""
        panel = self.w.panel
        chosen = panel.current_suggestion()
        if chosen is not None:
            return chosen
        rows = self.w.view.selected_rows()
        model = self.w.view.model
        if not rows or model is None:
            return None
        seg = model.segments[rows[0]]
        return next((s for s in panel.suggestions.rows if s.start < seg.end_char and seg.start_char < s.end), None)

    def accept_current_suggestion(self) -> None:
        """Ctrl+Shift+A"""
        suggestion = self._suggestion_here()
        if suggestion is None:
            self.w.statusBar().showMessage("Choose a suggested claim first", 4000)
            return
        self.accept_suggestion(suggestion)

    def dismiss_current_suggestion(self) -> None:
        """Ctrl+Shift+D"""
        suggestion = self._suggestion_here()
        if suggestion is None:
            self.w.statusBar().showMessage("Choose a suggested claim first", 4000)
            return
        self.dismiss_suggestion(suggestion)
