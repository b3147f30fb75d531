"""A change stamp shared by the processes of one installation (decision 89).

A value kept in each process (a list read once, not on every request) must sometimes be
current on the very next request in *every* process, not within a memo's `ttl`: asking
the database whether it changed costs a round trip, as much as reading the value itself.
A `ChangeStamp` is a file under `VAR_DIR`, which the web workers, the job worker and the
commands of an installation share (as they share the keys and the media):

- the writer calls `bump_on_commit()` inside its transaction: once the transaction has
  committed, one byte is appended to the file (`O_APPEND`: writers never overwrite each
  other, and the size only grows);
- a reader calls `read()` (one `os.stat`, about a microsecond), *before* it reads the
  value from the database, and keeps the value with the stamp it read; a different stamp
  on a later request means the value is read again.

A change committed before a reader's `read()` is therefore in what that reader reads or
keeps. A process stopped between the commit and the append leaves a change unseen by
the stamp: the readers' memo `ttl` bounds that.
"""

import os

from django.conf import settings
from django.db import transaction


class ChangeStamp:
    def __init__(self, name: str):
        self.name = name

    def path(self) -> str:
        return os.path.join(settings.VAR_DIR, self.name)

    def read(self) -> tuple | None:
        """The stamp now: changes whenever `bump` has run since (None: no file yet)."""
        try:
            found = os.stat(self.path())
        except FileNotFoundError:
            return None
        return (found.st_ino, found.st_size, found.st_mtime_ns)

    def bump(self) -> None:
        with open(self.path(), "ab") as stamp:
            stamp.write(b".")

    def bump_on_commit(self) -> None:
        # Robust: a stamp that cannot be written (a full disk) is logged, not turned into an
        # error for a change already committed; the readers' `ttl` then bounds it.
        transaction.on_commit(self.bump, robust=True)
