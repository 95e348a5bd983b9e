"""Loaded by every Python process started with this folder on PYTHONPATH (the
offline test sets it): any attempt to open a network connection is refused and
written down, so a test can prove that nothing tried to leave the machine.
Local sockets (AF_UNIX, used by the audio server) are allowed."""

import _socket
import os
import socket
from typing import Any

_LOG = os.environ.get("GUIDED_TALK_NETGUARD_LOG", "")
_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex


def _refuse(sock: _socket.socket, address: object) -> None:
    if sock.family in (socket.AF_INET, socket.AF_INET6):
        if _LOG:
            with open(_LOG, "a", encoding="utf-8") as log:
                log.write(f"{os.getpid()} tried to connect to {address!r}\n")
        raise OSError("network blocked by the offline test")
    return None


def _guarded_connect(self: _socket.socket, address: Any) -> None:
    _refuse(self, address)
    return _connect(self, address)


def _guarded_connect_ex(self: _socket.socket, address: Any) -> int:
    _refuse(self, address)
    return _connect_ex(self, address)


socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]
