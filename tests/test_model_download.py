"""The pinned package download against a real HTTP server on 127.0.0.1 (never the real mirrors):
an interrupted transfer resumes with a Range request, a server that ignores Range is restarted from
zero, and a wrong file (checksum or size) installs nothing and says so in one line."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from app.core.errors import ModelError
from app.core.translate import download, packages
from app.core.translate.engine import Engine

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Served:
    files: dict[str, bytes] = field(default_factory=dict)
    drop_after: int | None = None  # drop the connection once after this many body bytes
    honour_range: bool = True
    requests: list[tuple[str, str | None]] = field(default_factory=list)  # (path, Range header)


def _handler(state: Served) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # quiet
            return

        def do_GET(self) -> None:  # http.server's naming
            state.requests.append((self.path, self.headers.get("Range")))
            body = state.files.get(self.path.removeprefix("/v1/"))  # only under /v1/: other mirrors 404
            if body is None:
                self.send_error(404)
                return
            start = 0
            wanted = self.headers.get("Range")
            if wanted and state.honour_range:
                start = int(wanted.removeprefix("bytes=").split("-")[0])
                if start >= len(body):
                    self.send_response(416)
                    self.send_header("Content-Range", f"bytes */{len(body)}")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(206)
                self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
            else:
                self.send_response(200)
            self.send_header("Content-Length", str(len(body) - start))
            self.send_header("Accept-Ranges", "bytes")
            self.end_headers()
            if state.drop_after is not None:
                cut, state.drop_after = state.drop_after, None
                self.wfile.write(body[start : start + cut])
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(2)  # the transfer stops mid-file
                return
            self.wfile.write(body[start:])

    return Handler


@pytest.fixture
def server() -> Iterator[tuple[str, Served]]:
    state = Served()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/v1/", state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def leftovers(folder: Path) -> list[str]:
    """Downloaded bytes left in the downloads folder (the empty .lock files do not count)."""
    return sorted(p.name for p in folder.iterdir() if p.suffix != ".lock")


def pin_for(data: bytes, name: str = "translate-vi_en-tiny.argosmodel") -> download.Pin:
    return download.Pin(name, len(data), hashlib.sha256(data).hexdigest(), "vi", "en", mirrors=())


def test_interrupted_transfer_resumes_then_installs_and_translates(
    server: tuple[str, Served], tiny_model_path: Path, data_dir: Path
) -> None:
    url, state = server
    data = tiny_model_path.read_bytes()
    pin = pin_for(data)
    state.files[pin.file] = data
    cut = len(data) // 3
    state.drop_after = cut
    with pytest.raises(ModelError, match="run the command again to resume"):
        download.download(pin, mirrors=[url], attempts=1)
    part = download.downloads_dir() / (pin.file + ".part")
    assert part.stat().st_size == cut  # what arrived is kept
    seen: list[tuple[int, int]] = []
    path = download.download(pin, mirrors=[url], progress=lambda done, total: seen.append((done, total)))
    assert path.read_bytes() == data and not part.exists()
    assert state.requests[-1] == (f"/v1/{pin.file}", f"bytes={cut}-")  # resumed, not restarted
    assert len(state.requests) == 2
    assert seen[0][0] > cut and seen[-1] == (len(data), len(data))
    info = packages.install_package(path)
    assert Engine(info).translate(["Xin chào."])[0]


def test_a_drop_within_one_call_resumes_with_range(
    server: tuple[str, Served], tiny_model_path: Path, data_dir: Path
) -> None:
    url, state = server
    data = tiny_model_path.read_bytes()
    pin = pin_for(data)
    state.files[pin.file] = data
    state.drop_after = 1000
    assert download.download(pin, mirrors=[url]).read_bytes() == data
    assert [r for _, r in state.requests] == [None, "bytes=1000-"]


def test_a_server_that_ignores_range_is_restarted_from_zero(
    server: tuple[str, Served], tiny_model_path: Path, data_dir: Path
) -> None:
    url, state = server
    data = tiny_model_path.read_bytes()
    pin = pin_for(data)
    state.files[pin.file] = data
    state.honour_range = False
    state.drop_after = 5000
    path = download.download(pin, mirrors=[url])
    assert path.read_bytes() == data  # not 5000 bytes + the whole file again
    assert [r for _, r in state.requests] == [None, "bytes=5000-"]


def test_mirrors_are_tried_in_order(server: tuple[str, Served], tiny_model_path: Path, data_dir: Path) -> None:
    url, state = server
    data = tiny_model_path.read_bytes()
    pin = pin_for(data)
    state.files[pin.file] = data
    path = download.download(pin, mirrors=[url.replace("/v1/", "/gone/"), url])
    assert path.read_bytes() == data
    assert [p for p, _ in state.requests] == [f"/gone/{pin.file}", f"/v1/{pin.file}"]  # 404, then the next


def test_wrong_checksum_deletes_the_partial_and_installs_nothing(
    server: tuple[str, Served], tiny_model_path: Path, data_dir: Path
) -> None:
    url, state = server
    data = tiny_model_path.read_bytes()
    pin = pin_for(data)
    state.files[pin.file] = data[:-1] + bytes([data[-1] ^ 1])  # same size, one bit flipped
    with pytest.raises(download.ChecksumError, match="nothing installed"):
        download.download(pin, mirrors=[url])
    assert leftovers(download.downloads_dir()) == []
    assert packages.list_packages() == []


def test_cli_download_of_the_pinned_file_refuses_a_wrong_file_in_one_line(
    server: tuple[str, Served], tiny_model_path: Path, tmp_path: Path
) -> None:
    """`models download vi en` uses the pinned vi→en 1.9 size and SHA-256; the local mirror serves
    another file under that name, so nothing may be installed."""
    url, state = server
    state.files[download.VI_EN.file] = tiny_model_path.read_bytes()
    data = tmp_path / "data"
    env = {**os.environ, "DOICHIEU_DATA_DIR": str(data), download.MIRRORS_ENV: url}
    res = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "models", "download", "vi", "en"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )
    assert res.returncode != 0
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "not the expected" in lines[0] and "nothing installed" in lines[0], res.stderr
    assert state.requests == [(f"/v1/{download.VI_EN.file}", None)]
    listed = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "models", "list", "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )
    assert json.loads(listed.stdout) == []
    assert leftovers(data / "models" / ".downloads") == []


def test_cli_download_resumes_and_installs_with_a_progress_bar(
    server: tuple[str, Served],
    tiny_model_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The CLI path end to end with the pin swapped for the tiny package (the only way to get a
    matching checksum offline): a dropped transfer resumes, a bar is drawn on stderr."""
    url, state = server
    body = tiny_model_path.read_bytes()
    state.files[download.VI_EN.file] = body
    state.drop_after = len(body) // 2
    monkeypatch.setenv("DOICHIEU_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv(download.MIRRORS_ENV, url)
    monkeypatch.setitem(download.PINNED, ("vi", "en"), pin_for(body, download.VI_EN.file))
    from app.cli import main

    assert main(["models", "download", "vi", "en"]) == 0
    err = capsys.readouterr().err
    assert "vi→en [" in err and "MB" in err and "#" * 30 in err  # the bar reached the end
    assert [r for _, r in state.requests] == [None, f"bytes={len(body) // 2}-"]
    assert [p.from_code for p in packages.list_packages()] == ["vi"]
    assert leftovers(download.downloads_dir()) == []  # the verified file was installed, then removed


def test_window_download_job_reports_bytes_through_the_job_progress(
    server: tuple[str, Served], tiny_model_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The model manager's Download button runs `jobs.download_package()`: a real JobContext's
    progress signal carries the bytes (the window's progress bar), and the package is installed."""
    from app.gui import jobs
    from app.gui.workers import JobContext, JobSignals

    url, state = server
    body = tiny_model_path.read_bytes()
    state.files[download.VI_EN.file] = body
    state.drop_after = len(body) // 3
    monkeypatch.setenv(download.MIRRORS_ENV, url)
    monkeypatch.setitem(download.PINNED, ("vi", "en"), pin_for(body, download.VI_EN.file))
    signals = JobSignals()
    seen: list[tuple[int, int, str]] = []
    signals.progress.connect(lambda done, total, message: seen.append((done, total, message)))
    info = jobs.download_package()(JobContext(signals))
    assert info.from_code == "vi" and packages.list_packages()[0].name == info.name
    assert seen[-1][:2] == (len(body), len(body)) and "MB" in seen[-1][2]
    assert [r for _, r in state.requests] == [None, f"bytes={len(body) // 3}-"]


def test_a_second_download_of_the_same_file_is_refused_while_one_runs(
    server: tuple[str, Served], tiny_model_path: Path, data_dir: Path
) -> None:
    """Two downloads (window and command) must not append to the same .part: the second is refused
    while the first holds the lock, and works once it is released."""
    import fcntl

    url, state = server
    data = tiny_model_path.read_bytes()
    pin = pin_for(data)
    state.files[pin.file] = data
    with open(download.downloads_dir() / (pin.file + ".lock"), "a+b") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(ModelError, match=r"another download of .* is running"):
            download.download(pin, mirrors=[url])
        assert state.requests == []  # refused before any byte was fetched
    assert download.download(pin, mirrors=[url]).read_bytes() == data
