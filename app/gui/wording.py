"""The window's words for the core's errors: menus and buttons, never `main.py` or `--flags`.

A core error whose message holds one front-end's instructions carries the message without them as
`neutral` (app/core/errors.py); the window adds its own. No Qt here: the helper process uses it too."""

from __future__ import annotations

from app.core.errors import DoiChieuError, EncryptedPdfError, ModelError
from app.core.translate.packages import VI_EN_FILE

INSTALL_MODEL = (
    f"Get the Vietnamese→English package ({VI_EN_FILE}) and install it with Models › Install from file…, "
    "or drag it onto this window."
)


def for_window(err: BaseException) -> str:
    """What the window says about `err` (for a bug: its plain text; the crash dialog shows those)."""
    if not isinstance(err, DoiChieuError) or err.neutral is None:
        return str(err)
    if isinstance(err, ModelError):
        return f"{err.neutral}. {INSTALL_MODEL}"
    if isinstance(err, EncryptedPdfError):
        return f"{err.neutral}; type its password when DoiChieu asks for it."
    return err.neutral
