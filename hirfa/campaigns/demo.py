"""The demo's campaign: the chamber of Souss-Massa asks the artisans registered in Tiznit who
are not enrolled in AMO to come and enrol (a draft, to show its count and preview)."""

from django.db import transaction

from hirfa.accounts.models import User
from hirfa.campaigns import services
from hirfa.campaigns.models import Campaign

NAME = "Tiznit : inscrits au registre, pas encore à l'AMO"
MESSAGES = {
    "ar": (
        "السلام {name}، أنتم مسجلون في السجل الوطني للصناعة التقليدية. "
        "سجلوا الآن في التأمين الإجباري عن المرض: {link}"
    ),
    "fr": (
        "Bonjour {name}, vous êtes inscrit(e) au registre national de l'artisanat. "
        "Inscrivez-vous maintenant à l'AMO : {link}"
    ),
    "zgh": "ⴰⵣⵓⵍ {name}, ⵙⵙⵉⵊⴰⵍ ⴷⵖⵉ ⴳ AMO: {link}",
    "en": "Hello {name}, you are in the national crafts register. Enrol in AMO now: {link}",
}


def load_demo_campaigns() -> dict:
    """Create the demo campaign if it is missing; returns {"created": n}."""
    agent = User.objects.filter(username="agent.soussmassa").first()
    if agent is None or Campaign.objects.filter(name=NAME).exists():
        return {"created": 0}
    with transaction.atomic():
        services.create_campaign(
            actor=agent,
            data={
                "name": NAME,
                "channel": "sms",
                "criteria": {"province": "09.581", "amo": "not_enrolled"},
                "link": "https://www.cnss.ma/fr/content/amo-des-independants",
                "messages": MESSAGES,
            },
        )
    return {"created": 1}
