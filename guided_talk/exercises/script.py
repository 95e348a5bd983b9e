"""A printable facilitator script (Markdown) for a whole exercise agenda."""

from __future__ import annotations

from guided_talk.exercises.model import ROLE_EVERYONE, Exercise


def clock(seconds: int) -> str:
    """``m:ss``."""
    return f"{seconds // 60}:{seconds % 60:02d}"


def facilitator_script(exercise: Exercise) -> str:
    """Every round, phase and turn with its start time, roles, cue and prompt."""
    lines = [f"# {exercise.title}", "", exercise.purpose, ""]
    lines.append(f"- Length: about {round(exercise.total_seconds / 60)} minutes")
    lines.append(f"- Roles: {', '.join(exercise.roles)}; for: {', '.join(exercise.audience)}")
    if exercise.rounds > 1:
        swap = ", roles rotate between rounds" if exercise.swap_each_round else ""
        lines.append(f"- Rounds: {exercise.rounds}{swap}")
    if exercise.facilitator_notes:
        lines += ["", "## Notes for the facilitator", "", exercise.facilitator_notes]
    if exercise.safety_note:
        lines += ["", "## Safety", "", exercise.safety_note]
    lines += ["", "## Agenda", ""]
    elapsed = 0
    for round_number in range(exercise.rounds):
        if exercise.rounds > 1:
            lines += [f"### Round {round_number + 1}", ""]
        for phase in exercise.phases:
            repeat = (
                f" (x{phase.repeat}, roles swap each time)"
                if phase.swap_roles
                else (f" (x{phase.repeat})" if phase.repeat > 1 else "")
            )
            lines.append(f"**{phase.title}**{repeat}")
            lines.append("")
            start = elapsed
            for turn in phase.turns:
                who = "everyone" if turn.role == ROLE_EVERYONE else turn.role
                lines.append(
                    f"- [{clock(start)}] {who}, {clock(turn.seconds)}: "
                    f"{turn.instructions or turn.prompts[0]}"
                )
                lines.append(f'  - Say: "{turn.prompts[0]}"')
                start += turn.seconds
            elapsed += phase.repeat * sum(turn.seconds for turn in phase.turns)
            lines.append("")
    lines.append(
        f"Ends at about {clock(elapsed)}. Close with a debrief: what was easy, what was "
        "hard, what will you try at home?"
    )
    return "\n".join(lines) + "\n"
