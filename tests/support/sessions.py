"""Stored sessions for the history, export and snapshot tests."""

from __future__ import annotations

from pathlib import Path


def seed(database: Path) -> None:
    """Two finished sessions at fixed times, analysed by the real analyzers."""
    from guided_talk.session.analysis import analyze_turn
    from guided_talk.session.plan import build_plan
    from guided_talk.store import Store, TurnRecord
    from guided_talk.values import SessionStatus, TurnStatus
    from tests.support.builders import listening_exercise

    said = {
        "speak": "When plans change at the last minute I feel anxious, because I need "
        "to know what the evening holds. Could we agree on plans by lunchtime?",
        "reflect": "So you're saying when plans change late you feel anxious, and you "
        "need to know what is coming. Did I get that?",
        "rules": "",
    }
    exercise = listening_exercise(rounds=1)
    with Store.open(database) as store:
        for number, start in enumerate((1_790_000_000.0, 1_790_600_000.0)):
            session_id = store.create_session(
                exercise.id, exercise.title, ["Ana", "Ben"], now=start
            )
            speaker_words = ""
            for planned in build_plan(exercise, ["Ana", "Ben"]):
                words = said[planned.turn.id] or None
                store.record_turn(
                    session_id,
                    TurnRecord(
                        index=planned.index,
                        round=planned.round,
                        phase_id=planned.phase.id,
                        turn_id=planned.turn.id,
                        role=planned.turn.role,
                        participant=planned.person if words else "",
                        prompt=planned.turn.prompts[0],
                        transcript=words,
                        started_at=start + 60 * planned.index,
                        ended_at=start + 60 * planned.index + 40,
                        status=TurnStatus.DONE,
                    ),
                )
                if words:
                    findings = analyze_turn(planned, words, speaker_words or None, seconds=40)
                    # As the runner stores them: the review works the rest out.
                    for finding in findings.at_rest(keep_words=True).each():
                        store.add_feedback(session_id, planned.index, finding)
                    if planned.turn.ask_rating:
                        store.add_rating(session_id, planned.index, "Ana", 4 + number % 2)
                    speaker_words = words
            store.set_status(session_id, SessionStatus.FINISHED, now=start + 600)
