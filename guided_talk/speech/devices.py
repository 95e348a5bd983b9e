"""Closing miniaudio devices without leaving their audio-server connections open.

Each miniaudio device opens a context of its own (on PulseAudio, one client
connection), and pyminiaudio's ``close()`` frees the device but not that context.
An evening of turns would then pile up connections until the server refuses
everyone (it allows 64 clients), so every device is closed through ``close_device``.
"""

from __future__ import annotations

from typing import Any


def close_device(device: Any) -> None:
    """Stop and free a miniaudio capture or playback device and its context.

    Safe to call twice; later calls do nothing.
    """
    import miniaudio

    device.close()
    context = getattr(device, "_context", None)
    if context is not None:
        device._context = None
        miniaudio.lib.ma_context_uninit(context)
