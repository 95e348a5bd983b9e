"""How many generated cases the property tests run: 10,000 each under ``.ci/run``
(``GUIDED_TALK_FULL_TESTS=1``), a few hundred in the quick default run."""

from __future__ import annotations

import json
import os
from typing import Any

from hypothesis import HealthCheck, settings

EXAMPLES = 10_000 if os.environ.get("GUIDED_TALK_FULL_TESTS") else 300

#: The settings every property test uses.
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def toml_literal(value: Any) -> str:
    """A scalar or (nested) list written as an inline TOML value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return "[" + ", ".join(toml_literal(item) for item in value) + "]"
