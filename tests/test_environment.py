"""The install stays lean: the heavy ML stacks that `argostranslate` would drag in are absent."""

from __future__ import annotations

import importlib.metadata

import pytest


@pytest.mark.parametrize("dist", ["torch", "stanza", "spacy", "argostranslate"])
def test_heavy_distribution_not_installed(dist: str) -> None:
    names = {(d.metadata["Name"] or "").lower() for d in importlib.metadata.distributions()}
    assert dist not in names


def test_argos_module_comes_from_the_lite_distribution() -> None:
    import argostranslate  # noqa: F401  (provided by argos-translate-lt)

    assert importlib.metadata.version("argos-translate-lt")
