"""Typed settings from ``settings.toml`` in the config folder.

Every setting has a safe default, so a missing file is normal. A malformed file
never stops the app: the defaults are used for whatever could not be read, and each
problem names its line and what to write instead.

Example ``settings.toml``::

    [voice]
    enabled = true      # read prompts aloud
    voice = ""          # a voice id from `guided-talk check --voices`; "" = default
    rate = 160          # words per minute
    volume = 1.0        # 0.0 to 1.0

    [recognition]
    engine = "whisper"  # whisper, sphinx, typed; online engines need allow_online
    model = "tiny.en"   # tiny.en, base, or a folder with a CTranslate2 Whisper model
    microphone = ""     # a capture device name from `guided-talk check`; "" = default
    allow_online = false
    end_after_silence = 0   # seconds of quiet that end a turn; 0 = off

    [privacy]
    keep = "transcripts"    # transcripts, scores or nothing

    [display]
    theme = "textual-dark"  # or "high-contrast", or any Textual theme

    [safety]
    country = ""        # e.g. "GB": whose help resources to show; "" = international

    [keys]              # remap a binding by its id, e.g. "session.pause" = "space"
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, is_dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from guided_talk.paths import config_dir
from guided_talk.toml_lines import locate_lines
from guided_talk.values import VOICE_RATE_RANGE, Privacy, RecognitionEngine


@dataclass(frozen=True)
class VoiceOptions:
    """How prompts are read aloud."""

    enabled: bool = True
    voice: str = ""
    rate: int = 160
    volume: float = 1.0


@dataclass(frozen=True)
class RecognitionOptions:
    """How speech is captured and recognised."""

    engine: RecognitionEngine = RecognitionEngine.WHISPER
    model: str = "tiny.en"
    microphone: str = ""
    allow_online: bool = False
    end_after_silence: float = 0.0


@dataclass(frozen=True)
class PrivacyOptions:
    """What is kept after a session."""

    keep: Privacy = Privacy.TRANSCRIPTS


@dataclass(frozen=True)
class SafetyOptions:
    """Which country's help resources to show (an ISO code; "" = international)."""

    country: str = ""


@dataclass(frozen=True)
class DisplayOptions:
    """How the app looks."""

    theme: str = "textual-dark"


@dataclass(frozen=True)
class Settings:
    """All settings, grouped as in the file."""

    voice: VoiceOptions = field(default_factory=VoiceOptions)
    recognition: RecognitionOptions = field(default_factory=RecognitionOptions)
    privacy: PrivacyOptions = field(default_factory=PrivacyOptions)
    display: DisplayOptions = field(default_factory=DisplayOptions)
    safety: SafetyOptions = field(default_factory=SafetyOptions)
    keys: dict[str, str] = field(default_factory=dict)

    def sections(self) -> dict[str, Any]:
        """The option groups by their name in the file: every dataclass field.

        ``keys`` is a plain mapping, read and written on its own.
        """
        groups = ((f.name, getattr(self, f.name)) for f in fields(self))
        return {name: value for name, value in groups if is_dataclass(value)}


#: Ranges where a setting is numeric (one of a few words: its type, a StrEnum, says which).
_RANGES = {
    ("voice", "rate"): VOICE_RATE_RANGE,
    ("voice", "volume"): (0.0, 1.0),
    ("recognition", "end_after_silence"): (0.0, 30.0),
}


def settings_path() -> Path:
    """The settings file in the config folder."""
    return config_dir() / "settings.toml"


def load_settings(path: Path | None = None) -> tuple[Settings, list[str]]:
    """Read settings; return them with a list of problems (empty when all is well)."""
    path = path or settings_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings(), []
    except (OSError, UnicodeDecodeError) as error:
        return Settings(), [f"{path}: could not be read ({error}); using the defaults"]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return Settings(), [f"{path}: {error}; using the defaults. Fix the line or delete the file"]
    return _build(data, text, str(path))


def _build(data: dict[str, Any], text: str, source: str) -> tuple[Settings, list[str]]:
    lines = locate_lines(text)
    problems: list[str] = []
    settings = Settings()
    for key, value in data.items():
        where = f"{source}:{lines.line((key,)) or '?'}"
        if key == "keys":
            settings = replace(settings, keys=_keys(value, where, problems))
        elif key in settings.sections() and isinstance(value, dict):
            section = getattr(settings, key)
            settings = replace(
                settings, **{key: _section(key, section, value, lines, source, problems)}
            )
        else:
            problems.append(f"{where}: unknown section [{key}]; it is ignored")
    return settings, problems


def _section(
    name: str, default: Any, values: dict[str, Any], lines: Any, source: str, problems: list[str]
) -> Any:
    known = {f.name: f for f in fields(default)}
    changes: dict[str, Any] = {}
    for key, value in values.items():
        where = f"{source}:{lines.line((name, key)) or '?'}"
        if key not in known:
            problems.append(
                f"{where}: [{name}] has no setting '{key}'; it is ignored "
                f"(known: {', '.join(known)})"
            )
            continue
        problem = _check(name, key, value, getattr(default, key))
        if problem:
            problems.append(f"{where}: {name}.{key} {problem}; using {getattr(default, key)!r}")
        else:
            changes[key] = _typed(value, type(getattr(default, key)))
    return replace(default, **changes)


def _check(section: str, key: str, value: Any, default: Any) -> str:
    """What is wrong with one value ("" when nothing)."""
    expected = type(default)
    is_bool = isinstance(value, bool)
    if issubclass(expected, StrEnum):
        choices = [str(choice) for choice in expected]
        if isinstance(value, str) and value in choices:
            return ""
        return f"should be one of {', '.join(choices)}, not {value!r}"
    if expected is float:
        fits = isinstance(value, int | float) and not is_bool
    else:
        fits = isinstance(value, expected) and (expected is bool or not is_bool)
    if not fits:
        return f"should be {_kind(expected)}, not {value!r}"
    bounds = _RANGES.get((section, key))
    if bounds and not bounds[0] <= value <= bounds[1]:
        return f"should be between {bounds[0]} and {bounds[1]}, not {value!r}"
    return ""


def _typed(value: Any, expected: type) -> Any:
    """A checked value as its setting's own type (a float, or one of a StrEnum)."""
    if expected is float or issubclass(expected, StrEnum):
        return expected(value)
    return value


def _keys(value: Any, where: str, problems: list[str]) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        problems.append(f'{where}: [keys] should map binding ids to key names, like pause = "p"')
        return {}
    return {str(k): str(v) for k, v in value.items()}


def _kind(expected: type) -> str:
    return {
        bool: "true or false",
        int: "a whole number",
        float: "a number",
        str: "text in quotes",
    }.get(expected, expected.__name__)


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write every setting to the file (0600), replacing it atomically."""
    path = path or settings_path()
    lines = ["# guided-talk settings; see `guided-talk --help` and the README.", ""]
    for name, section in settings.sections().items():
        lines.append(f"[{name}]")
        lines += [f"{f.name} = {_toml_value(getattr(section, f.name))}" for f in fields(section)]
        lines.append("")
    lines.append("[keys]")
    lines += [f"{_toml_value(k)} = {_toml_value(v)}" for k, v in settings.keys.items()]
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = path.with_suffix(".partial")
    partial.write_text("\n".join(lines) + "\n", encoding="utf-8")
    partial.chmod(0o600)
    partial.replace(path)
    return path
