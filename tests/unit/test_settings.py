"""Settings: defaults, every kind of mistake reported with its line, never a crash."""

from __future__ import annotations

import json
import tempfile
from dataclasses import fields
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from guided_talk.settings import Settings, load_settings
from guided_talk.values import Privacy
from tests.support.fuzzing import FUZZ, toml_literal


def _fields_of(section: str) -> list[Any]:
    value = getattr(Settings(), section)
    return list(fields(value)) if hasattr(value, "__dataclass_fields__") else []


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_missing_file_means_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "none.toml") == (Settings(), [])


def test_good_values_are_used(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[voice]\nrate = 140\nvolume = 1\n[privacy]\nkeep = "scores"\n[keys]\npause = "space"\n',
    )
    found, problems = load_settings(path)
    assert problems == []
    assert (found.voice.rate, found.voice.volume, found.privacy.keep) == (140, 1.0, "scores")
    assert found.keys == {"pause": "space"}


def test_each_mistake_names_its_line_and_keeps_the_default(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[voice]\nrate = "fast"\nenabled = 1\n[recognition]\nmodle = "x"\n'
        'engine = "alexa"\n[privacy]\nkeep = "everything"\n[other]\na = 1\n',
    )
    found, problems = load_settings(path)
    assert found == Settings()
    assert [p.split(": ", 1)[0] for p in problems] == [f"{path}:{n}" for n in (2, 3, 5, 6, 8, 9)]
    assert "should be a whole number" in problems[0]
    assert "has no setting 'modle'" in problems[2]
    assert "one of whisper, sphinx, typed, google" in problems[3]


def test_a_malformed_file_starts_on_defaults(tmp_path: Path) -> None:
    found, problems = load_settings(write(tmp_path, "[voice\nrate = 1\n"))
    assert found == Settings()
    assert "line 1" in problems[0] and "using the defaults" in problems[0]


def test_bad_bytes_start_on_defaults(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_bytes(b"\xff\xfe[voice]")
    found, problems = load_settings(path)
    assert found == Settings() and "could not be read" in problems[0]


def _load_text(text: str) -> tuple[Settings, list[str]]:
    with tempfile.TemporaryDirectory() as folder:
        return load_settings(write(Path(folder), text))


@FUZZ
@given(st.text())
def test_any_text_gives_settings_and_no_exception(text: str) -> None:
    found, problems = _load_text(text)
    assert isinstance(found, Settings) and isinstance(problems, list)


SECTIONS = ["voice", "recognition", "privacy", "display", "safety", "keys", "sound"]
KNOWN_KEYS = [f.name for section in fields(Settings()) for f in _fields_of(section.name)]
_values = st.recursive(
    st.one_of(
        st.text(max_size=12),
        st.integers(-(2**70), 2**70),
        st.booleans(),
        st.floats(allow_nan=False, allow_infinity=False),
        st.sampled_from(
            ["whisper", "sphinx", "tiny.en", "nothing", "ctrl+x", "en", "high-contrast"]
        ),
    ),
    lambda inner: st.lists(inner, max_size=3),
    max_leaves=5,
)
_tables = st.dictionaries(
    st.sampled_from(SECTIONS) | st.text(min_size=1, max_size=6),
    st.dictionaries(
        st.sampled_from(KNOWN_KEYS) | st.text(min_size=1, max_size=6), _values, max_size=6
    ),
    max_size=6,
)


@FUZZ
@given(_tables)
def test_any_settings_file_shaped_like_ours_loads_with_line_numbered_problems(
    tables: dict[str, dict[str, Any]],
) -> None:
    text = "".join(
        f"[{json.dumps(name)}]\n"
        + "".join(f"{json.dumps(key)} = {toml_literal(value)}\n" for key, value in values.items())
        for name, values in tables.items()
    )
    found, problems = _load_text(text)
    assert isinstance(found, Settings)
    for problem in problems:
        assert isinstance(problem, str) and problem


def test_saved_settings_read_back_the_same(tmp_path: Path) -> None:
    from dataclasses import replace

    from guided_talk.settings import save_settings

    original = Settings()
    changed = replace(
        original,
        voice=replace(original.voice, rate=130, voice='en "quoted"'),
        privacy=replace(original.privacy, keep=Privacy.SCORES),
        keys={"session.pause": "space"},
    )
    path = save_settings(changed, tmp_path / "settings.toml")
    assert load_settings(path) == (changed, [])
    assert path.stat().st_mode & 0o777 == 0o600


def test_help_resources_follow_the_country_setting() -> None:
    from guided_talk.tui.screens.safety import help_resources

    assert "call 000 now" in help_resources("au")
    assert "call your local emergency number now" in help_resources("")
    assert "call your local emergency number now" in help_resources("XX")


#: A settings file that changes every setting in every section from its default.
EVERY_SECTION = """\
[voice]
enabled = false
voice = "en-gb"
rate = 120
volume = 0.5

[recognition]
engine = "sphinx"
model = "base"
microphone = "USB mic"
allow_online = true
end_after_silence = 2

[privacy]
keep = "nothing"

[display]
theme = "high-contrast"

[safety]
country = "GB"

[keys]
"session.pause" = "space"
"""


def test_every_section_is_read_and_written(tmp_path: Path) -> None:
    import tomllib

    from guided_talk.settings import save_settings

    written = tomllib.loads(EVERY_SECTION)
    assert set(written) == {f.name for f in fields(Settings)}, "every section is in the file"
    found, problems = load_settings(write(tmp_path, EVERY_SECTION))
    assert problems == []
    for name, values in written.items():
        section = getattr(found, name)
        if name == "keys":
            assert section == values
            continue
        assert set(values) == {f.name for f in fields(section)}, f"every [{name}] setting"
        for key, value in values.items():
            assert getattr(section, key) == value, f"{name}.{key}"
            assert getattr(section, key) != getattr(getattr(Settings(), name), key)
    saved = save_settings(found, tmp_path / "saved.toml")
    assert load_settings(saved) == (found, [])
