from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hirfa.cards import qr
from hirfa.cards.reading import TooLarge, Unreadable, card_texts
from hirfa.cards.verification import verify_text


class Command(BaseCommand):
    help = (
        "Verify a professional card from its QR text, or an image or PDF holding it. "
        "Exit status 0 when the card is valid, 1 otherwise."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "source",
            help="RNA1:… text or …/verify/#RNA1:… address, or the path of an image or a PDF",
        )

    def handle(self, *args, source, **options):
        try:
            texts = card_texts(source)
        except TooLarge:
            raise CommandError(
                _("This file is too large to be read: send a card or a photo of it.")
            ) from None
        except Unreadable:
            raise CommandError(_("The file cannot be read as an image or a PDF.")) from None
        if not texts:
            raise CommandError(_("No QR code was found in the file."))
        all_valid = True
        for text in texts:
            result = verify_text(text)
            all_valid &= result.verdict == qr.Verdict.VALID
            self.stdout.write(f"{result.verdict.name.replace('_', ' ')}: {result.reason}")
            if isinstance(result.signed, qr.SignedAttestation):
                claims = result.signed.attestation
                self.stdout.write(
                    f"  {claims.number}  {claims.name_latin} / {claims.name_ar}"
                    f"  {claims.category}  {claims.activity}  {claims.province}"
                    f"  {claims.registered_on} → {claims.valid_until or '…'}"
                )
            elif result.signed is not None:
                card = result.signed.card
                self.stdout.write(
                    f"  {card.number} v{card.version}  {card.name_latin} / {card.name_ar}"
                    f"  {card.category}  {card.activity}  {card.province}"
                )
        if not all_valid:
            raise CommandError(_("The card is not valid."), returncode=1)
