"""Sessions on disk: a private SQLite store, and export to Markdown and JSON."""

from guided_talk.store.codec import Locked
from guided_talk.store.db import Store
from guided_talk.store.export import (
    EXPORT_FORMATS,
    export_all_chunks,
    session_to_json,
    session_to_markdown,
    write_export,
    write_export_all,
)
from guided_talk.store.reading import MIN_PREFIX
from guided_talk.store.records import (
    SessionDetail,
    SessionSummary,
    StoredTurn,
    StoreError,
    TurnRecord,
    UnusableDatabase,
)
from guided_talk.store.recovery import open_or_set_aside
from guided_talk.store.schema import SCHEMA_VERSION

__all__ = [
    "EXPORT_FORMATS",
    "MIN_PREFIX",
    "SCHEMA_VERSION",
    "Locked",
    "SessionDetail",
    "SessionSummary",
    "Store",
    "StoreError",
    "StoredTurn",
    "TurnRecord",
    "UnusableDatabase",
    "export_all_chunks",
    "open_or_set_aside",
    "session_to_json",
    "session_to_markdown",
    "write_export",
    "write_export_all",
]
