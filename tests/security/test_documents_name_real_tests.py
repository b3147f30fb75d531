"""The security documents stay true: every test that `docs/security.md` and
`docs/threat-model.md` give as proof exists, the threat model covers its five surfaces
letter by letter, and the reference proxy configuration allows only TLS 1.2 and 1.3."""

import re

import pytest

from tests.helpers import ROOT

DOCUMENTS = ["docs/security.md", "docs/threat-model.md"]
# `tests/x.py::test_a`, and `::test_b` after it for another test of the same file.
REFERENCE = re.compile(r"`(tests/[\w/]+\.py)?(?:::(\w+))?`")
SURFACES = [
    "The public card verifier",
    "Sign-up by SMS",
    "The agent desk",
    "The CNSS exchange",
    "The admin site",
]


def named_tests(document: str) -> list[tuple[str, str | None]]:
    """(file, test or None) for each test a document names, line by line."""
    named = []
    for line in (ROOT / document).read_text().splitlines():
        current = None
        for match in REFERENCE.finditer(line):
            path, test = match.groups()
            current = path or current
            if current and (path or test):
                named.append((current, test))
    return named


@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_test_the_security_documents_name_exists(document):
    named = named_tests(document)
    assert len(named) > 40
    missing = [
        f"{path}::{test}" if test else path
        for path, test in named
        if not (ROOT / path).exists()
        or (test and not re.search(rf"^def {test}\(", (ROOT / path).read_text(), re.M))
    ]
    assert missing == []


def test_the_threat_model_covers_the_five_surfaces_with_every_stride_letter():
    text = (ROOT / "docs/threat-model.md").read_text()
    sections = re.split(r"^## \d\. ", text, flags=re.M)[1:]
    assert [section.split(" (")[0].split("\n")[0] for section in sections] == SURFACES
    for section in sections:
        letters = set(re.findall(r"^\| ([STRIDE]) \|", section, re.M))
        assert letters == set("STRIDE"), section.split("\n")[0]


def test_the_reference_proxy_allows_only_tls_1_2_and_1_3():
    conf = (ROOT / "docs/deploy/nginx.conf").read_text()
    assert re.search(r"^\s*ssl_protocols TLSv1\.2 TLSv1\.3;$", conf, re.M)
    ciphers = re.search(r"^\s*ssl_ciphers (.+);$", conf, re.M).group(1).split(":")
    # Mozilla "intermediate": forward-secret AEAD suites only (no CBC, no RSA key exchange).
    assert ciphers and all(c.startswith(("ECDHE-", "DHE-")) for c in ciphers)
    assert all("GCM" in c or "CHACHA20" in c for c in ciphers)
    # The client's address replaces whatever the client wrote (ADR 0032).
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in conf
    assert "return 301 https://$host$request_uri;" in conf
