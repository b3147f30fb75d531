"""Texts of notifications, rendered in the recipient's language at delivery."""


class Formatted:
    """A lazily formatted translatable text: `text` (a lazy translation) with its `%(name)s`
    values, turned into a string only when rendered, so in the recipient's language.

    A text without placeholders is rendered as it is (a literal "%" stays untouched)."""

    def __init__(self, text, values):
        self.text, self.values = text, values

    def __str__(self) -> str:
        text = str(self.text)
        return text % self.values if "%(" in text else text
