"""Values kept in the process that change once a release: read once, not on every request.

The public pages (home, card verification) showed facts that change when a list of crafts,
the territory or a key is loaded, yet asked the database for them on every request. A
`ProcessMemo` keeps such a value per process and key (e.g. the language), and forgets it

- at once, in the process that writes: the writing service calls `forget()`, and the app
  connects `forget` to its models' save and delete signals (for the admin's edits);
- within `ttl` seconds in the other processes (web workers, while a command loads a new
  release in its own process): the value is then read again.

See docs/decisions/0058-public-pages-without-queries.md.
"""

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any

_all: list["ProcessMemo"] = []


class ProcessMemo:
    def __init__(self, compute: Callable[..., Any], *, ttl: float = 60.0):
        self._compute = compute
        self._ttl = ttl
        self._values: dict[Hashable, tuple[float, Any]] = {}
        self._lock = threading.Lock()
        _all.append(self)

    def get(self, key: Hashable = None) -> Any:
        now = time.monotonic()
        held = self._values.get(key)
        if held is not None and held[0] > now:
            return held[1]
        value = self._compute() if key is None else self._compute(key)
        with self._lock:
            self._values[key] = (now + self._ttl, value)
        return value

    def held(self, key: Hashable = None) -> Any:
        """The value held for `key` if it is still fresh, else None (nothing computed)."""
        held = self._values.get(key)
        if held is not None and held[0] > time.monotonic():
            return held[1]
        return None

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._values[key] = (time.monotonic() + self._ttl, value)

    def forget(self, *args, **kwargs) -> None:
        """Forget every value (signature of a signal receiver)."""
        with self._lock:
            self._values.clear()


def forget_all() -> None:
    """Forget every value held (tests: their database rolls back without any signal)."""
    for memo in _all:
        memo.forget()
