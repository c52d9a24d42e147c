from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent
SAMPLES = ("pdf_copy_supercomputers", "forum_post_ai_race")


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(params=SAMPLES)
def sample_name(request: pytest.FixtureRequest) -> str:
    return request.param


# --- translation fixtures (tiny random-weight vi→en package; see tests/make_tiny_model.py) ---


@pytest.fixture(scope="session")
def tiny_model_path() -> Path:
    """The tiny `.argosmodel`, built once (about a second) if missing or stale."""
    from tests.make_fixtures import ensure_tiny_model

    return ensure_tiny_model()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh DoiChieu data folder for this test (library, models, logs)."""
    path = tmp_path / "data"
    monkeypatch.setenv("DOICHIEU_DATA_DIR", str(path))
    return path


@pytest.fixture(autouse=True)
def _no_real_model_mirrors(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may reach the real model mirrors: the pinned download goes to the discard port unless
    a test points DOICHIEU_MODEL_MIRRORS at its own local server."""
    monkeypatch.setenv("DOICHIEU_MODEL_MIRRORS", "http://127.0.0.1:9/")
