"""Signals any app may send, knowing no domain.

`rows_written`: rows were written without their model's save() (bulk COPY, INSERT … SELECT,
queryset.update()), so no post_save was sent. `sender` is the model; `where` the lookups
that select the rows written (a dict for `filter(**where)`), or None when they cannot be
named; `created` is True when they were all inserted just now. Apps that keep something
derived from these rows (statistics) connect to it.
Sent inside the transaction of the write.
"""

from django.dispatch import Signal

rows_written = Signal()
