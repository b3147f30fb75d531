from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The web site as a whole, above every app: the home page, the menu, the demo data."""

    name = "hirfa.site"
    label = "site"
