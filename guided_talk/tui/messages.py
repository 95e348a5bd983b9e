"""Messages from the session runner and the audio threads to the screens."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from guided_talk.session.events import AnyEvent


@dataclass
class SessionEvent(Message):
    """One event from the session runner."""

    event: AnyEvent


@dataclass
class PartialTranscript(Message):
    """What has been recognised so far in the current turn (replaces older ones)."""

    text: str

    def can_replace(self, message: Message) -> bool:
        """Only the newest partial transcript matters."""
        return isinstance(message, PartialTranscript)


@dataclass
class SpeechNotice(Message):
    """A one-line notice from the speech layer (no microphone, no voice...)."""

    text: str


@dataclass
class Forgotten(Message):
    """Deleting every session is over: how many, or why it failed (``error``)."""

    text: str
    error: bool = False
