from django.shortcuts import render

from hirfa.crafts.selectors import current_release, nomenclature_tree


def nomenclature(request):
    return render(
        request,
        "crafts/list.html",
        {"categories": nomenclature_tree(), "release": current_release()},
    )
