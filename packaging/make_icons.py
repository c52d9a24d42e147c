"""Draw the app icon ("ĐC" on a rounded teal square) with Qt and write packaging/icons/doichieu.{png,ico,icns}
and the 256 px window icon resources/icons/doichieu.png.

    .venv/bin/python packaging/make_icons.py

The PNG is drawn by Qt (already a dependency); the .ico and .icns need Pillow (the `package` extra).
The outputs are committed, so a build does not need to run this.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent / "icons"
SIZE = 1024


def draw_png(out: Path) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QLinearGradient, QPainter, QPainterPath

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    image = QImage(SIZE, SIZE, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    # macOS-style margins: the square fills ~80 % of the canvas, so it sits well next to other icons
    margin = SIZE * 0.1
    square = QRectF(margin, margin, SIZE - 2 * margin, SIZE - 2 * margin)
    path = QPainterPath()
    path.addRoundedRect(square, SIZE * 0.18, SIZE * 0.18)
    gradient = QLinearGradient(square.topLeft(), square.bottomRight())
    gradient.setColorAt(0.0, QColor("#1abc9c"))
    gradient.setColorAt(1.0, QColor("#117864"))
    p.fillPath(path, gradient)
    font = QFont("DejaVu Sans")
    font.setPixelSize(int(SIZE * 0.36))
    font.setBold(True)
    p.setFont(font)
    p.setPen(QColor("white"))
    p.drawText(square, Qt.AlignmentFlag.AlignCenter, "ĐC")
    p.end()
    if not image.save(str(out)):
        raise SystemExit(f"could not write {out}")


def convert(png: Path) -> list[Path]:
    try:
        from PIL import Image
    except ImportError:
        print("Pillow is missing (pip install -e .[package]): only the PNG was written", file=sys.stderr)
        return []
    image = Image.open(png)
    ico, icns = png.with_suffix(".ico"), png.with_suffix(".icns")
    # the window icon at run time, also the Linux .desktop/AppImage icon (hicolor 256x256)
    small = ICONS.parents[1] / "resources" / "icons" / "doichieu.png"
    image.save(ico, sizes=[(s, s) for s in (16, 24, 32, 48, 64, 128, 256)])
    image.save(icns)  # Pillow writes every ICNS size from the 1024 px source
    image.resize((256, 256), Image.Resampling.LANCZOS).save(small)
    return [ico, icns, small]


def main() -> int:
    ICONS.mkdir(exist_ok=True)
    png = ICONS / "doichieu.png"
    draw_png(png)
    for out in [png, *convert(png)]:
        print(f"{out} ({out.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
