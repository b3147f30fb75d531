"""The counts follow every change: post_save and post_delete of the counted models (and of
persons, whose sex and age are counted with their registration), and
`core.signals.rows_written` for the bulk writers (imports, the CNSS exchange, the synthetic
register), note the objects touched inside the change's transaction; a job folds the notes
into the counts soon after (docs/decisions/0068). No lower app imports this one
(docs/architecture.md)."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from hirfa.core.signals import rows_written
from hirfa.crafts.models import Activity
from hirfa.register.models import Dossier, Person, Registration
from hirfa.stats import jobs, ledger
from hirfa.stats.measures import SOURCE_OF_MODEL, SOURCES


def _counted_fields(sender) -> frozenset[str]:
    fields = SOURCES[SOURCE_OF_MODEL[sender]].fields
    return frozenset(name.split("__")[0].removesuffix("_id") for name in fields)


# Per model, the fields whose change is counted (computed once: every save reads them).
COUNTED_FIELDS = {model: _counted_fields(model) for model in SOURCE_OF_MODEL}


def _saved(sender, instance, raw=False, update_fields=None, created=False, **kwargs):
    if raw:  # loaddata: the rebuild follows
        return
    if (
        update_fields
        and not {name.removesuffix("_id") for name in update_fields} & COUNTED_FIELDS[sender]
    ):
        return  # nothing counted changed (a reminder date, a QR text)
    if sender is Dossier and ledger.noted_in_this_transaction(instance.registration_id):
        return  # folded with its registration (an approval: one note, not two)
    _note(SOURCE_OF_MODEL[sender], [instance.pk])
    if sender is Registration:
        ledger.remember(instance.pk)


def _deleted(sender, instance, **kwargs):
    _note(SOURCE_OF_MODEL[sender], [instance.pk])


def _note(source_name: str, ids) -> None:
    ledger.note(source_name, ids)
    # A fold job soon after the change commits; at most one queued per process every
    # STATISTICS_FOLD_SECONDS (each fold takes every note, whoever wrote it).
    if jobs.FOLDS.claim():
        transaction.on_commit(jobs.queue_fold)


# What of a person is counted with their registration.
PERSON_FIELDS = frozenset({"sex", "birth_date"})


def _person_saved(sender, instance, raw=False, created=False, update_fields=None, **kwargs):
    if raw or created:  # a new person has no registration yet
        return
    if update_fields and not PERSON_FIELDS & set(update_fields):
        return
    ids = Registration.objects.filter(person_id=instance.pk).values_list("id", flat=True)
    _note("registration", list(ids))


# Counted by the branch of their activity: an activity moved to another branch.
BY_ACTIVITY = {"registration": "principal_activity_id__in", "dossier": "principal_activity_id__in"}


def _rows_written(sender, where=None, created=False, **kwargs):
    if sender is Activity and where is not None:
        moved = list(Activity.objects.filter(**where).values_list("id", flat=True))
        for name, lookup in BY_ACTIVITY.items():
            _note(name, ledger.ids_where(name, {lookup: moved}))
        return
    name = SOURCE_OF_MODEL.get(sender)
    if name is None:
        return
    if where is None:
        if ledger.mark_stale():
            # After the bulk write commits: the job sees its rows.
            transaction.on_commit(jobs.rebuild_counts.enqueue)
    else:
        _note(name, ledger.ids_where(name, where))


def connect() -> None:
    for model in SOURCE_OF_MODEL:
        post_save.connect(_saved, sender=model, dispatch_uid=f"statistics.saved.{model.__name__}")
        post_delete.connect(
            _deleted, sender=model, dispatch_uid=f"statistics.deleted.{model.__name__}"
        )
    post_save.connect(_person_saved, sender=Person, dispatch_uid="statistics.person")
    rows_written.connect(_rows_written, dispatch_uid="statistics.rows_written")


def disconnect() -> None:
    """For the benchmark only: the same writes without the counts (bench/stats.py)."""
    for model in SOURCE_OF_MODEL:
        post_save.disconnect(sender=model, dispatch_uid=f"statistics.saved.{model.__name__}")
        post_delete.disconnect(sender=model, dispatch_uid=f"statistics.deleted.{model.__name__}")
    post_save.disconnect(sender=Person, dispatch_uid="statistics.person")
    rows_written.disconnect(dispatch_uid="statistics.rows_written")
