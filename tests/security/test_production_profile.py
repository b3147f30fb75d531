"""The production profile (HIRFA_PROFILE=production): Django's deployment checks pass with
nothing but environment variables, and a profile missing what production needs refuses to
start instead of serving insecurely."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def production_env(tmp_path, **overrides) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key in {"PATH", "PYTHONPATH", "HOME", "LANG", "LC_ALL"}
    }
    env.update(
        HIRFA_PROFILE="production",
        HIRFA_VAR_DIR=str(tmp_path),
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="rna.example.ma",
        PUBLIC_URL="https://rna.example.ma",
    )
    env.setdefault("PYTHONPATH", str(ROOT))
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def hirfa(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "hirfa.manage", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def setting(env, expression: str) -> str:
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "hirfa.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_production_profile_passes_every_deployment_check(tmp_path):
    result = hirfa(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_the_development_profile_is_not_taken_for_a_deployment(tmp_path):
    env = production_env(tmp_path, HIRFA_PROFILE=None, SECRET_KEY=None, PUBLIC_URL=None)
    result = hirfa(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 1
    assert "security.W004" in result.stderr + result.stdout  # no HSTS


def test_production_turns_on_https_redirect_hsts_and_secure_cookies(tmp_path):
    values = setting(
        production_env(tmp_path),
        "settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS, "
        "settings.SECURE_HSTS_INCLUDE_SUBDOMAINS, settings.SECURE_HSTS_PRELOAD, "
        "settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE",
    )
    assert values == "True 31536000 True True True True"


def test_production_names_the_session_and_csrf_cookies_with_the_host_prefix(tmp_path):
    """`__Host-` cookies are kept by a browser only when Secure, for the path / and with
    no Domain: a subdomain or a plain-HTTP page can then neither set nor shadow them."""
    values = setting(
        production_env(tmp_path),
        "settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, "
        "settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, "
        "settings.SESSION_COOKIE_PATH, settings.CSRF_COOKIE_PATH, "
        "settings.SESSION_COOKIE_DOMAIN, settings.CSRF_COOKIE_DOMAIN",
    )
    assert values == "__Host-sessionid __Host-csrftoken True True / / None None"


def test_without_secure_cookies_the_names_stay_plain(tmp_path):
    """A browser would drop a `__Host-` cookie sent without Secure: a deployment still on
    plain HTTP keeps Django's names."""
    values = setting(
        production_env(tmp_path, SECURE_COOKIES="false"),
        "settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME",
    )
    assert values == "sessionid csrftoken"


def test_a_database_across_the_network_without_verified_tls_fails_the_deployment_check(
    tmp_path,
):
    env = production_env(tmp_path, DATABASE_URL="postgres://hirfa:secret@db.example.ma/hirfa")
    result = hirfa(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 1
    assert "hirfa.W001" in result.stdout + result.stderr


def test_a_database_reached_with_sslmode_verify_full_passes_the_deployment_check(tmp_path):
    url = "postgres://hirfa:secret@db.example.ma/hirfa?sslmode=verify-full"
    result = hirfa(production_env(tmp_path, DATABASE_URL=url), "check", "--deploy")
    assert "hirfa.W001" not in result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_a_database_on_the_same_machine_needs_no_tls(tmp_path):
    url = "postgres://hirfa:secret@127.0.0.1/hirfa"
    result = hirfa(production_env(tmp_path, DATABASE_URL=url), "check", "--deploy")
    assert "hirfa.W001" not in result.stdout + result.stderr


def test_each_https_setting_can_still_be_set_from_the_environment(tmp_path):
    env = production_env(
        tmp_path,
        SECURE_HSTS_SECONDS="600",
        SECURE_HSTS_PRELOAD="false",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="false",
    )
    values = setting(
        env,
        "settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_PRELOAD, "
        "settings.SECURE_HSTS_INCLUDE_SUBDOMAINS",
    )
    assert values == "600 False False"


def test_the_forwarded_protocol_is_trusted_only_behind_a_declared_proxy(tmp_path):
    expression = "getattr(settings, 'SECURE_PROXY_SSL_HEADER', None)"
    assert setting(production_env(tmp_path), expression) == "None"
    behind = production_env(tmp_path, BEHIND_TLS_PROXY="true")
    assert setting(behind, expression) == "('HTTP_X_FORWARDED_PROTO', 'https')"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "x" * 60}, "SECRET_KEY must be at least 50 random characters"),
        ({"SECRET_KEY": secrets.token_urlsafe(20)}, "at least 50 random characters"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS must be set"),
        ({"DEBUG": "true"}, "DEBUG must be false"),
        ({"PUBLIC_URL": "http://rna.example.ma"}, "PUBLIC_URL must be an https:// address"),
    ],
)
def test_production_refuses_to_start_without_what_it_needs(tmp_path, overrides, message):
    result = hirfa(production_env(tmp_path, **overrides), "check")
    assert result.returncode != 0
    assert message in result.stderr


def test_env_example_with_the_production_profile_passes_the_deployment_checks(tmp_path):
    """An operator who copies .env.example and fills in only what production requires
    (blank lines are unset, not "false") gets a clean deployment."""
    example = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            example[name] = value
    example.update(DEBUG="false", SECRET_KEY=None, ALLOWED_HOSTS=None, PUBLIC_URL=None)
    env = production_env(tmp_path)
    env.update({name: value for name, value in example.items() if value is not None})
    env.update(HIRFA_PROFILE="production", HIRFA_VAR_DIR=str(tmp_path))
    result = hirfa(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
