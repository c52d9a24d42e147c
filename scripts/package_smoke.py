#!/usr/bin/env python3
"""Check the packaged app in dist/ against the source version (issue 8). Run after `scripts/dev.py package`:

    .venv/bin/python scripts/package_smoke.py [--dist dist] [--platform xvfb|offscreen|native] [--runs 3]

1. `clean` (text and --json) of both samples: output identical to `main.py clean`.
2. `import` of both samples: `list --json` and `show --json` identical (timestamps and paths left out).
3. A generated PDF (tests/pdf_factory.flow_pdf) through `clean`: the frozen `_pdf-worker` child process;
   then a scanned page (PDF and PNG) read by OCR there with the shipped tessdata (issue 17); the
   hidden `_pages-worker` and `_ocr-worker` commands asked directly.
4. `models install` of the tiny test model, `translate`, `show --json`: identical to the source version;
   then `export` to HTML, PDF and DOCX.
5. The window: the frozen app started with DOICHIEU_SCREENSHOT saves a PNG of its main window once shown
   and quits; the time from start to that file is the start-up time (the first run is cold).
6. `DoiChieu --open SAMPLE` (the .desktop entry's Exec): the window imports the file in its multiprocessing
   helper process (spawned: the frozen binary again, through freeze_support); `list --json` then shows it.
7. The size of the build and its biggest parts.

Every run uses its own temporary data folder. Exits 1 if any check fails.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "tests" / "fixtures").glob("*.vi.txt"))
TINY_MODEL = ROOT / "tests" / "fixtures" / "generated" / "tiny-vi_en.argosmodel"
SIZE_TARGET_MB = 250
START_TARGET_S = 3.0
SCREENSHOT_ENV = "DOICHIEU_SCREENSHOT"  # app/gui/__init__.py


class Smoke:
    def __init__(self, dist: Path) -> None:
        self.dist = dist
        self.failures: list[str] = []
        self.report: dict[str, Any] = {}
        self.tmp = Path(tempfile.mkdtemp(prefix="doichieu-smoke-"))
        self.pdf_path: Path | None = None

    # the two programs ---------------------------------------------------------------------------

    def frozen_cli(self) -> list[str]:
        if sys.platform == "win32":
            return [str(self.dist / "DoiChieu" / "doichieu-cli.exe")]
        if sys.platform == "darwin":
            return [str(self.dist / "DoiChieu.app" / "Contents" / "MacOS" / "DoiChieu")]
        return [str(self.dist / "DoiChieu" / "DoiChieu")]

    def frozen_gui(self) -> list[str]:
        if sys.platform == "win32":
            return [str(self.dist / "DoiChieu" / "DoiChieu.exe")]
        return self.frozen_cli()

    @staticmethod
    def source_cli() -> list[str]:
        return [sys.executable, str(ROOT / "main.py")]

    def run(self, prog: list[str], args: list[str], data: Path, timeout: float = 300) -> subprocess.CompletedProcess:
        env = {**os.environ, "DOICHIEU_DATA_DIR": str(data), "PYTHONIOENCODING": "utf-8"}
        return subprocess.run([*prog, *args], capture_output=True, env=env, timeout=timeout, cwd=ROOT)

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        print(f"{'ok  ' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}", flush=True)
        if not ok:
            self.failures.append(name)
        return ok

    def same(self, name: str, args: list[str], *, data: tuple[Path, Path] | None = None, scrub: bool = False) -> bool:
        """Run `args` with the source and the frozen app; compare exit codes and stdout."""
        src_data, frz_data = data or (self.tmp / "data-src-oneoff", self.tmp / "data-frz-oneoff")
        t0 = time.perf_counter()
        src = self.run(self.source_cli(), args, src_data)
        t1 = time.perf_counter()
        frz = self.run(self.frozen_cli(), args, frz_data)
        t2 = time.perf_counter()
        a, b = src.stdout, frz.stdout
        if scrub:
            a, b = (json.dumps(_scrub(json.loads(x)), sort_keys=True).encode() if x.strip() else x for x in (a, b))
        ok = src.returncode == frz.returncode == 0 and a == b and bool(a.strip())
        detail = f"{len(b)} bytes, source {t1 - t0:.2f} s, frozen {t2 - t1:.2f} s"
        if not ok:
            detail += f"\n    source rc={src.returncode} stderr={src.stderr[-400:]!r}"
            detail += f"\n    frozen rc={frz.returncode} stderr={frz.stderr[-400:]!r}"
            if a != b:
                detail += f"\n    outputs differ (source {len(a)} bytes, frozen {len(b)} bytes)"
        return self.check(name, ok, detail)

    # checks ---------------------------------------------------------------------------------------

    def clean(self) -> None:
        for sample in SAMPLES:
            rel = str(sample.relative_to(ROOT))
            self.same(f"clean {sample.name}", ["clean", rel])
            self.same(f"clean --json {sample.name}", ["clean", rel, "--json"])

    def library(self) -> None:
        src, frz = self.tmp / "data-src", self.tmp / "data-frz"
        rels = [str(s.relative_to(ROOT)) for s in SAMPLES]
        self.same("import both samples", ["import", *rels], data=(src, frz))
        self.same("list --json", ["list", "--json"], data=(src, frz), scrub=True)
        for doc in range(1, len(SAMPLES) + 1):
            self.same(f"show {doc} --json", ["show", str(doc), "--json"], data=(src, frz), scrub=True)

    def pdf(self) -> None:
        sys.path.insert(0, str(ROOT))
        from tests.pdf_factory import flow_pdf

        paragraphs = [s.read_text(encoding="utf-8").split("\n\n")[0] for s in SAMPLES]
        path = flow_pdf(self.tmp / "flow.pdf", paragraphs * 3, title="Báo cáo thử", columns=2, page_numbers=True)
        self.pdf_path = path
        self.same("clean generated PDF (_pdf-worker child)", ["clean", str(path)])
        self.same("clean --json generated PDF", ["clean", str(path), "--json"])

    def scan(self) -> None:
        """A scanned page (Vietnamese text drawn with Noto Sans, rasterised at 200 dpi, as a PDF page
        and as a PNG) through `clean`: OCR in the frozen `_pdf-worker` child with the shipped tessdata."""
        import pymupdf
        import pymupdf_fonts

        text = SAMPLES[0].read_text(encoding="utf-8").split("\n\n")[0][:600]
        page = pymupdf.open().new_page(width=420, height=300)
        page.insert_font(fontname="noto", fontbuffer=pymupdf_fonts.myfont("notos"))
        page.insert_textbox(pymupdf.Rect(20, 20, 400, 290), text, fontname="noto", fontsize=10)
        png = page.get_pixmap(dpi=200, colorspace=pymupdf.csGRAY).tobytes("png")
        scan = pymupdf.open()
        image = scan.new_page(width=420, height=300)
        image.insert_image(image.rect, stream=png)
        pdf, photo = self.tmp / "scan.pdf", self.tmp / "scan.png"
        scan.save(pdf)
        photo.write_bytes(png)
        self.same("clean scanned PDF (OCR in the _pdf-worker child)", ["clean", str(pdf)])
        self.same("clean scanned PNG (OCR)", ["clean", str(photo)])
        frz = self.run(self.frozen_cli(), ["clean", str(pdf)], self.tmp / "data-frz-oneoff")
        words = text.split()[:6]
        read = " ".join(frz.stdout.decode("utf-8", "replace").split())
        self.check("frozen OCR reads the page", " ".join(words) in read, f"{' '.join(words)!r} in {read[:120]!r}")

    def workers(self) -> None:
        """The frozen binary's hidden worker commands (`_pages-worker`, `_ocr-worker`) answer as the
        source's modules do. Asked directly: in an import a failing worker only shows as slowness, the
        child then reads its pages itself."""
        import pickle

        from app.core.ingest import ocr, pdf_pages, workers

        assert self.pdf_path is not None
        task = {"path": str(self.pdf_path), "strip": False, "password": "", "start": 0, "stop": 2}
        answers = []
        for prog in ([sys.executable, "-m", "app.core.ingest.pdf_pages"], [*self.frozen_cli(), "_pages-worker"]):
            proc = workers.start(prog, task)
            answers.append(pdf_pages._answer(proc) if proc else None)
            if proc:
                workers.stop(proc)
        src, frz = (a[0] if a else None for a in answers)
        self.check("frozen _pages-worker reads pages as the source does", bool(src) and src == frz)
        scan = self.tmp / "scan.pdf"
        spool = self.tmp / "spool"
        spool.mkdir(exist_ok=True)
        tessdata = ocr.tessdata_dir()
        task = {"path": str(scan), "strip": False, "tessdata": str(tessdata), "lang": "vie", "pages": [(0, 1)]}
        proc = workers.start([*self.frozen_cli(), "_ocr-worker"], {**task, "spool": str(spool)})
        frames: list[tuple[int, str]] = []
        if proc:
            assert proc.stdout is not None
            with contextlib.suppress(EOFError, pickle.UnpicklingError):
                while len(frames) < 2:
                    frames.append(pickle.load(proc.stdout))
            workers.stop(proc)
        result = pickle.loads(Path(frames[1][1]).read_bytes()) if len(frames) == 2 else None
        text = " ".join(ln.text for ln in result.page.lines) if result else ""
        self.check("frozen _ocr-worker reads a scanned page", len(text) > 100, f"{text[:60]!r}")

    def translate(self) -> None:
        if not TINY_MODEL.is_file():
            self.check("tiny model present", False, f"{TINY_MODEL} missing: run `python3 scripts/dev.py test` once")
            return
        src, frz = self.tmp / "data-src", self.tmp / "data-frz"
        for name, prog, data in (("source", self.source_cli(), src), ("frozen", self.frozen_cli(), frz)):
            res = self.run(prog, ["models", "install", str(TINY_MODEL)], data)
            self.check(f"models install ({name})", res.returncode == 0, res.stdout.decode(errors="replace").strip())
        self.same("models list --json", ["models", "list", "--json"], data=(src, frz), scrub=True)
        self.same("translate 2", ["translate", "2"], data=(src, frz))
        self.same("show 2 --json after translate", ["show", "2", "--json"], data=(src, frz), scrub=True)
        show = self.run(self.frozen_cli(), ["show", "2", "--json"], frz)
        english = [
            s.get("english") for p in json.loads(show.stdout).get("paragraphs", []) for s in p.get("sentences", [])
        ]
        self.check("frozen translations stored", any(english), f"{sum(map(bool, english))} sentences have English")
        for fmt in ("html", "pdf", "docx"):  # Jinja2 templates, Qt PDF with the Noto fonts, python-docx/lxml
            out = self.tmp / f"report.{fmt}"
            res = self.run(self.frozen_cli(), ["export", "2", "--format", fmt, "-o", str(out)], frz)
            size = out.stat().st_size if out.is_file() else 0
            self.check(f"export {fmt}", res.returncode == 0 and size > 0, f"{size} bytes {res.stderr[-300:]!r}")

    def window(self, platform: str, runs: int) -> None:
        env = dict(os.environ)
        xvfb: subprocess.Popen | None = None
        if platform == "xvfb":
            display = ":97"
            xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1600x1000x24", "-nolisten", "tcp"])
            time.sleep(1.0)
            env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb")
        elif platform == "offscreen":
            env["QT_QPA_PLATFORM"] = "offscreen"
        else:
            env.pop("QT_QPA_PLATFORM", None)
        times: list[float] = []
        shot = self.tmp / "window.png"
        try:
            for i in range(runs):
                data = self.tmp / f"data-gui-{i}"
                out = self.tmp / f"window-{i}.png"
                run_env = {**env, "DOICHIEU_DATA_DIR": str(data), SCREENSHOT_ENV: str(out)}
                t0 = time.perf_counter()
                proc = subprocess.Popen(
                    self.frozen_gui(),
                    env=run_env,
                    cwd=self.tmp,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                    **_own_group(),
                )
                seen = None
                while time.perf_counter() - t0 < 60:
                    if out.is_file() and out.stat().st_size > 0:
                        seen = time.perf_counter() - t0
                        break
                    if proc.poll() is not None and not out.is_file():
                        break
                    time.sleep(0.01)
                try:
                    _, err = proc.communicate(timeout=30)
                except subprocess.TimeoutExpired:
                    _stop_group(proc)
                    err = b""
                if seen is None:
                    self.check(f"window run {i + 1}", False, f"no screenshot; rc={proc.returncode} {err[-600:]!r}")
                    return
                times.append(seen)
                shutil.copy(out, shot)
            self.open_in_window(env)
        finally:
            if xvfb is not None:
                xvfb.terminate()
                xvfb.wait()
        final = self.dist / "smoke-window.png"
        shutil.copy(shot, final)
        warm = times[1:] or times
        seconds = [round(t, 2) for t in times]
        self.report["window"] = {"platform": platform, "seconds": seconds, "screenshot": str(final)}
        self.check(
            "window shown",
            True,
            f"{platform}: to first window {', '.join(f'{t:.2f}' for t in times)} s (first run cold); "
            f"screenshot {final}",
        )
        self.check(
            f"start-up ≤ {START_TARGET_S:.0f} s (median of warm runs)",
            statistics.median(warm) <= START_TARGET_S,
            f"{statistics.median(warm):.2f} s",
        )

    def open_in_window(self, env: dict[str, str]) -> None:
        data = self.tmp / "data-open"
        # a PDF too: window → helper process → `_pdf-worker` child, each the frozen binary (on Windows the
        # windowed DoiChieu.exe, whose stdout is the pipe the parent reads)
        files = [SAMPLES[0], *([self.pdf_path] if self.pdf_path else [])]
        proc = subprocess.Popen(
            [*self.frozen_gui(), "--open", *map(str, files)],
            env={**env, "DOICHIEU_DATA_DIR": str(data)},
            cwd=self.tmp,
            stdout=subprocess.DEVNULL,  # not our pipes: a surviving child would hold them open
            stderr=subprocess.DEVNULL,
            **_own_group(),
        )
        t0, titles = time.perf_counter(), []
        try:
            while time.perf_counter() - t0 < 60 and proc.poll() is None:
                time.sleep(0.5)
                res = self.run(self.frozen_cli(), ["list", "--json"], data)
                if res.returncode == 0 and res.stdout.strip():
                    titles = sorted(d["title"] for d in json.loads(res.stdout) if d.get("status") == "ready")
                    if len(titles) == len(files):
                        break
        finally:
            _stop_group(proc)  # the window and its helper process (a killed window leaves the helper behind)
        self.check(
            "--open imports through the helper process (text and PDF)",
            len(titles) == len(files),
            f"{titles} after {time.perf_counter() - t0:.1f} s",
        )

    def size(self) -> None:
        folder = self.dist / ("DoiChieu.app" if sys.platform == "darwin" else "DoiChieu")
        total = _size(folder)
        internal = next((p for p in (folder / "_internal", folder / "Contents" / "Frameworks") if p.is_dir()), folder)
        parts = sorted(((_size(p), p.name) for p in internal.iterdir()), reverse=True)[:12]
        self.report["size_mb"] = round(total / 1e6)
        print("biggest parts: " + ", ".join(f"{name} {size / 1e6:.0f} MB" for size, name in parts))
        self.check(f"size ≤ {SIZE_TARGET_MB} MB", total / 1e6 <= SIZE_TARGET_MB, f"{folder} {total / 1e6:.0f} MB")


def _own_group() -> dict[str, Any]:
    if sys.platform == "win32":
        return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    return {"start_new_session": True}


def _stop_group(proc: subprocess.Popen) -> None:
    """Stop a process started with `_own_group()` and every process it started."""
    if sys.platform == "win32":
        subprocess.run(["taskkill", "/F", "/T", "/PID", str(proc.pid)], capture_output=True)
    else:
        import signal

        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _size(path: Path) -> int:
    if path.is_symlink():
        return 0
    if path.is_file():
        return path.stat().st_size
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def _scrub(value: Any) -> Any:
    """Leave out what differs between two runs by design: timestamps and absolute paths."""
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in value.items() if not (k.endswith("_at") or k == "path" or k.endswith("_path"))}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    default_platform = "native"
    if sys.platform.startswith("linux") and not os.environ.get("DISPLAY"):
        default_platform = "xvfb" if shutil.which("Xvfb") else "offscreen"
    parser.add_argument("--platform", choices=["xvfb", "offscreen", "native"], default=default_platform)
    parser.add_argument("--runs", type=int, default=3, help="window start-ups to time (the first is cold)")
    parser.add_argument("--no-size-limit", action="store_true", help="report the size without failing on it")
    args = parser.parse_args(argv)
    smoke = Smoke(args.dist.resolve())
    if not Path(smoke.frozen_cli()[0]).is_file():
        print(f"no build at {smoke.frozen_cli()[0]}: run `python3 scripts/dev.py package` first", file=sys.stderr)
        return 2
    try:
        smoke.clean()
        smoke.library()
        smoke.pdf()
        smoke.scan()
        smoke.workers()
        smoke.translate()
        smoke.window(args.platform, args.runs)
        smoke.size()
    finally:
        shutil.rmtree(smoke.tmp, ignore_errors=True)
    failures = [f for f in smoke.failures if not (args.no_size_limit and f.startswith("size"))]
    print(json.dumps(smoke.report))
    print(f"{'FAILED: ' + ', '.join(failures) if failures else 'all checks passed'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
