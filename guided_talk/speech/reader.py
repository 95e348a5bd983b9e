"""Read prompts aloud: the runner's ``PromptReader``, built on the speech process.

If speech cannot be produced or played, the reader says so once (through
``on_notice``) and from then on returns at once; the prompt is on screen anyway.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

from guided_talk.speech.playback import Player
from guided_talk.speech.sources import AudioDeviceError
from guided_talk.speech.tts import SpeechUnavailable, Synthesizer, VoiceSettings


class VoiceReader:
    """Speaks text; ``stop()`` silences it at once (a pause or time-out)."""

    def __init__(
        self,
        synthesizer: Synthesizer | None = None,
        player: Player | None = None,
        settings: VoiceSettings | None = None,
        on_notice: Callable[[str], None] | None = None,
    ) -> None:
        self.synthesizer = synthesizer or Synthesizer()
        self.player = player or Player()
        self.settings = settings or VoiceSettings()
        self.on_notice = on_notice or (lambda message: None)
        self.available = True
        self._stopped = threading.Event()

    async def read(self, text: str) -> None:
        """Speak ``text``; return when it has been said or stopped."""
        if not self.available:
            return
        self._stopped.clear()
        try:
            clip = await asyncio.to_thread(self.synthesizer.synthesize, text, self.settings)
            if not self._stopped.is_set():
                await asyncio.to_thread(self.player.play, clip)
        except (SpeechUnavailable, AudioDeviceError) as error:
            self.available = False
            self.on_notice(f"Prompts will be shown on screen only: {error}.")

    def stop(self) -> None:
        """Stop speaking now."""
        self._stopped.set()
        self.player.stop()

    def close(self) -> None:
        """Stop the speech process."""
        self.stop()
        self.synthesizer.close()
