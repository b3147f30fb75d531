"""Translated messages for the error codes of the exchange format (plain Python there)."""

from django.utils.translation import gettext as _

from hirfa.cnss.exchange_format import FileError, LineError


def _file_messages() -> dict[str, str]:
    return {
        "empty_file": _("The file is empty."),
        "bad_header": _("The first line is not a valid batch header."),
        "unsupported_schema": _("Schema version %(version)s is not supported."),
        "truncated": _("The file is truncated: its end (the signature line) is missing."),
        "count_mismatch": _(
            "The header announces %(expected)s records but the file holds %(found)s."
        ),
        "checksum_mismatch": _("The SHA-256 checksum of the records does not match the header."),
        "unknown_key": _("The file is signed with an unknown key (%(key_id)s)."),
        "bad_signature": _("The signature of the file is not valid."),
        "wrong_direction": _("This batch is not addressed to the register."),
        "batch_conflict": _("Batch %(batch_id)s was already imported with a different content."),
        "sequence_used": _(
            "Sequence %(sequence)s was already used by batch %(other)s (duplicate batch)."
        ),
        "out_of_order": _(
            "Batch %(batch_id)s is out of order: sequence %(expected)s is expected next."
        ),
    }


def _line_messages() -> dict[str, str]:
    return {
        "line_too_long": _("The line is too long."),
        "bad_json": _("The line is not a JSON object."),
        "wrong_type": _("This kind of record does not belong in this batch."),
        "missing_field": _("The field “%(field)s” is missing."),
        "bad_field": _("The field “%(field)s” is not valid."),
        "amount_precision": _(
            'The amount must be a string with exactly two decimals, e.g. "135.00".'
        ),
        "repeated_line": _("This line repeats an earlier line of the same batch."),
    }


def file_message(error: FileError) -> str:
    template = _file_messages().get(error.code, error.code)
    return template % error.params if error.params else template


def line_message(error: LineError) -> str:
    template = _line_messages().get(error.code, error.code)
    return template % {"field": error.field, **error.params} if "%(" in template else template


def _rejection_reasons() -> dict[str, str]:
    return {
        "CNIE_UNKNOWN": _(
            "The CNSS does not find this national identity card number in the national "
            "identity register: check the CNIE."
        ),
        "ALREADY_COVERED": _("The CNSS says this artisan is already insured under another scheme."),
        "UNKNOWN_INSURED": _("The CNSS does not know this insured."),
        "INVALID_RECORD": _("The CNSS found the record we sent invalid."),
    }


def rejection_label(code: str) -> str:
    """A CNSS rejection code, in the reader's language (the code itself when unknown)."""
    return _rejection_reasons().get(code, code)


def rejection_reason(code: str, reason: str) -> str:
    """Why the CNSS rejected an artisan, in the reader's language; the CNSS's own words
    for a code we do not know."""
    known = _rejection_reasons().get(code)
    return known if known is not None else (reason or code)
