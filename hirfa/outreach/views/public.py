"""Public pages of events, without login: the list by region and province, an event's page
(with what to bring to register, and its FAQ), its .ics, its poster, a region's calendar
feed, and signing up by phone with an SMS code."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods

from hirfa.core.errors import DomainError
from hirfa.core.forms import show_domain_error
from hirfa.outreach import ics, policy, selectors, services
from hirfa.outreach.forms import CodeForm, SignUpForm
from hirfa.register.models import NATURAL_PERSON_CATEGORIES, Category
from hirfa.register.selectors import required_documents
from hirfa.territory.models import Province, Region


@require_GET
def events(request):
    """Upcoming published events, filtered by region and province."""
    regions = list(selectors.public_regions())
    region = next((r for r in regions if r.code == request.GET.get("region")), None)
    provinces = list(Province.objects.filter(region=region).order_by("code")) if region else []
    province = next((p for p in provinces if p.code == request.GET.get("province")), None)
    upcoming = list(selectors.upcoming_events(region=region, province=province)[:100])
    return render(
        request,
        "outreach/public/events.html",
        {
            "events": upcoming,
            "regions": regions,
            "region": region,
            "provinces": provinces,
            "province": province,
        },
    )


def _documents(event):
    """What to bring to register: the documents of each category the event is for."""
    categories = [Category(c) for c in event.categories] or [
        c for c in Category if c in NATURAL_PERSON_CATEGORIES
    ]
    return [(category.label, required_documents(category)) for category in categories]


def _event(key):
    try:
        return selectors.public_event(key)
    except DomainError:
        raise Http404 from None


def _page(request, event, *, form=None, status=200):
    return render(
        request,
        "outreach/public/event.html",
        {
            "event": event,
            "documents": _documents(event),
            "faq": selectors.faq_of(event),
            "form": form or SignUpForm(),
            "open": policy.is_open_for_sign_up(event),
            "url": ics.event_url(event),
        },
        status=status,
    )


@require_GET
def event(request, key):
    return _page(request, _event(key))


@require_http_methods(["POST"])
def sign_up(request, key):
    """Name and phone: a code is sent by SMS; the next page asks for it."""
    event = _event(key)
    form = SignUpForm(request.POST)
    if not form.is_valid():
        return _page(request, event, form=form, status=400)
    try:
        attendee = services.start_sign_up(
            event=event,
            name=form.cleaned_data["name"],
            phone=form.cleaned_data["phone"],
            language=get_language() or "ar",
        )
    except DomainError as error:
        show_domain_error(request, form, error)
        return _page(request, event, form=form, status=error.status)
    url = reverse("outreach:confirm", args=[event.slug])
    return redirect(f"{url}?phone={attendee.phone[1:]}")


@require_http_methods(["GET", "POST"])
def confirm(request, key):
    event = _event(key)
    if request.method == "GET":
        phone = "+" + str(request.GET.get("phone") or "").strip().lstrip("+")[:15]
        form = CodeForm(initial={"phone": phone})
        return render(request, "outreach/public/confirm.html", {"event": event, "form": form})
    form = CodeForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            attendee = services.confirm_sign_up(
                event=event, phone=form.cleaned_data["phone"], code=form.cleaned_data["code"]
            )
        except DomainError as error:
            show_domain_error(request, form, error)
            status = error.status
        else:
            return render(
                request, "outreach/public/signed_up.html", {"event": event, "attendee": attendee}
            )
    return render(
        request, "outreach/public/confirm.html", {"event": event, "form": form}, status=status
    )


def _calendar(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def event_ics(request, key):
    event = _event(key)
    return _calendar(ics.calendar([event], name=event.name), f"{event.slug}.ics")


@require_GET
def region_ics(request, code):
    region = Region.objects.filter(code=str(code)[:2]).first()
    if region is None:
        raise Http404
    return _calendar(
        ics.calendar(selectors.region_feed(region), name=region.name), f"events-{region.code}.ics"
    )


@require_GET
def poster(request, key):
    event = _event(key)
    from hirfa.outreach.poster import render_poster  # fpdf, when drawn (ADR 0090)

    response = HttpResponse(render_poster(event), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{event.slug}.pdf"'
    return response
