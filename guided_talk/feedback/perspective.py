"""Say a partner's words back from the listener's side: "I felt hurt when you left"
becomes "you felt hurt when I left"."""

from __future__ import annotations

import re

_SWAPS = {
    "i": "you",
    "me": "you",
    "my": "your",
    "mine": "yours",
    "myself": "yourself",
    "i'm": "you're",
    "i've": "you've",
    "i'd": "you'd",
    "i'll": "you'll",
    "your": "my",
    "yours": "mine",
    "yourself": "myself",
    "you're": "I'm",
    "you've": "I've",
    "you'd": "I'd",
    "you'll": "I'll",
    "am": "are",
}
#: "You" after these (or first) is a subject and becomes "I" ("when you left" ->
#: "when I left"); anywhere else it is an object and becomes "me" ("asking you").
_BEFORE_SUBJECT = frozenset(
    [
        "and",
        "but",
        "because",
        "cause",
        "that",
        "if",
        "so",
        "then",
        "while",
        "since",
        "until",
        "before",
        "after",
        "as",
        "where",
        "how",
        "what",
        "why",
        "whether",
        "though",
        "although",
        "when",
        "whenever",
        "like",
        "or",
    ]
)
_WORD = re.compile(r"[A-Za-z']+")


def said_back(text: str) -> str:
    """The text with first and second person swapped (a light rule, not a parser)."""
    words = _WORD.findall(text)
    out: list[str] = []
    for index, match in enumerate(_WORD.finditer(text)):
        word = match.group(0)
        lower = word.lower()
        previous = words[index - 1].lower() if index else ""
        if lower == "you":
            swapped = "I" if not previous or previous in _BEFORE_SUBJECT else "me"
        elif lower == "am" and previous != "i":
            swapped = word
        else:
            swapped = _SWAPS.get(lower, word)
        out.append(swapped)
    pieces = _WORD.split(text)
    joined = pieces[0] + "".join(w + rest for w, rest in zip(out, pieces[1:], strict=True))
    return joined.strip(" ,.;")
