from django import template

from hirfa.audit.wording import sentence_for

register = template.Library()


@register.filter
def in_words(action: str) -> str | None:
    """`{{ entry.action|in_words }}`: the sentence of an action, or None (show its code)."""
    return sentence_for(str(action or ""))
