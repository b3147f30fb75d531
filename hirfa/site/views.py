from django.shortcuts import render

from hirfa.crafts.selectors import current_release


def home(request):
    return render(request, "site/home.html", {"nomenclature": current_release()})
