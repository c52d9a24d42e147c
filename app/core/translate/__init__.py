"""Offline vi→en translation: Argos packages (packages.py) run on CTranslate2 (engine.py), with
cheap checks on each output (quality.py). Import the submodules; this package imports nothing heavy."""
