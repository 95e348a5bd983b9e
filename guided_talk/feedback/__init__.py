"""Feedback: pure functions from transcripts to findings (no I/O but the word lists).

Public entry points:

- ``reflection.analyze_reflection(speaker, listener, listener_style, encoder=...)``
- ``expression.analyze_expression(text, seconds)``
- ``measures.session_measures(turns)`` over ``measures.TurnSummary`` records
- ``response.classify_response(listener, coverage, speaker)``
- ``semantic.load_encoder()``: the default sentence encoder, or None (overlap only)

Every result is a typed value from ``findings``; its ``to_stored``, ``from_stored``
and ``at_rest`` say what is kept on disk.
"""
