"""Feedback: pure functions from transcripts to findings (no I/O but the word lists).

Public entry points:

- ``reflection.analyze_reflection(speaker, listener, listener_style, encoder)``
- ``expression.analyze_expression(text, seconds)``
- ``measures.session_measures(turns)`` over ``measures.TurnSummary`` records
- ``response.classify_response(listener, coverage, speaker)``
- ``semantic.load_encoder()``: the default sentence vectors, or None (overlap only)
- ``privacy.scores_only(findings)``
"""
