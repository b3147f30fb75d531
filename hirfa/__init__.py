"""hirfa — software of Morocco's National Register of Traditional Crafts."""

__version__ = "0.1.0"
