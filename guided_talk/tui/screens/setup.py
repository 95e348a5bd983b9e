"""Setup: who takes part, who starts, turn lengths, voice and privacy."""

from __future__ import annotations

from dataclasses import replace

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Label, Select, Static, Switch

from guided_talk.exercises.model import Exercise, Phase
from guided_talk.tui.screens.base import app_of
from guided_talk.tui.widgets.safety_line import SafetyLine
from guided_talk.values import Privacy, SessionMode, choice

LENGTHS = [
    ("shorter (half)", 0.5),
    ("a bit shorter", 0.75),
    ("as written", 1.0),
    ("a bit longer", 1.5),
    ("twice as long", 2.0),
]
ENGINES = [
    ("Whisper: offline, most accurate", "whisper"),
    ("PocketSphinx: offline, lighter", "sphinx"),
    ("no microphone: type instead", "typed"),
]
PRIVACY = [
    ("keep what was said", "transcripts"),
    ("keep only the scores", "scores"),
    ("keep nothing (incognito)", "nothing"),
]


def scaled(exercise: Exercise, factor: float) -> Exercise:
    """The exercise with every turn's length multiplied by ``factor``."""
    if factor == 1.0:
        return exercise

    def phase(p: Phase) -> Phase:
        turns = tuple(
            replace(
                t,
                seconds=max(5, round(t.seconds * factor)),
                warn_before=tuple(
                    w for w in t.warn_before if w < max(5, round(t.seconds * factor))
                ),
            )
            for t in p.turns
        )
        return replace(p, turns=turns)

    return replace(exercise, phases=tuple(phase(p) for p in exercise.phases))


class SetupScreen(Screen[None]):
    """Fill in the details, then start."""

    HELP = "Tab moves between fields; Enter or the Start button begins the session."
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="setup.back"),
        Binding("ctrl+s", "start", "Start", id="setup.start"),
    ]

    def __init__(self, exercise: Exercise, mode: SessionMode) -> None:
        super().__init__()
        self.exercise = exercise
        self.mode = mode

    @property
    def solo(self) -> bool:
        """One person rehearsing."""
        return self.mode == SessionMode.SOLO

    def compose(self) -> ComposeResult:
        """The form."""
        settings = app_of(self).services.settings
        yield Header()
        yield Static(f"Set up: {self.exercise.title}", classes="screen-title")
        with VerticalScroll(id="setup-form"), Grid(id="setup-grid"):
            yield Label("Your name" if self.solo else "First partner")
            yield Input(value="You" if self.solo else "Partner A", id="name-a")
            if not self.solo:
                yield Label("Second partner")
                yield Input(value="Partner B", id="name-b")
                yield Label("Second partner starts")
                yield Switch(value=False, id="b-starts")
            yield Label("Turn lengths")
            yield Select(LENGTHS, value=1.0, allow_blank=False, id="length")
            yield Label("Read prompts aloud")
            # In workshops too: the spoken prompt is the room's cue at each switch.
            yield Switch(value=settings.voice.enabled, id="voice")
            yield Label("Voice")
            yield Select(
                [("default voice", settings.voice.voice)],
                value=settings.voice.voice,
                allow_blank=False,
                id="voice-name",
            )
            if self.exercise.captures_speech and self.mode != SessionMode.WORKSHOP:
                yield Label("Speech recognition")
                engines = list(ENGINES)
                if settings.recognition.engine not in {value for _, value in engines}:
                    engines.append(
                        (f"{settings.recognition.engine} (online)", settings.recognition.engine)
                    )
                yield Select(
                    engines, value=settings.recognition.engine, allow_blank=False, id="engine"
                )
            yield Label("Privacy")
            yield Select(PRIVACY, value=settings.privacy.keep, allow_blank=False, id="privacy")
            yield Button("Start", variant="primary", id="start")
        yield SafetyLine()
        yield Footer()

    def on_mount(self) -> None:
        """Focus the first field; list the voices in the background."""
        self.query_one("#name-a", Input).focus()
        self.load_voices()

    @work(thread=True, exclusive=True, exit_on_error=False, group="voices")
    def load_voices(self) -> None:
        """Ask the speech process which voices it has (a moment; the form stays usable)."""
        from guided_talk.speech.tts import Synthesizer

        synth = Synthesizer()
        try:
            voices = [(v.name, v.id) for v in synth.voices()]
        finally:
            synth.close()
        self.app.call_from_thread(self.show_voices, voices)

    def show_voices(self, voices: list[tuple[str, str]]) -> None:
        """Offer the voices found, keeping the chosen one."""
        chosen = self.query_one("#voice-name", Select)
        current = chosen.value
        default = app_of(self).services.settings.voice.voice
        chosen.set_options([("default voice", default), *[v for v in voices if v[1] != default]])
        chosen.value = current

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Start."""
        self.action_start()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in a name field starts too."""
        self.action_start()

    def people(self) -> list[str]:
        """Names in the order they take the first role."""
        first = self.query_one("#name-a", Input).value.strip() or (
            "You" if self.solo else "Partner A"
        )
        if self.solo:
            return [first]
        second = self.query_one("#name-b", Input).value.strip() or "Partner B"
        if second == first:
            second = f"{second} (2)"
        swap = self.query_one("#b-starts", Switch).value
        return [second, first] if swap else [first, second]

    def action_start(self) -> None:
        """Run the safety checks the exercise asks for, then the session."""
        from guided_talk.session.starter import SessionRequest
        from guided_talk.tui.screens.safety import SafetyCheckScreen
        from guided_talk.tui.screens.session import SessionScreen

        factor = float(self.query_one("#length", Select).value)  # type: ignore[arg-type]
        plan = SessionRequest(
            exercise=scaled(self.exercise, factor),
            people=tuple(self.people()),
            mode=self.mode,
            read_prompts=self.query_one("#voice", Switch).value,
            privacy=choice(Privacy, self.query_one("#privacy", Select).value, Privacy.TRANSCRIPTS),
        )
        voice_name = str(self.query_one("#voice-name", Select).value)
        engine = next((str(engine.value) for engine in self.query("#engine").results(Select)), None)

        def begin(ok: bool | None) -> None:
            if ok:
                self.app.switch_screen(SessionScreen(plan, voice_name, engine))

        if self.exercise.consent_required or self.exercise.safety_check:
            self.app.push_screen(SafetyCheckScreen(self.exercise), begin)
        else:
            begin(True)
