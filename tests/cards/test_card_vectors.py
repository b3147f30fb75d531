"""The published test vectors (docs/card-test-vectors/) never go stale: rebuilt here byte
for byte, and each one gets its stated verdict from our reader, the Claim 169 ones also
from the independent `claim169` library."""

import json

import claim169 as independent
import pytest

from hirfa.cards import qr, statuslist
from tests.cards import card_vectors

FILES = card_vectors.vectors()
INDEX = json.loads(FILES["vectors.json"])


@pytest.mark.parametrize("name", sorted(FILES))
def test_the_published_file_is_what_the_generator_makes(name):
    published = card_vectors.FOLDER / name
    assert published.read_bytes() == FILES[name], (
        f"{published} is stale: run `PYTHONPATH=. python -m tests.cards.card_vectors`"
    )


def test_the_readme_lists_every_vector():
    readme = (card_vectors.FOLDER / "README.md").read_text()
    assert all(vector["file"] in readme for vector in INDEX["vectors"])


def our_key(kid):
    return card_vectors.PRIVATE.public_key() if kid == card_vectors.KID else None


@pytest.mark.parametrize("vector", INDEX["vectors"], ids=lambda v: v["file"])
def test_each_vector_gets_its_verdict_from_our_reader(vector):
    text = (card_vectors.FOLDER / vector["file"]).read_text().strip()
    now = INDEX["checked_at"]
    listed = statuslist.decode(FILES["status-list.cwt"], our_key, now=now)
    try:
        signed = qr.decode_card(text, our_key)
    except qr.NotGenuine:
        assert vector["verdict"] == "not_genuine"
        return
    reason = statuslist.revocation_reason(signed, listed)
    assert qr.verdict(signed, revocation_reason=reason, now=now) == vector["verdict"]


@pytest.mark.parametrize(
    "vector", [v for v in INDEX["vectors"] if v["format"] == "claim169"], ids=lambda v: v["file"]
)
def test_the_independent_library_agrees_on_the_signature(vector):
    text = (card_vectors.FOLDER / vector["file"]).read_text().strip()
    public = bytes.fromhex(INDEX["key"]["x_hex"])
    if vector["verdict"] == "not_genuine":
        with pytest.raises(independent.SignatureError):
            independent.decode_with_ed25519(text, public, validate_timestamps=False)
    else:
        result = independent.decode_with_ed25519(text, public, validate_timestamps=False)
        assert result.is_verified() and result.cwt_meta.issuer == INDEX["issuer"]
