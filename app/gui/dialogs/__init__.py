"""Dialogs: claim editor, model manager, layout review."""
