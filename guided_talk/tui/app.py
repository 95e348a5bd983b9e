"""The Textual app: ``make_app()`` builds it for the CLI and the tests."""

from __future__ import annotations

import asyncio
import gc
import logging
import sys
from dataclasses import dataclass
from typing import Any

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.worker import Worker, WorkerState

from guided_talk.settings import Settings
from guided_talk.store import Locked, Store, StoreError, open_or_set_aside
from guided_talk.tui.commands import GuidedTalkCommands
from guided_talk.tui.screens.help import HelpScreen
from guided_talk.tui.screens.home import HomeScreen
from guided_talk.tui.screens.passphrase import PassphraseScreen
from guided_talk.tui.services import Services, default_services, speech_factories
from guided_talk.tui.theme import HIGH_CONTRAST

logger = logging.getLogger(__name__)
#: Shown on the way out after an unhandled error (and written to the log).
CRASH_NOTE = "guided-talk stopped on an unexpected error; the details are in the log."


@dataclass(frozen=True)
class StoreOpened:
    """How the first attempt to open the database went.

    Exactly one of ``store``, ``locked`` (a passphrase is needed) or ``problem``
    (why it could not be opened) is set; ``notice`` says a file was moved aside.
    """

    store: Store | None
    notice: str | None = None
    problem: str | None = None
    locked: bool = False


class GuidedTalkApp(App[None]):
    """Practise hard conversations: timed turns, prompts read aloud, feedback."""

    CSS_PATH = "app.tcss"
    TITLE = "guided-talk"
    SUB_TITLE = "practice, not therapy"
    COMMANDS = App.COMMANDS | {GuidedTalkCommands}
    BINDINGS = [
        # Priority: help and where to find support must open over dialogs too.
        Binding("f1", "help", "Help", id="help", priority=True),
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.store: Store | None = None
        #: Set once the first attempt to open the database is over (opened, failed or locked).
        self.store_ready = asyncio.Event()
        self.set_keymap(services.settings.keys)

    def apply_settings(self, settings: Settings) -> None:
        """Use new settings from now on (sessions already running keep theirs)."""
        self.services.settings = settings
        services = self.services
        services.make_reader, services.make_listener, services.preload = speech_factories(settings)
        self.set_keymap(settings.keys)
        self.warm_up()
        if settings.display.theme in self.available_themes:
            self.theme = settings.display.theme

    def on_mount(self) -> None:
        """Show the home screen and open the database in a thread."""
        self.register_theme(HIGH_CONTRAST)
        if self.services.settings.display.theme in self.available_themes:
            self.theme = self.services.settings.display.theme
        self.open_store()
        for problem in self.services.settings_problems:
            self.notify(problem, title="Settings", severity="warning", timeout=15)
        for notice in self.services.startup_notices:
            self.notify(notice, timeout=10)
        self.push_screen(HomeScreen())
        self.warm_up()

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="store",
        description="Opening your sessions",
    )
    def open_store(self) -> None:
        """Open (migrate, pack) the database, moving an unusable file aside.

        The outcome is handed to the loop directly, not through the app's message
        queue: screens that wait for the store may be mounting inside that queue.
        """
        try:
            store, moved = open_or_set_aside(self.services.database)
        except Locked:
            self.call_from_thread(self.keep_store, StoreOpened(None, locked=True))
        except StoreError as error:
            self.call_from_thread(self.keep_store, StoreOpened(None, problem=str(error)))
        else:
            self.call_from_thread(self.keep_store, StoreOpened(store, notice=moved))

    def keep_store(self, outcome: StoreOpened) -> None:
        """Keep the open store, say what happened, and let waiting screens go on."""
        self.store = outcome.store
        if outcome.notice:
            self.notify(outcome.notice, title="Database", severity="warning", timeout=30)
        if outcome.problem:
            self.notify(
                f"{outcome.problem} Sessions will not be saved until this is fixed.",
                title="Database",
                severity="error",
                timeout=20,
            )
        if outcome.locked:
            self.call_after_refresh(self.ask_passphrase)
        self.store_ready.set()

    async def wait_for_store(self) -> Store | None:
        """The open store once the first attempt to open it is over (None: not open)."""
        await self.store_ready.wait()
        return self.store

    def ask_passphrase(self) -> None:
        """Protected sessions: ask for the passphrase before anything is shown."""

        def attempt(passphrase: str) -> str | None:
            try:
                self.store = Store.open(self.services.database, passphrase)
            except StoreError as error:
                return str(error)
            return None

        def done(unlocked: bool | None) -> None:  # the home screen refreshes on resume
            if not unlocked:
                self.notify(
                    "Sessions stay locked: nothing will be saved or shown until you "
                    "restart and type the passphrase.",
                    title="Locked",
                    severity="warning",
                    timeout=15,
                )

        self.push_screen(
            PassphraseScreen("Your sessions are protected. Type the passphrase.", attempt),
            done,
        )

    def warm_up(self) -> None:
        """Load speech and feedback models in the background, before any session."""
        self.run_worker(
            self._preload,
            thread=True,
            exclusive=True,
            group="models",
            exit_on_error=False,
            description="Loading the speech models",
        )

    def _preload(self) -> None:
        self.services.preload()
        # The models and the app are long-lived: move them out of the garbage
        # collector's view, so a full collection mid-session stays short (it was
        # the one pause over 50 ms that bench_ui found).
        gc.freeze()  # cheap: no collection, just a move

    def on_unmount(self) -> None:
        """Close the database cleanly."""
        if self.store is not None:
            self.store.close()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place every failed worker is reported: a notice, never a traceback."""
        if event.state is WorkerState.ERROR:
            error = event.worker.error
            what = event.worker.description or event.worker.name or "a background task"
            logger.error("Background task stopped: %s", what, exc_info=error)
            self.notify(
                f"{what} stopped: {error}. Everything saved so far is kept.",
                title="Something went wrong",
                severity="error",
                timeout=15,
            )

    def _fatal_error(self) -> None:
        """An unhandled error: log its traceback without frame locals, then close.

        Textual's own version renders a traceback with every frame's local
        variables (what partners said among them) and prints it on stderr, which
        is the log file while the app runs; this one goes through the log's
        formatter instead and leaves only a short note.
        """
        logger.critical("The app stopped on an unexpected error", exc_info=sys.exc_info())
        self.panic(CRASH_NOTE)

    def action_help(self) -> None:
        """Show help for the screen in front (F1 again closes it)."""
        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
        else:
            self.push_screen(HelpScreen(self.screen))


def make_app(services: Services | None = None, **overrides: Any) -> GuidedTalkApp:
    """The app with real services, or with some parts replaced (tests)."""
    chosen = services or default_services()
    for name, value in overrides.items():
        setattr(chosen, name, value)
    return GuidedTalkApp(chosen)
