"""The JSON API, version 1, mounted at /api/v1/.

Imported (its routers, schemas and operations built) when a request first reaches /api/v1/
or the URLconf is checked, not with the URLconf (hirfa.urls, docs/decisions/0090)."""

from ninja import NinjaAPI

from hirfa.core.api_errors import install_error_handlers
from hirfa.core.api_parser import ObjectBodyParser

api = NinjaAPI(
    title="hirfa — National Register of Traditional Crafts",
    version="1",
    description=(
        "JSON API of the National Register of Traditional Crafts. Errors always have "
        'the shape {"code", "message", "fields"}, with the message in the language of '
        "the Accept-Language header (ar, zgh, fr, en)."
    ),
    urls_namespace="api",
    parser=ObjectBodyParser(),
)
install_error_handlers(api)

api.add_router("/territories/", "hirfa.territory.api.router")
api.add_router("/crafts/", "hirfa.crafts.api.router")
api.add_router("/", "hirfa.accounts.api.router")
api.add_router("/register/", "hirfa.register.api.router")
api.add_router("/cnss/", "hirfa.cnss.api.router")
api.add_router("/coverage/", "hirfa.coverage.api.router")
api.add_router("/cards/", "hirfa.cards.api.router")
api.add_router("/search/", "hirfa.search.api.router")
api.add_router("/exports/", "hirfa.imports.api.router")
api.add_router("/me/", "hirfa.privacy.api.router")
api.add_router("/open-data/", "hirfa.stats.api.router")
api.add_router("/field/", "hirfa.field.api.router")

# This module is the URLconf of /api/v1/ (hirfa.urls mounts it by name, loaded lazily).
urlpatterns, app_name, _namespace = api.urls
