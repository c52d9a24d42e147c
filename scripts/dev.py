#!/usr/bin/env python3
"""One entry point for developers and new users.

    python3 scripts/dev.py setup    create .venv and install the app (+ test extra)
    python3 scripts/dev.py run      setup, then start the app (extra arguments go to main.py)
    python3 scripts/dev.py test     setup, build test fixtures, type-check app/ (mypy), run the whole suite
                                    (extra args go to pytest)
    python3 scripts/dev.py lint     ruff over the tree
    python3 scripts/dev.py package  setup + the `package` extra, then build the app for this OS into dist/
                                    (PyInstaller, packaging/doichieu.spec; extra args go to pyinstaller)

Only the standard library is used here, so it runs on a bare Python 3.11+ (`py` on Windows).
A second `setup` with nothing changed only compares a stamp and returns at once.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import qt_libs

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = VENV / ".doichieu-installed"
PACKAGE_STAMP = VENV / ".doichieu-package-installed"  # its own stamp: `test` and `package` do not undo each other
SPEC = ROOT / "packaging" / "doichieu.spec"
FORBIDDEN = ("torch", "stanza", "spacy")


def venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def wanted_stamp(extras: str) -> str:
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes())
    digest.update(extras.encode())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def run(cmd: list[str | os.PathLike[str]], **kwargs: object) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, cwd=ROOT, **kwargs)  # type: ignore[arg-type]


def setup(extras: str = "test") -> Path:
    if sys.version_info < (3, 11):
        sys.exit(f"DoiChieu needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    py = venv_python()
    if not py.exists():
        print(f"creating {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    stamp = wanted_stamp(extras)
    if STAMP.exists() and STAMP.read_text().strip() == stamp:
        return py
    run([py, "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
    target = f".[{extras}]" if extras else "."
    run([py, "-m", "pip", "install", "--quiet", "-e", target])
    check_forbidden(py)
    STAMP.write_text(stamp)
    return py


def check_forbidden(py: Path) -> None:
    """Fail loudly if a heavy ML stack slipped in through a dependency."""
    code = (
        "import importlib.metadata as m, sys;"
        "names={(d.metadata['Name'] or '').lower() for d in m.distributions()};"
        f"bad=[n for n in {FORBIDDEN!r} if n in names];"
        "print(' '.join(bad)); sys.exit(1 if bad else 0)"
    )
    res = subprocess.run([str(py), "-c", code], capture_output=True, text=True)
    if res.returncode:
        sys.exit(f"forbidden packages installed in .venv: {res.stdout.strip()} (see README: no torch)")


def build_fixtures(py: Path) -> None:
    script = ROOT / "tests" / "make_fixtures.py"
    if script.exists():
        run([py, script])


def package(rest: list[str]) -> int:
    py = setup()
    stamp = wanted_stamp("package")
    if not (PACKAGE_STAMP.exists() and PACKAGE_STAMP.read_text().strip() == stamp):
        run([py, "-m", "pip", "install", "--quiet", "-e", ".[package]"])
        check_forbidden(py)
        PACKAGE_STAMP.write_text(stamp)
    dist, work = ROOT / "dist", ROOT / "build" / "pyinstaller"
    cmd = [py, "-m", "PyInstaller", "--noconfirm", "--distpath", dist, "--workpath", work, *rest, SPEC]
    print("+", " ".join(str(c) for c in cmd), flush=True)
    code = subprocess.call([str(c) for c in cmd], cwd=ROOT)
    if code == 0:
        app = dist / ("DoiChieu.app" if sys.platform == "darwin" else "DoiChieu")
        size = sum(f.stat().st_size for f in app.rglob("*") if f.is_file() and not f.is_symlink())
        print(f"built {app} ({size / 1e6:.0f} MB)")
    return code


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return 0
    cmd, rest = argv[0], argv[1:]
    env = dict(os.environ)
    if cmd == "setup":
        setup()
        print("setup done: .venv is ready")
        return 0
    if cmd == "run":
        py = setup()
        problem = qt_libs.check(py)  # Linux: Qt's xcb platform needs system libraries pip cannot bring
        if problem:
            print(problem, file=sys.stderr)
            return 1
        return subprocess.call([str(py), str(ROOT / "main.py"), *rest], cwd=ROOT, env=env)
    if cmd == "test":
        py = setup()
        build_fixtures(py)
        print("+ mypy (app/)", flush=True)  # type hints are checked before the suite, as CI does
        if subprocess.call([str(py), "-m", "mypy"], cwd=ROOT):
            return 1
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        return subprocess.call([str(py), "-m", "pytest", *rest], cwd=ROOT, env=env)
    if cmd == "package":
        return package(rest)
    if cmd == "lint":
        py = setup()
        return subprocess.call([str(py), "-m", "ruff", "check", "."], cwd=ROOT)
    print(f"unknown command {cmd!r}\n{__doc__}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
