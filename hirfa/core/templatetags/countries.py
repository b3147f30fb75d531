from django import template

from hirfa.core.countries import country_name

register = template.Library()


@register.filter
def country(code: str) -> str:
    """`{{ person.nationality|country }}`: the country's name in the reader's language."""
    return country_name(code)
