"""`scripts/dev.py run` names the system libraries Qt's xcb platform lacks, with the install line."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import qt_libs  # noqa: E402

# `ldd libqxcb.so` on a Debian 12 machine with xvfb but without the xcb-util libraries (seen here)
LDD_SEEN = """\
\tlinux-vdso.so.1 (0x00007ffd1d9f5000)
\tlibGL.so.1 => /lib/x86_64-linux-gnu/libGL.so.1 (0x00007f0a1c0e1000)
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007f0a1c0db000)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibxcb-icccm.so.4 => not found
"""


def test_missing_libraries_give_the_debian_install_line() -> None:
    missing = qt_libs.missing_sonames(LDD_SEEN)
    assert missing == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]
    assert qt_libs.install_line(missing) == "sudo apt-get install -y libxcb-icccm4 libxcb-keysyms1"
    assert qt_libs.install_line(missing, 1) == "sudo dnf install -y xcb-util-wm xcb-util-keysyms"


@pytest.mark.parametrize(
    ("os_release", "family"),
    [
        ('PRETTY_NAME="Ubuntu 24.04"\nID=ubuntu\nID_LIKE=debian\n', 0),
        ('ID="fedora"\nVERSION_ID=41\n', 1),
        ('ID="rocky"\nID_LIKE="rhel centos fedora"\n', 1),
        ("ID=arch\n", 2),
        ('ID="opensuse-tumbleweed"\nID_LIKE="opensuse suse"\n', 3),
        ("", 0),
    ],
)
def test_distribution_family_from_os_release(os_release: str, family: int) -> None:
    assert qt_libs.distro_family(os_release) == family


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Qt's xcb platform is Linux only")
def test_every_x11_library_the_real_plugin_links_has_a_package() -> None:
    """Whatever of these a machine lacks, the message can name the package that brings it."""
    import PySide6

    files = qt_libs.xcb_plugin_files(Path(PySide6.__file__).parent)
    assert files, "the PySide6 wheel carries libqxcb.so"
    sonames: set[str] = set()
    for lib in files:
        out = subprocess.run(["ldd", str(lib)], capture_output=True, text=True).stdout
        sonames |= set(re.findall(r"^\s*(\S+)\s*=>", out, re.MULTILINE))
    x11 = {s for s in sonames if s.startswith(("libxcb", "libxkb", "libX11", "libEGL.", "libGL.", "libfontconfig"))}
    assert x11 >= {"libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxkbcommon-x11.so.0"}
    assert sorted(x11 - set(qt_libs.PACKAGES)) == []
    # the README lists the same Debian packages dev.py would name
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert all(p in readme for p in qt_libs.DEBIAN_PACKAGES)
