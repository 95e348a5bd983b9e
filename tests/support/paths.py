"""Where things are, for tests wherever they sit under tests/."""

from __future__ import annotations

from pathlib import Path

#: The repository: guided_talk/, docs/, scripts/ and tests/ sit in it.
REPO = Path(__file__).resolve().parents[2]
#: Recorded speech shared with the other projects beside this one (may be absent).
SHARED_SPEECH = REPO.parent / "shared" / "data" / "speech"
