"""Progress trends from stored sessions."""

from __future__ import annotations

from guided_talk.feedback.findings import TurnFindings
from guided_talk.session.progress import chart, progress, session_measures
from guided_talk.store import SessionDetail, SessionSummary, StoredTurn
from guided_talk.values import SessionMode, SessionStatus, TurnStatus


def turn(
    person: str, start: float, end: float, paused: float = 0.0, **feedback: dict[str, object]
) -> StoredTurn:
    return StoredTurn(
        index=0,
        round=0,
        phase_id="p",
        turn_id="t",
        role="r",
        participant=person,
        prompt="",
        transcript="words",
        started_at=start,
        ended_at=end,
        status=TurnStatus.DONE,
        feedback=TurnFindings.from_stored(feedback),  # as the store reads them back
        ratings={},
        paused_seconds=paused,
    )


def session(started: float, *turns: StoredTurn) -> SessionDetail:
    summary = SessionSummary(
        id=f"s{started}",
        exercise_id="x",
        exercise_title="X",
        mode=SessionMode.COUPLE,
        status=SessionStatus.FINISHED,
        started_at=started,
        ended_at=None,
        participants=("Ana", "Ben"),
        turn_count=len(turns),
        next_index=0,
    )
    return SessionDetail(summary=summary, turns=turns, settings={})


def test_measures_per_person() -> None:
    values = session_measures(
        (
            turn(
                "Ana",
                0,
                30,
                expression={
                    "slots": {"feeling": "sad", "need": "rest"},
                    "pace_wpm": 120,
                    "fillers_per_minute": 2.0,
                },
            ),
            turn(
                "Ben",
                30,
                40,
                reflection={
                    "coverage": 0.5,
                    "response_type": "reflection",
                    "reflection_depth": "complex",
                },
            ),
            turn("Ben", 40, 50, reflection={"coverage": 1.0, "response_type": "question"}),
        )
    )
    assert values["Ana"] == {
        "i_statement": 0.5,
        "fillers_per_minute": 2.0,
        "pace_wpm": 120.0,
        "talk_share": 0.6,
    }
    assert values["Ben"]["coverage"] == 0.75 and values["Ben"]["complex_share"] == 1.0
    assert values["Ben"]["reflections_per_question"] == 1.0


def test_talk_share_counts_speaking_time_not_the_time_a_pause_held_a_turn() -> None:
    # Ana spoke for 30 s, but her turn spanned a two-minute pause; Ben spoke 30 s.
    values = session_measures((turn("Ana", 0, 150, paused=120), turn("Ben", 150, 180)))
    assert values["Ana"]["talk_share"] == values["Ben"]["talk_share"] == 0.5


def test_trends_are_in_time_order() -> None:
    later = session(200, turn("Ben", 0, 10, reflection={"coverage": 0.9}))
    earlier = session(100, turn("Ben", 0, 10, reflection={"coverage": 0.3}))
    assert progress([later, earlier])["Ben"]["coverage"] == [0.3, 0.9]


def test_chart_plots_each_person_with_their_own_marker() -> None:
    lines = chart({"Ana": [0.2, 0.6, 1.0], "Ben": [0.2, 1.0]}, "{:.0%}", width=5, height=3)
    assert lines == [
        "  100% ┤    ✱",
        "       ┤   ● ",
        "   20% ┤  ●▲ ",
    ]
    assert chart({}, "{}") == [] and chart({"Ana": []}, "{}") == []


def test_a_flat_series_sits_on_the_bottom_line() -> None:
    assert chart({"Ana": [3.0, 3.0]}, "{:.1f}", width=3, height=2) == ["   3.0 ┤   ", "   3.0 ┤ ●●"]
