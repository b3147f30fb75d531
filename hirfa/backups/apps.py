from django.apps import AppConfig


class BackupsConfig(AppConfig):
    """`hirfa backup` and `hirfa restore` (docs/backups.md): above every app, they know
    every app's data; no models of their own."""

    name = "hirfa.backups"
    label = "backups"
