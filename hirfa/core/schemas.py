from ninja import Schema


class NamedOut(Schema):
    """A reference entry with its official names."""

    code: str
    name: str
    name_ar: str
    name_fr: str
    name_zgh: str
