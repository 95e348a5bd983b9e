"""The rules an exercise must follow, from the top table down to each turn.

``build_exercise`` always returns an Exercise; when it reported problems, that
Exercise holds stand-in values and must be thrown away.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from guided_talk.exercises import model
from guided_talk.exercises.fields import (
    EXERCISE_KEYS,
    MISSING,
    PHASE_KEYS,
    TURN_KEYS,
    Context,
    Table,
    is_slug,
    kind_of,
    suggest,
)
from guided_talk.exercises.model import Exercise, Phase, Turn
from guided_talk.toml_lines import KeyPath
from guided_talk.values import ListenerStyle, choice

MAX_ROLES = 4
#: Warnings a turn gets when it does not say, if the turn is long enough for them.
DEFAULT_WARN_BEFORE = (10,)


@dataclass
class _Scope:
    """What the turn rules need to know about the rest of the exercise."""

    roles: tuple[str, ...] | None
    prompts: dict[str, KeyPath] = field(default_factory=dict)
    #: "phase.turn" names of turns in phases already read, for summaries.
    earlier_phases: list[str] = field(default_factory=list)


def build_exercise(data: dict[str, Any], ctx: Context) -> Exercise:
    """Check parsed TOML data and build the Exercise it describes.

    Args:
        data: What ``tomllib`` returned for the whole file.
        ctx: Collects problems and knows the line of each key.

    Returns:
        The exercise; only meaningful if no problem was reported to ``ctx``.
    """
    top = Table(data, (), "the exercise", ctx)
    top.check_keys(EXERCISE_KEYS, "exercise")
    return Exercise(
        id=top.slug("id"),
        title=top.text("title", required=True),
        purpose=top.text("purpose", required=True),
        goal=top.choice("goal", model.GOALS, "", required=True),
        audience=_audience(top),
        # Keyword arguments run in order, so problems come out in the usual key order.
        roles=(roles := _roles(top)) or (),
        phases=_phases(top, _Scope(roles)),
        rounds=top.bounded("rounds", 1, model.MAX_ROUNDS, 1),
        swap_each_round=top.flag("swap_each_round", True),
        listener_style=choice(
            ListenerStyle,
            top.choice("listener_style", model.LISTENER_STYLES, "paraphrase", False),
            ListenerStyle.PARAPHRASE,
        ),
        safety_note=top.text("safety_note"),
        facilitator_notes=top.text("facilitator_notes"),
        consent_required=top.flag("consent_required", False),
        safety_check=top.flag("safety_check", False),
    )


def _audience(top: Table) -> tuple[str, ...]:
    values = top.text_list("audience", True, '["couple"]') or ()
    for index, value in enumerate(values):
        if value not in model.AUDIENCES:
            top.unknown_choice(("audience", index), value, model.AUDIENCES, "audience")
    return tuple(dict.fromkeys(values))


def _roles(top: Table) -> tuple[str, ...] | None:
    """Return the roles, or None if they are missing or broken (already reported)."""
    roles = top.text_list("roles", True, '["speaker", "listener"]')
    if roles is None:
        return None
    good = len(roles) <= MAX_ROLES
    if not good:
        top.report(
            "roles",
            f"The exercise has {len(roles)} roles, but at most {MAX_ROLES} are allowed",
            'Merge some roles, or use role = "everyone" for turns everyone shares.',
        )
    for index, role in enumerate(roles):
        problem = _role_problem(role, roles[:index])
        if problem:
            top.report(("roles", index), *problem)
            good = False
    return roles if good else None


def _role_problem(role: str, before: tuple[str, ...]) -> tuple[str, str] | None:
    if role == model.ROLE_EVERYONE:
        hint = 'Pick another name; turns everyone shares use role = "everyone".'
        return "The role name 'everyone' is reserved", hint
    if not is_slug(role):
        hint = 'Use lowercase letters, digits and dashes, like "listener".'
        return f"The role '{role}' is not a valid name", hint
    if role in before:
        return f"The role '{role}' is listed twice", "List each role once."
    return None


def _phases(top: Table, scope: _Scope) -> tuple[Phase, ...]:
    phases: list[Phase] = []
    seen: dict[str, KeyPath] = {}
    for table in top.tables("phases", "[[phases]]"):
        table.check_keys(PHASE_KEYS, "phase")
        phase = Phase(
            id=table.slug("id"),
            title=table.text("title", required=True),
            turns=_turns(table, scope),
            repeat=table.bounded("repeat", 1, model.MAX_REPEAT, 1),
            swap_roles=table.flag("swap_roles", False),
        )
        table.check_unique(seen, "phase")
        phases.append(phase)
        scope.earlier_phases.extend(f"{phase.id}.{turn.id}" for turn in phase.turns)
    return tuple(phases)


#: Longest quiet a turn may wait for before ending on its own.
MAX_SILENCE_SECONDS = 30


def _turns(phase: Table, scope: _Scope) -> tuple[Turn, ...]:
    turns: list[Turn] = []
    seen: dict[str, KeyPath] = {}
    for table in phase.tables("turns", "[[phases.turns]]"):
        earlier = [t.id for t in turns] + scope.earlier_phases
        turn = _turn(table, scope, earlier)
        table.check_unique(seen, "turn")
        turns.append(turn)
    return tuple(turns)


def _turn(table: Table, scope: _Scope, earlier: list[str]) -> Turn:
    table.check_keys(TURN_KEYS, "turn")
    role = _turn_role(table, scope.roles)
    seconds = _seconds(table)
    capture = table.flag("capture", True)
    analyses = _analyses(table, role, capture)
    return Turn(
        id=table.slug("id"),
        role=role,
        seconds=seconds or 0,
        prompts=_prompts(table, scope.prompts),
        instructions=table.text("instructions"),
        capture=capture,
        analyses=analyses,
        reflects=_reflects(table, earlier),
        echoes=_echoes(table, [name for name in earlier if "." not in name]),
        warn_before=_warn_before(table, seconds),
        ask_rating=table.flag("ask_rating", False),
        end_after_silence=table.bounded("end_after_silence", 0, MAX_SILENCE_SECONDS, 0),
    )


def _turn_role(table: Table, roles: tuple[str, ...] | None) -> str:
    role = table.text("role", required=True)
    # Without valid roles there is nothing to compare with; that was reported.
    if roles is None or not role.strip() or role == model.ROLE_EVERYONE or role in roles:
        return role
    table.report(
        "role",
        f"The role '{role}' in {table.label} is not one of the "
        f"exercise's roles ({', '.join(roles)})",
        f'{suggest(role, roles)}Use one of those, or "everyone", or add it to roles.',
    )
    return role


def _seconds(table: Table) -> int | None:
    """Return the turn's length, or None when it is missing or unusable."""
    seconds = table.whole("seconds", True, "60")
    if seconds is None:
        return None
    if seconds < 1:
        table.report(
            "seconds",
            f"'seconds' in {table.label} is {seconds}, but a turn must be at least 1 second long",
            "Set it to how long the turn lasts, for example seconds = 60.",
        )
        return None
    if seconds > model.MAX_TURN_SECONDS:
        table.report(
            "seconds",
            f"'seconds' in {table.label} is {seconds}, an absurd "
            f"length for one turn (the limit is {model.MAX_TURN_SECONDS})",
            f"That is {seconds / 60:g} minutes; the value counts seconds, not "
            "minutes, so a two-minute turn is seconds = 120.",
        )
        return None
    return seconds


def _prompts(table: Table, seen: dict[str, KeyPath]) -> tuple[str, ...]:
    value = table.raw("prompts", True, '["..."]')
    if value is MISSING:
        return ()
    if isinstance(value, str):
        # A single prompt may be written without the list brackets.
        if not value.strip():
            table.report(
                "prompts",
                f"The prompt of {table.label} is empty",
                "Write what the app should say to open the turn.",
            )
        prompts: tuple[str, ...] = (value,)
    else:
        prompts = table.text_list("prompts", False, '["..."]') or ()
    for index, prompt in enumerate(prompts):
        same = " ".join(prompt.casefold().split())
        if same and same in seen:
            first = table.ctx.line(seen[same])
            where = f" on line {first}" if first else ""
            table.report(
                ("prompts", index),
                f"A prompt in {table.label} repeats the one{where}",
                "Reword it so each prompt is different, or remove it.",
            )
        elif same:
            seen[same] = (*table.path, "prompts", index)
    return prompts


def _analyses(table: Table, role: str, capture: bool) -> tuple[str, ...]:
    values = table.text_list("analyses", False, '["reflection"]', allow_empty=True) or ()
    for index, value in enumerate(values):
        if value not in model.ANALYSES:
            table.unknown_choice(("analyses", index), value, model.ANALYSES, "analysis")
    if values and role == model.ROLE_EVERYONE:
        table.report(
            "analyses",
            f"{table.title} is for everyone, so it cannot have analyses",
            "Analyses look at one person's words; give the turn a single role "
            "or remove 'analyses'.",
        )
    elif values and not capture:
        table.report(
            "analyses",
            f"{table.title} asks for analyses but does not record speech (capture = false)",
            "Set capture = true, or remove 'analyses'.",
        )
    return tuple(dict.fromkeys(values))


def _reflects(table: Table, earlier: list[str]) -> str:
    value = table.text("reflects")
    if not value or value in earlier:
        return value
    known = [name for name in earlier if name]
    hint = (
        f"{suggest(value, known)}Use one of: {', '.join(known)}."
        if known
        else "Nothing comes before this turn, so remove 'reflects'."
    )
    table.report(
        "reflects",
        f"'reflects' in {table.label} names '{value}', which is neither an earlier "
        "turn in the same phase nor 'phase.turn' from an earlier phase",
        hint,
    )
    return value


def _echoes(table: Table, same_phase: list[str]) -> str:
    value = table.text("echoes")
    if value and value not in same_phase:
        table.report(
            "echoes",
            f"'echoes' in {table.label} names '{value}', which is not an earlier turn "
            "in the same phase",
            f"{suggest(value, same_phase)}Use one of: {', '.join(same_phase) or '(none)'}.",
        )
    return value


def _warn_before(table: Table, seconds: int | None) -> tuple[int, ...]:
    value = table.raw("warn_before", False, "[10]")
    if value is MISSING:
        # Defaults that do not fit a short turn are dropped without a fuss.
        return tuple(w for w in DEFAULT_WARN_BEFORE if seconds is not None and w < seconds)
    if not isinstance(value, list):
        table.wrong_type("warn_before", value, "a list of whole numbers", "[30, 10]")
        return ()
    good: list[int] = []
    for index, item in enumerate(value):
        path = ("warn_before", index)
        entry = f"Entry {index + 1} of 'warn_before' in {table.label}"
        if isinstance(item, bool) or not isinstance(item, int):
            table.report(
                path,
                f"{entry} is {kind_of(item)}",
                "Use whole numbers of seconds, like warn_before = [30, 10].",
            )
        elif item < 1:
            table.report(
                path,
                f"{entry} is {item}, but a warning must come at least 1 second before the end",
                "Use 1 or more, or remove it.",
            )
        elif seconds is not None and item >= seconds:
            table.report(
                path,
                f"{entry} is {item}, but the turn only lasts {seconds} seconds",
                f"Use a number below {seconds}, or remove it.",
            )
        else:
            good.append(item)
    # Earliest warning first, each once: the order the session gives them in.
    return tuple(sorted(set(good), reverse=True))
