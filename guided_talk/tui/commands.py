"""Command palette entries, worded "noun: Verb"."""

from __future__ import annotations

from functools import partial

from textual.command import Hit, Hits, Provider

from guided_talk.values import SessionMode


class GuidedTalkCommands(Provider):
    """Start an exercise, open history, get help."""

    async def search(self, query: str) -> Hits:
        """Match the query against the app's commands."""
        from guided_talk.tui.screens.history import HistoryScreen
        from guided_talk.tui.screens.library import LibraryScreen

        app = self.app
        entries: list[tuple[str, object, str]] = [
            (
                "Sessions: Show history",
                partial(app.push_screen, HistoryScreen()),
                "past and unfinished sessions",
            ),
            (
                "Exercises: Browse library",
                partial(app.push_screen, LibraryScreen(SessionMode.COUPLE)),
                "choose an exercise for two",
            ),
            (
                "Rehearse: Start",
                partial(app.push_screen, LibraryScreen(SessionMode.SOLO)),
                "practise saying something clearly",
            ),
            (
                "Help: Show keys and support",
                partial(app.run_action, "help"),
                "keys for this screen",
            ),
        ]
        matcher = self.matcher(query)
        for name, run, help_text in entries:
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), run, help=help_text)  # type: ignore[arg-type]
