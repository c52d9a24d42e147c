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
