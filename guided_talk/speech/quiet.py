"""Keep C audio libraries from writing to the terminal.

ALSA's library prints its errors straight to stderr (for example "cannot find card
'0'" on a machine with no sound card), which would scribble over the TUI. Giving it
an error handler that ignores everything silences it; errors still reach us as
return codes through miniaudio.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from typing import Any

_ERROR_HANDLER = ctypes.CFUNCTYPE(
    None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p
)
_installed: list[Any] = []  # keeps the callback alive for the life of the process


def silence_alsa() -> None:
    """Install the quiet handler once (a no-op where ALSA is absent)."""
    if _installed:
        return
    name = ctypes.util.find_library("asound") or "libasound.so.2"
    try:
        asound = ctypes.CDLL(name)
    except OSError:
        _installed.append(None)
        return
    handler = _ERROR_HANDLER(lambda *args: None)
    asound.snd_lib_error_set_handler(handler)
    _installed.append(handler)
