"""Settings: voice, speech engine and model, microphone, privacy, theme, and
deleting all data. Saved to settings.toml in the config folder."""

from __future__ import annotations

import re
from contextlib import suppress
from dataclasses import replace

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Label, Select, Static, Switch
from textual.worker import WorkerFailed

from guided_talk.paths import config_dir, data_dir
from guided_talk.settings import Settings, save_settings
from guided_talk.store import StoreError
from guided_talk.tui.messages import Forgotten
from guided_talk.tui.screens.base import app_of
from guided_talk.tui.screens.confirm import ConfirmScreen
from guided_talk.tui.screens.passphrase import PassphraseScreen
from guided_talk.values import VOICE_RATE_RANGE, Privacy, RecognitionEngine, choice

#: A Textual key name, or several separated by commas ("plus,equals_sign").
KEY_NAME = re.compile(r"[a-z0-9_+]+(,[a-z0-9_+]+)*")


def session_bindings() -> list[Binding]:
    """The session keys people may change, with their defaults."""
    from guided_talk.tui.screens.session import SessionScreen

    return [b for b in SessionScreen.BINDINGS if isinstance(b, Binding) and b.id]


class SettingsScreen(Screen[None]):
    """Change settings; ctrl+s saves."""

    HELP = "Tab moves between fields; ctrl+s saves. Voices and microphones load in the background."
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="settings.back"),
        Binding("ctrl+s", "save", "Save", id="settings.save"),
    ]

    def compose(self) -> ComposeResult:
        """The form."""
        settings = app_of(self).services.settings
        themes = sorted(self.app.available_themes)
        yield Header()
        yield Static("Settings", classes="screen-title")
        with VerticalScroll(id="settings-form"), Grid(id="settings-grid"):
            yield Label("Read prompts aloud")
            yield Switch(value=settings.voice.enabled, id="voice-enabled")
            yield Label("Voice")
            yield Select([("default voice", "")], value="", allow_blank=False, id="voice")
            yield Label("Words a minute")
            yield Input(str(settings.voice.rate), type="integer", id="rate")
            yield Label("Recognition engine")
            yield Select(
                [(str(e), str(e)) for e in RecognitionEngine],
                value=settings.recognition.engine,
                allow_blank=False,
                id="engine",
            )
            yield Label("Whisper model")
            yield Input(settings.recognition.model, id="model")
            yield Label("Microphone")
            yield Select([("default microphone", "")], value="", allow_blank=False, id="mic")
            yield Label("Keep after a session")
            yield Select(
                [(str(p), str(p)) for p in Privacy],
                value=settings.privacy.keep,
                allow_blank=False,
                id="privacy",
            )
            yield Label("Theme")
            yield Select(
                [(t, t) for t in themes], value=self.app.theme, allow_blank=False, id="theme"
            )
            yield Label("Data folder")
            yield Static(f"{data_dir()}\nsettings: {config_dir()}", id="folders")
            for binding in session_bindings():
                yield Label(f"Key: {binding.description or binding.action}")
                yield Input(
                    settings.keys.get(str(binding.id), binding.key),
                    id=f"key-{str(binding.id).replace('.', '-')}",
                    classes="key",
                )
            yield Label("Passphrase")
            yield Static(id="protection")
            yield Button("Set or change the passphrase...", id="protect")
            yield Button("Remove the passphrase...", id="unprotect")
            yield Button("Save", variant="primary", id="save")
            yield Button("Delete all data...", variant="error", id="delete-all")
        yield Footer()

    def on_mount(self) -> None:
        """Fill voices and microphones without blocking the screen."""
        self.show_protection()
        self.load_devices()

    def show_protection(self) -> None:
        """Say whether what was said is sealed with a passphrase."""
        store = app_of(self).store
        self.query_one("#protection", Static).update(
            "on: what was said is sealed; the passphrase is asked at start"
            if store is not None and store.protected
            else "off: transcripts are kept in the private data folder only"
        )
        self.query_one("#unprotect", Button).display = bool(store and store.protected)

    def change_protection(self, remove: bool) -> None:
        """Ask for a new passphrase (or confirmation), then rewrite in a thread."""
        if app_of(self).store is None:
            self.notify("The sessions are not open, so there is nothing to protect.")
            return
        chosen: list[str] = []

        def go_on(ok: bool | None) -> None:
            if ok and (remove or chosen):
                self.protect(None if remove else chosen[-1])

        if remove:
            question = "Remove the passphrase? Transcripts will be kept unsealed."
            self.app.push_screen(ConfirmScreen(question), go_on)
            return

        def keep(passphrase: str) -> str | None:
            chosen.append(passphrase)
            return None

        note = (
            "Choose a passphrase. It is never stored: if it is forgotten, the "
            "sealed transcripts cannot be read again."
        )
        self.app.push_screen(PassphraseScreen(note, keep, confirm=True), go_on)

    @work(thread=True, exclusive=True, exit_on_error=False, group="protect")
    def protect(self, passphrase: str | None) -> None:
        """Seal (or unseal) every transcript; the database is rewritten."""
        store = app_of(self).store
        assert store is not None
        try:
            store.protect(passphrase)
        except StoreError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error")
            return
        done = "Passphrase set." if passphrase else "Passphrase removed."
        self.app.call_from_thread(self.notify, done)
        self.app.call_from_thread(self.show_protection)

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="settings",
        description="list voices and microphones",
    )
    def load_devices(self) -> None:
        """Ask the speech process for voices and miniaudio for microphones."""
        from guided_talk.speech.sources import capture_devices
        from guided_talk.speech.tts import Synthesizer

        synth = Synthesizer()
        voices = [(v.name, v.id) for v in synth.voices()]
        synth.close()
        microphones = [(name, name) for name in capture_devices()]
        self.app.call_from_thread(self.show_devices, voices, microphones)

    def show_devices(self, voices: list[tuple[str, str]], mics: list[tuple[str, str]]) -> None:
        """Offer what was found, keeping the saved choice selected."""
        settings = app_of(self).services.settings
        voice = self.query_one("#voice", Select)
        voice.set_options([("default voice", ""), *voices])
        if settings.voice.voice in {v for _, v in voices}:
            voice.value = settings.voice.voice
        mic = self.query_one("#mic", Select)
        mic.set_options([("default microphone", ""), *mics])
        if settings.recognition.microphone in {m for _, m in mics}:
            mic.value = settings.recognition.microphone

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Save, or ask before deleting everything."""
        if event.button.id == "save":
            self.action_save()
        elif event.button.id in ("protect", "unprotect"):
            self.change_protection(remove=event.button.id == "unprotect")
        elif event.button.id == "delete-all":
            self.app.push_screen(
                ConfirmScreen("Delete every session for good? This cannot be undone."),
                self.delete_all,
            )

    async def delete_all(self, confirmed: bool | None) -> None:
        """Forget every session (scrubbed from the database file), in a thread."""
        if confirmed and app_of(self).store is not None:
            with suppress(WorkerFailed):  # the app's one handler says what went wrong
                await self.forget_everything().wait()

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="forget",
        description="Deleting every session",
    )
    def forget_everything(self) -> None:
        """Delete and scrub (a VACUUM: seconds on a large file); a message says how it went."""
        store = app_of(self).store
        assert store is not None
        try:
            count = store.forget_all()
        except StoreError as error:
            self.post_message(Forgotten(str(error), error=True))
            return
        self.post_message(Forgotten(f"Deleted {count} session{'s' if count != 1 else ''}."))

    def on_forgotten(self, message: Forgotten) -> None:
        """Say how many sessions were deleted, or why they could not be."""
        self.notify(message.text, severity="error" if message.error else "information")

    def collected(self) -> Settings:
        """The form's values as settings (bad numbers keep the old value)."""
        old = app_of(self).services.settings
        rate_text = self.query_one("#rate", Input).value
        low, high = VOICE_RATE_RANGE
        rate = (
            int(rate_text)
            if rate_text.isdigit() and low <= int(rate_text) <= high
            else old.voice.rate
        )
        return replace(
            old,
            voice=replace(
                old.voice,
                enabled=self.query_one("#voice-enabled", Switch).value,
                voice=str(self.query_one("#voice", Select).value),
                rate=rate,
            ),
            recognition=replace(
                old.recognition,
                engine=choice(
                    RecognitionEngine,
                    self.query_one("#engine", Select).value,
                    old.recognition.engine,
                ),
                model=self.query_one("#model", Input).value.strip() or "tiny.en",
                microphone=str(self.query_one("#mic", Select).value),
            ),
            privacy=replace(
                old.privacy,
                keep=choice(Privacy, self.query_one("#privacy", Select).value, old.privacy.keep),
            ),
            display=replace(old.display, theme=str(self.query_one("#theme", Select).value)),
        )

    def chosen_keys(self) -> dict[str, str] | None:
        """The session keys typed in, where they differ from the defaults; None (and a
        notice) when one is blank, not a key name, or used twice."""
        keys: dict[str, str] = {}
        used: dict[str, str] = {}
        for binding in session_bindings():
            name = binding.description or binding.action
            field = self.query_one(f"#key-{str(binding.id).replace('.', '-')}", Input)
            typed = field.value.strip().lower()
            if not KEY_NAME.fullmatch(typed):
                self.notify(
                    f"The key for {name} should be a key name such as p, f5 or ctrl+e.",
                    severity="error",
                )
                return None
            for key in typed.split(","):
                if key in used:
                    self.notify(f"{key} is set for both {used[key]} and {name}.", severity="error")
                    return None
                used[key] = name
            if typed != binding.key:
                keys[str(binding.id)] = typed
        return keys

    def action_save(self) -> None:
        """Write settings.toml; new sessions use them at once."""
        keys = self.chosen_keys()
        if keys is None:
            return
        old = app_of(self).services.settings.keys
        ours = {str(binding.id) for binding in session_bindings()}
        others = {key: value for key, value in old.items() if key not in ours}
        settings = replace(self.collected(), keys={**others, **keys})
        try:
            path = save_settings(settings)
        except OSError as error:
            self.notify(f"Could not save settings: {error}", severity="error")
            return
        app = app_of(self)
        app.apply_settings(settings)
        self.notify(f"Saved to {path}.")

    def on_select_changed(self, event: Select.Changed) -> None:
        """Preview a theme straight away."""
        if event.select.id == "theme" and isinstance(event.value, str):
            self.app.theme = event.value
