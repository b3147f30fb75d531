import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given
from hypothesis import strategies as st

from hirfa.env import env_bool, env_choice, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parents[2]


def test_an_unset_variable_gives_the_default(monkeypatch):
    monkeypatch.delenv("HIRFA_TEST_VAR", raising=False)
    assert env_str("HIRFA_TEST_VAR", "x") == "x"
    assert env_int("HIRFA_TEST_VAR", 3) == 3
    assert env_bool("HIRFA_TEST_VAR", True) is True
    assert env_list("HIRFA_TEST_VAR", ["a"]) == ["a"]


@pytest.mark.parametrize("default", [True, False])
def test_an_empty_boolean_gives_the_default(monkeypatch, default):
    monkeypatch.setenv("HIRFA_TEST_VAR", " ")
    assert env_bool("HIRFA_TEST_VAR", default) is default


@pytest.mark.parametrize("value", ["1", "true", "YES", "on", " True "])
def test_true_spellings_read_as_true(monkeypatch, value):
    monkeypatch.setenv("HIRFA_TEST_VAR", value)
    assert env_bool("HIRFA_TEST_VAR", False) is True


@given(
    st.text(min_size=1).filter(
        lambda s: (
            s.strip().lower() not in {"1", "true", "yes", "on", "0", "false", "no", "off", ""}
            and "\x00" not in s
        )
    )
)
def test_any_other_boolean_value_stops_the_start_up(value):
    import os

    os.environ["HIRFA_TEST_VAR"] = value
    try:
        with pytest.raises(ImproperlyConfigured, match="HIRFA_TEST_VAR"):
            env_bool("HIRFA_TEST_VAR", False)
    finally:
        del os.environ["HIRFA_TEST_VAR"]


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_integers_are_read_exactly(number):
    import os

    os.environ["HIRFA_TEST_VAR"] = f" {number} "
    try:
        assert env_int("HIRFA_TEST_VAR", 0) == number
    finally:
        del os.environ["HIRFA_TEST_VAR"]


def test_a_malformed_integer_names_the_variable(monkeypatch):
    monkeypatch.setenv("WEB_PORT_TEST", "80a")
    with pytest.raises(ImproperlyConfigured, match="WEB_PORT_TEST must be an integer"):
        env_int("WEB_PORT_TEST", 1)


def test_an_integer_below_its_minimum_is_refused(monkeypatch):
    monkeypatch.setenv("HIRFA_TEST_VAR", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("HIRFA_TEST_VAR", 5, minimum=1)


def test_a_choice_outside_the_allowed_values_is_refused(monkeypatch):
    monkeypatch.setenv("HIRFA_TEST_VAR", "pigeon")
    with pytest.raises(ImproperlyConfigured, match="console, file, smtp"):
        env_choice("HIRFA_TEST_VAR", "file", {"console", "file", "smtp"})


def test_lists_are_split_on_commas_and_trimmed(monkeypatch):
    monkeypatch.setenv("HIRFA_TEST_VAR", " a.ma, b.ma ,,")
    assert env_list("HIRFA_TEST_VAR", []) == ["a.ma", "b.ma"]


def test_every_variable_the_code_reads_is_explained_in_env_example():
    read = set()
    for path in [*ROOT.joinpath("hirfa").rglob("*.py"), ROOT / "scripts" / "serve"]:
        read |= set(re.findall(r'env_\w+\(\s*"([A-Z_]+)"', path.read_text()))
        read |= set(re.findall(r"\$\{([A-Z_]+):-", path.read_text()))
    documented = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert read, "no environment variable found: the pattern is wrong"
    assert read <= documented, f"undocumented: {sorted(read - documented)}"
