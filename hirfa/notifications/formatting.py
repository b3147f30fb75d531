"""A notification's text, formatted when it is rendered in the recipient's language."""


class Formatted:
    """A lazy translated text with its values, rendered in the recipient's language."""

    def __init__(self, text, values):
        self.text, self.values = text, values

    def __str__(self) -> str:
        text = str(self.text)
        return text % self.values if "%(" in text else text
