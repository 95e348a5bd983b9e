"""How a person's words are kept at rest: compressed, and sealed with a key when the
database is protected by a passphrase.

Values are tagged by their first bytes, so one column can hold every kind: plain
text (``str``, written before compression came in); ``z1`` + zlib data; ``z2`` + zlib
data packed against the preset dictionary ``zdict-1.txt`` (frozen; see
scripts/make_zdict.py); and ``e1``/``e2``, the same two sealed: a 12-byte nonce +
AES-256-GCM ciphertext of the zlib data. New values are written as ``z2`` or ``e2``.
The key comes from the passphrase through scrypt; neither is ever written anywhere.
"""

from __future__ import annotations

import os
import zlib
from functools import cache
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from guided_talk.store.records import StoreError

PLAIN_TAG = b"z2"
SEALED_TAG = b"e2"
#: Tag of a compressed value -> the preset dictionary it was packed against.
_DICTIONARIES = {b"z1": None, b"z2": "zdict-1.txt"}
#: Tag of a sealed value -> the tag its opened contents would have had.
_SEALED = {b"e1": b"z1", b"e2": b"z2"}
SALT_BYTES = 16
_NONCE_BYTES = 12
# scrypt cost: about 0.1 s and 32 MiB here, once per unlock (RFC 7914 parameters).
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**15, 8, 1
#: Sealed with the key and stored, so a wrong passphrase is told apart at once.
_CHECK_TEXT = "guided-talk passphrase check"


class Locked(StoreError):
    """The database is protected and no (or the wrong) passphrase was given."""


class Codec:
    """Encodes text for the database and decodes it back.

    Args:
        key: A 32-byte key to seal with, or None for compression only.
    """

    def __init__(self, key: bytes | None = None) -> None:
        self._aead = AESGCM(key) if key is not None else None

    @property
    def sealing(self) -> bool:
        """Whether new values are encrypted."""
        return self._aead is not None

    def encode(self, text: str | None) -> bytes | None:
        """The stored form of ``text`` (None stays None)."""
        if text is None:
            return None
        packer = zlib.compressobj(9, zdict=_dictionary("zdict-1.txt"))
        packed = packer.compress(text.encode("utf-8")) + packer.flush()
        if self._aead is None:
            return PLAIN_TAG + packed
        nonce = os.urandom(_NONCE_BYTES)
        return SEALED_TAG + nonce + self._aead.encrypt(nonce, packed, None)

    def decode(self, stored: str | bytes | None) -> str | None:
        """The text back from any stored form.

        Raises:
            Locked: The value is sealed and this codec has no key, or another key.
        """
        if stored is None or isinstance(stored, str):
            return stored
        tag, body = bytes(stored[:2]), bytes(stored[2:])
        if tag in _SEALED:
            if self._aead is None:
                raise Locked("These sessions are protected: unlock them with the passphrase.")
            try:
                body = self._aead.decrypt(body[:_NONCE_BYTES], body[_NONCE_BYTES:], None)
            except InvalidTag as error:
                raise Locked("This passphrase does not open these sessions.") from error
            tag = _SEALED[tag]
        if tag not in _DICTIONARIES:
            raise StoreError("A stored value is damaged (unknown format).")
        name = _DICTIONARIES[tag]
        unpacker = zlib.decompressobj(zdict=_dictionary(name)) if name else zlib.decompressobj()
        try:
            text = unpacker.decompress(body) + unpacker.flush()
        except zlib.error as error:
            raise StoreError(f"A stored value is damaged ({error}).") from error
        if not unpacker.eof:
            raise StoreError("A stored value is damaged (it is cut short).")
        return text.decode("utf-8")

    def check_value(self) -> bytes:
        """What ``verify`` will accept: a known text sealed with this key."""
        sealed = self.encode(_CHECK_TEXT)
        assert sealed is not None and self.sealing
        return sealed

    def verify(self, check_value: bytes) -> None:
        """Raises Locked unless this codec's key sealed ``check_value``."""
        if not self.sealing or self.decode(check_value) != _CHECK_TEXT:
            raise Locked("This passphrase does not open these sessions.")


def key_from_passphrase(passphrase: str, salt: bytes) -> bytes:
    """A 32-byte key derived from the passphrase with scrypt."""
    if not passphrase:
        raise Locked("The passphrase is empty.")
    kdf = Scrypt(salt=salt, length=32, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P)
    return kdf.derive(passphrase.encode("utf-8"))


def new_salt() -> bytes:
    """Fresh random salt for a new passphrase."""
    return os.urandom(SALT_BYTES)


@cache
def _dictionary(name: str) -> bytes:
    """A preset compression dictionary shipped beside this module."""
    return (Path(__file__).parent / name).read_bytes()
