"""Names of what is counted, in the page's language."""

from django.utils.translation import gettext_lazy as _

from hirfa.coverage.models import Dependant
from hirfa.coverage.models import State as AmoState
from hirfa.crafts.models import Activity, Branch
from hirfa.register.models import Category, Dossier, Sex
from hirfa.register.rules import RejectionReason
from hirfa.territory.models import Commune, Province, Region

AGE_BANDS = {
    "u25": _("under 25"),
    "25-34": _("25 to 34"),
    "35-44": _("35 to 44"),
    "45-54": _("45 to 54"),
    "55-64": _("55 to 64"),
    "65+": _("65 and over"),
    "": _("not applicable"),
}
DIMENSION_LABELS = {
    "region": _("Region"),
    "province": _("Province"),
    "commune": _("Commune"),
    "branch": _("Branch"),
    "activity": _("Activity"),
    "category": _("Category"),
    "sex": _("Sex"),
    "age_band": _("Age at registration"),
}
_MODELS = {
    "region": Region,
    "province": Province,
    "commune": Commune,
    "branch": Branch,
    "activity": Activity,
}
CODED = ("region", "province", "commune")


def names(dimension: str, values) -> dict:
    """{value: (code, name)} for the values of a dimension."""
    model = _MODELS.get(dimension)
    if model is not None:
        return {o.pk: (o.code, o.name) for o in model.objects.filter(pk__in=set(values))}
    if dimension == "category":
        return {v: ("", Category(v).label if v in Category.values else v) for v in values}
    if dimension == "sex":
        return {
            v: ("", Sex(v).label if v in Sex.values else _("Cooperatives and enterprises"))
            for v in values
        }
    return {v: ("", AGE_BANDS.get(v, v)) for v in values}


def state_label(value: str) -> str:
    return Dossier.State(value).label if value in Dossier.State.values else value


def amo_label(value: str) -> str:
    return AmoState(value).label if value in AmoState.values else value


def relation_label(value: str) -> str:
    relations = Dependant._meta.get_field("relation").choices
    return dict(relations).get(value, value)


def reason_label(value: str) -> str:
    return RejectionReason(value).label if value in RejectionReason.values else value
