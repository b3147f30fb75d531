from hirfa.territory.search import fold
from hirfa.territory.validators import TIFINAGH_NAME


def test_folding_removes_case_and_latin_accents():
    assert fold("Béni Mellal") == fold("BENI MELLAL") == "beni mellal"


def test_folding_treats_hyphens_and_apostrophes_as_spaces():
    assert fold("M'diq-Fnideq") == "m diq fnideq"


def test_folding_unifies_arabic_spelling_variants():
    assert fold("إنزكان-آيت ملول") == fold("انزكان ايت ملول")
    assert fold("قلعة السراغنة") == fold("قلعه السراغنه")
    assert fold("مَرَّاكُش") == "مراكش"


def test_folding_drops_control_characters():
    assert fold("tiz\x00nit\u200f") == "tiznit"


def test_tifinagh_names_are_recognised_and_latin_ones_are_not():
    assert TIFINAGH_NAME.fullmatch("ⵜⵉⵣⵏⵉⵜ")
    assert not TIFINAGH_NAME.fullmatch("Tiznit")
