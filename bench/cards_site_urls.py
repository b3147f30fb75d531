from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from hirfa.urls import urlpatterns as hirfa_urlpatterns


@csrf_exempt  # a POST (the verification's floor) is answered, not refused
def minimal(request):
    return HttpResponse(b'{"ok": true}', content_type="application/json")


urlpatterns = [path("bench/minimal", minimal), *hirfa_urlpatterns]
