from django import forms
from django.utils.translation import gettext_lazy as _

from hirfa.cards.models import Card
from hirfa.cards.services import REISSUE_REASONS


class ReissueForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why a new card?"),
        choices=[(r.value, r.label) for r in REISSUE_REASONS],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReprintForm(forms.Form):
    reason = forms.CharField(label=_("Reason of the reprint"), max_length=300)


class HandOverForm(forms.Form):
    received_by = forms.CharField(label=_("Received by (full name)"), max_length=200)
    acknowledged = forms.BooleanField(
        label=_("The holder signed the acknowledgement of receipt."), required=False
    )


class QueueFilterForm(forms.Form):
    province = forms.ChoiceField(label=_("Province"), required=False)
    state = forms.ChoiceField(
        label=_("Printing"),
        required=False,
        choices=[
            (Card.PrintState.TO_PRINT.value, Card.PrintState.TO_PRINT.label),
            (Card.PrintState.PRINTED.value, Card.PrintState.PRINTED.label),
            (Card.PrintState.HANDED_OVER.value, Card.PrintState.HANDED_OVER.label),
        ],
    )

    def __init__(self, *args, provinces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", _("All provinces"))] + [
            (p.code, p.name) for p in provinces
        ]
