"""The browser verifier's parsers (rna.js) against what Python makes and random bytes: the
same bytes out, and on hostile input a NotGenuine refusal, never another error."""

import zlib
from pathlib import Path

import cbor2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hirfa.cards import qr

pytestmark = pytest.mark.browser

RNA_JS = Path(__file__).parents[2] / "hirfa/verification/static/hirfa/verify/rna.js"
BATCH = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def js(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_content("<!doctype html><title>rna.js</title>")
    page.add_script_tag(path=str(RNA_JS))
    yield page
    context.close()


@BATCH
@given(st.lists(st.binary(max_size=300), min_size=1, max_size=30))
def test_base45_decodes_what_python_encodes(js, blobs):
    decoded = js.evaluate(
        "texts => texts.map(t => Array.from(RNA.base45Decode(t)))",
        [qr.b45encode(blob) for blob in blobs],
    )
    assert [bytes(d) for d in decoded] == blobs


@BATCH
@given(st.lists(st.text(alphabet=qr.BASE45_ALPHABET + "abc#\u00e9", max_size=40), max_size=30))
def test_base45_refuses_bad_text_as_not_genuine_only(js, texts):
    outcomes = js.evaluate(
        "texts => { " + OUTCOMES + " return outcomes(texts, RNA.base45Decode) }",
        texts,
    )
    for text, outcome in zip(texts, outcomes, strict=True):
        try:
            qr.b45decode(text)
            expected = "ok"
        except ValueError:
            expected = "refused"
        assert outcome == expected, text


cbor_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53) + 1, 2**53 - 1)
    | st.text(max_size=20)
    | st.binary(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.integers(-100, 100) | st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=12,
)


def plain(value):
    """A decoded CBOR value as JSON-able data, the way the page's test code returns it."""
    if isinstance(value, bytes):
        return {"bytes": list(value)}
    if isinstance(value, dict):
        return {"map": [[plain(k), plain(v)] for k, v in value.items()]}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


# Each value's outcome: "ok", "refused" (a NotGenuine error) or any other error's text.
OUTCOMES = """
function outcomes(values, step) {
  return values.map(v => {
    try { step(v); return 'ok' }
    catch (e) { return e.name === 'NotGenuine' ? 'refused' : String(e) }
  });
}
"""

TO_PLAIN = """
function plain(v) {
  if (v instanceof Uint8Array) return {bytes: Array.from(v)};
  if (v instanceof Map) return {map: Array.from(v, ([k, x]) => [plain(k), plain(x)])};
  if (Array.isArray(v)) return v.map(plain);
  return v;
}
"""


@BATCH
@given(st.lists(cbor_values, min_size=1, max_size=20))
def test_cbor_decodes_what_python_encodes(js, values):
    encoded = [cbor2.dumps(v, canonical=True) for v in values]
    decoded = js.evaluate(
        "blobs => { " + TO_PLAIN + " return blobs.map("
        "b => plain(RNA.cborDecode(Uint8Array.from(b), 'cbor'))) }",
        [list(blob) for blob in encoded],
    )
    assert decoded == [plain(cbor2.loads(blob)) for blob in encoded]


@BATCH
@given(st.lists(st.binary(max_size=200), min_size=1, max_size=40))
def test_random_bytes_never_break_the_cbor_decoder(js, blobs):
    outcomes = js.evaluate(
        "blobs => { " + OUTCOMES + " return outcomes(blobs, "
        "b => RNA.cborDecode(Uint8Array.from(b), 'cbor')) }",
        [list(b) for b in blobs],
    )
    assert set(outcomes) <= {"ok", "refused"}


def test_deep_nesting_and_huge_lengths_are_refused(js):
    deep = bytes([0x81] * 1000) + b"\x00"
    huge = bytes([0x5B, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
    many = bytes([0x9A, 0x00, 0xFF, 0xFF, 0xFF])
    kinds = js.evaluate(
        """blobs => blobs.map(b => { try { RNA.cborDecode(Uint8Array.from(b), 'cbor'); return 'ok' }
                                     catch (e) { return e.message } })""",
        [list(deep), list(huge), list(many)],
    )
    assert kinds == ["cbor: nested too deeply", "cbor: integer too large", "cbor: truncated"]


def test_inflate_stops_at_the_bound(js):
    outcomes = js.evaluate(
        """async blobs => {
             const out = [];
             for (const b of blobs) {
               try { out.push((await RNA.inflate(Uint8Array.from(b), 4096)).length) }
               catch (e) { out.push(e.kind) }
             }
             return out }""",
        [
            list(zlib.compress(b"x" * 4096)),
            list(zlib.compress(b"x" * 4097)),
            list(zlib.compress(b"\0" * 50_000_000)),
            list(zlib.compress(b"abc")[:-2]),
        ],
    )
    assert outcomes == [4096, "too_large", "too_large", "zlib"]


@BATCH
@given(st.lists(st.text(alphabet=qr.BASE45_ALPHABET, max_size=60), min_size=1, max_size=20))
def test_the_camera_address_gives_back_the_text_python_put_in_it(js, texts):
    addresses = [qr.camera_url("https://rna.example.ma", qr.PREFIX + text) for text in texts]
    assert js.evaluate("xs => xs.map(x => RNA.payload(x))", addresses) == [
        qr.payload_text(address) for address in addresses
    ]
    assert js.evaluate("xs => xs.map(x => RNA.payload(x))", addresses) == [
        qr.PREFIX + text for text in texts
    ]


@BATCH
@given(st.lists(st.text(alphabet=qr.BASE45_ALPHABET + "%#abcF\u00e9", max_size=30), max_size=20))
def test_a_camera_fragment_is_refused_alike_by_python_and_the_browser(js, fragments):
    addresses = ["https://rna.example.ma/verify/#" + fragment for fragment in fragments]
    outcomes = js.evaluate("xs => { " + OUTCOMES + " return outcomes(xs, RNA.payload) }", addresses)
    for address, outcome in zip(addresses, outcomes, strict=True):
        try:
            qr.payload_text(address)
            expected = "ok"
        except qr.NotGenuine:
            expected = "refused"
        assert outcome == expected, address
