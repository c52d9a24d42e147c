"""Which system libraries Qt's `xcb` platform (the Linux window) needs and this machine lacks.

PySide6 wheels carry Qt but not the X11 helper libraries (`libxcb-cursor0`, `libxcb-icccm4`, …). When
one is missing Qt aborts with "Could not load the Qt platform plugin xcb" and often names the wrong
library, so `scripts/dev.py run` asks `ldd` before it starts the window and prints the exact install
line for this distribution. Standard library only: it runs before the venv has anything in it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

# soname -> (Debian/Ubuntu, Fedora/RHEL, Arch, openSUSE) package holding it
PACKAGES: dict[str, tuple[str, str, str, str]] = {
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor", "xcb-util-cursor", "libxcb-cursor0"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm", "xcb-util-wm", "libxcb-icccm4"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms", "xcb-util-keysyms", "libxcb-keysyms1"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image", "xcb-util-image", "libxcb-image0"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util", "xcb-util", "libxcb-util1"),
    "libxcb-render-util.so.0": (
        "libxcb-render-util0",
        "xcb-util-renderutil",
        "xcb-util-renderutil",
        "libxcb-render-util0",
    ),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb", "libxcb", "libxcb-randr0"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb", "libxcb", "libxcb-render0"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb", "libxcb", "libxcb-shape0"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb", "libxcb", "libxcb-shm0"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb", "libxcb", "libxcb-sync1"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb", "libxcb", "libxcb-xfixes0"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb", "libxcb", "libxcb-xkb1"),
    "libxcb-xinerama.so.0": ("libxcb-xinerama0", "libxcb", "libxcb", "libxcb-xinerama0"),
    "libxcb.so.1": ("libxcb1", "libxcb", "libxcb", "libxcb1"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb", "libx11", "libX11-xcb1"),
    "libX11.so.6": ("libx11-6", "libX11", "libx11", "libX11-6"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11", "libxkbcommon-x11", "libxkbcommon-x11-0"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon", "libxkbcommon", "libxkbcommon0"),
    "libGL.so.1": ("libgl1", "libglvnd-glx", "libglvnd", "libGL1"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl", "libglvnd", "libEGL1"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig", "fontconfig", "libfontconfig1"),
    "libfreetype.so.6": ("libfreetype6", "freetype", "freetype2", "libfreetype6"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs", "dbus", "libdbus-1-3"),
    "libglib-2.0.so.0": ("libglib2.0-0", "glib2", "glib2", "libglib-2_0-0"),
}
# every Linux desktop needs these for Qt's xcb platform (the README lists them)
DEBIAN_PACKAGES = [
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-keysyms1",
    "libxcb-image0",
    "libxcb-render-util0",
    "libxcb-randr0",
    "libxcb-shape0",
    "libxcb-xinerama0",
    "libxcb-xkb1",
    "libxkbcommon-x11-0",
    "libegl1",
    "libgl1",
    "libfontconfig1",
    "libdbus-1-3",
]

_NOT_FOUND = re.compile(r"^\s*(\S+)\s*=>\s*not found", re.MULTILINE)
_INSTALL = {
    0: "sudo apt-get install -y",
    1: "sudo dnf install -y",
    2: "sudo pacman -S --needed",
    3: "sudo zypper install -y",
}


def missing_sonames(ldd_output: str) -> list[str]:
    """The libraries `ldd` could not find, in order, each once."""
    return list(dict.fromkeys(_NOT_FOUND.findall(ldd_output)))


def distro_family(os_release: str) -> int:
    """0 Debian/Ubuntu, 1 Fedora/RHEL, 2 Arch, 3 openSUSE, from /etc/os-release's ID and ID_LIKE."""
    ids = " ".join(re.findall(r"^(?:ID|ID_LIKE)=\"?([^\"\n]*)", os_release, re.MULTILINE)).lower()
    for family, names in ((1, ("fedora", "rhel", "centos")), (2, ("arch",)), (3, ("suse",))):
        if any(name in ids for name in names):
            return family
    return 0


def install_line(sonames: list[str], family: int = 0) -> str:
    """The command that installs the packages holding `sonames` (unknown sonames are named as such)."""
    packages = [PACKAGES[s][family] if s in PACKAGES else s for s in sonames]
    return f"{_INSTALL[family]} {' '.join(dict.fromkeys(packages))}"


def xcb_plugin_files(site_packages_pyside: Path) -> list[Path]:
    qt = site_packages_pyside / "Qt"
    return [p for p in (qt / "plugins" / "platforms" / "libqxcb.so", qt / "lib" / "libQt6XcbQpa.so.6") if p.exists()]


def check(python: Path) -> str | None:
    """A message naming the missing libraries and the install line, or None when the window can start
    (or the question does not apply: not Linux, another Qt platform chosen, no `ldd`, no PySide6)."""
    if not sys.platform.startswith("linux") or os.environ.get("DOICHIEU_SKIP_QT_CHECK"):
        return None
    if os.environ.get("QT_QPA_PLATFORM", "xcb").split(":")[0] not in ("xcb", ""):
        return None
    ldd = shutil.which("ldd")
    if ldd is None:
        return None
    where = subprocess.run(
        [str(python), "-c", "import os, PySide6; print(os.path.dirname(PySide6.__file__))"],
        capture_output=True,
        text=True,
    )
    if where.returncode:
        return None
    missing: list[str] = []
    for lib in xcb_plugin_files(Path(where.stdout.strip())):
        out = subprocess.run([ldd, str(lib)], capture_output=True, text=True).stdout
        missing += [s for s in missing_sonames(out) if s not in missing and not s.startswith("libQt6")]
    if not missing:
        return None
    try:
        os_release = Path("/etc/os-release").read_text(encoding="utf-8", errors="replace")
    except OSError:
        os_release = ""
    return (
        "DoiChieu's window needs system libraries that Qt's X11 platform uses and this machine lacks: "
        f"{', '.join(missing)}.\nInstall them with:\n\n    {install_line(missing, distro_family(os_release))}\n\n"
        "then run `python3 scripts/dev.py run` again (set DOICHIEU_SKIP_QT_CHECK=1 to start anyway)."
    )
