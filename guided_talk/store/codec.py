"""How a person's words are kept at rest: compressed, and sealed with a key when the
database is protected by a passphrase.

Values are tagged by their first bytes, so one column can hold all three kinds:
plain text (``str``, written before compression came in), ``z1`` + zlib data, and
``e1`` + a 12-byte nonce + AES-256-GCM ciphertext of the zlib data. The key comes
from the passphrase through scrypt; neither is ever written anywhere.
"""

from __future__ import annotations

import os
import zlib

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from guided_talk.store.records import StoreError

PLAIN_TAG = b"z1"
SEALED_TAG = b"e1"
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
        packed = zlib.compress(text.encode("utf-8"), 6)
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
        if tag == SEALED_TAG:
            if self._aead is None:
                raise Locked("These sessions are protected: unlock them with the passphrase.")
            try:
                body = self._aead.decrypt(body[:_NONCE_BYTES], body[_NONCE_BYTES:], None)
            except InvalidTag as error:
                raise Locked("This passphrase does not open these sessions.") from error
        elif tag != PLAIN_TAG:
            raise StoreError("A stored value is damaged (unknown format).")
        return zlib.decompress(body).decode("utf-8")

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
