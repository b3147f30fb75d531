"""Date and number formats Django does not ship for our languages (FORMAT_MODULE_PATH).

Django's Arabic formats have no date-and-time format, and Tamazight has none at all: both
would fall back to the American "11/25/2026 4:12 p.m.". In Morocco dates are written day
first and times on 24 hours. Only what is missing or wrong is set here; the rest comes
from Django's own locale files.
"""
