"""guided-talk: voice-guided conversation exercises in the terminal."""

__version__ = "0.1.0"
