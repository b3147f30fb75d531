"""What an audit entry's action means, in a sentence of the reader's language.

The audit knows no domain: each app tells it, when it starts (`AppConfig.ready`), the
sentences of the actions it records (`describe`). History pages then show "The officer
approved the file" rather than `dossier.approve`; an action nobody described keeps its
code.
"""

_SENTENCES: dict[str, object] = {}


def describe(sentences: dict[str, object]) -> None:
    """Register the sentence (a lazy translation) of each action of `sentences`."""
    _SENTENCES.update(sentences)


def sentence_for(action: str) -> str | None:
    """The action told in the active language, or None when no app described it."""
    sentence = _SENTENCES.get(action)
    return None if sentence is None else str(sentence)
