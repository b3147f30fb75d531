from django.http import HttpResponse
from django.urls import path

from hirfa.urls import urlpatterns as hirfa_urlpatterns


def minimal(request):
    return HttpResponse(b'{"ok": true}', content_type="application/json")


urlpatterns = [path("bench/minimal", minimal), *hirfa_urlpatterns]
