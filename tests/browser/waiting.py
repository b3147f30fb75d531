"""Waiting in the browser without evaluating strings in the page.

Playwright's `page.wait_for_function` compiles its predicate with `eval` inside the page
while it polls, which the Content Security Policy forbids (no 'unsafe-eval': the pages run
under the policy in the tests too). `wait_until` asks the same question from outside
(`page.evaluate` goes through the DevTools protocol, which the policy does not govern)."""

import time

from playwright.sync_api import Error


def wait_until(page, expression: str, *, arg=None, timeout: float = 30_000) -> None:
    """Wait until `expression` (a JavaScript expression, or a function given `arg`) is true."""
    deadline = time.monotonic() + timeout / 1000
    while True:
        try:
            if page.evaluate(expression, arg):
                return
        except Error as error:  # a navigation replaced the page meanwhile: ask again
            if "context was destroyed" not in str(error) and "navigat" not in str(error):
                raise
        if time.monotonic() > deadline:
            raise TimeoutError(f"still false after {timeout:.0f} ms: {expression}")
        page.wait_for_timeout(50)
