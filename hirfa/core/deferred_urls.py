"""An included URLconf that is imported when it is first needed, not with the project's.

Django gathers the names of every included URLconf for any `reverse()` (the first page
reverses its links): an `include()` is imported with the first request whatever its path.
A `DeferredResolver` is imported when a path under its prefix is resolved, a name in its
namespace reversed (`reverse()` then reads its patterns) or the URLconf checked: the JSON
API's routers and schemas are built by the first request to /api/v1/, not by the first page
(docs/decisions/0090)."""

from django.urls import URLResolver
from django.urls.resolvers import RoutePattern


class DeferredResolver(URLResolver):
    """The resolver of a namespaced URLconf given by its module's name."""

    def _populate(self):
        # Its parent gathers names: a namespaced URLconf is known to it by its namespace,
        # and gives its own names once imported.
        if "urlconf_module" in self.__dict__:
            super()._populate()

    def _import(self) -> None:
        self.urlconf_module  # noqa: B018 (a cached property: importing is its effect)

    # Whoever reads its names directly imports it first.
    @property
    def reverse_dict(self):
        self._import()
        return super().reverse_dict

    @property
    def namespace_dict(self):
        self._import()
        return super().namespace_dict

    @property
    def app_dict(self):
        self._import()
        return super().app_dict

    def _is_callback(self, name):
        self._import()
        return super()._is_callback(name)


def deferred_include(route: str, module: str, *, app_name: str, namespace: str):
    """`path(route, include(module, namespace))`, with `module` imported when first needed."""
    return DeferredResolver(
        RoutePattern(route, is_endpoint=False), module, app_name=app_name, namespace=namespace
    )
