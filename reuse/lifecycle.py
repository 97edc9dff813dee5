"""One way to move anything that has a lifecycle (lots, devices, claims, documents, payments, refunds).

Each app declares its lifecycle once, in its `transitions.py`: the states (a TextChoices), the table of allowed
moves, the guards (rules besides the table, keyed by target state), the journal model, and the side effects.
Every status change then goes through `Lifecycle.move` on a row the caller locked with `Lifecycle.lock` (or,
for a lifecycle without journal or guards, `Lifecycle.update_where`, one conditional UPDATE):

- the table and the guards are checked on the locked row (a refusal is an IllegalTransition or the guard's
  DomainError, in the user's language, and nothing is written);
- the status and the given changes are saved in one UPDATE, and the journal row is written beside it;
- side effects (emails, offers to the waitlist, signals) are queued with `after_commit`, so that they never
  run for a move that was rolled back.

A status is assigned nowhere else: tests/test_lifecycle.py greps the code for it.
"""

import dataclasses
from collections.abc import Callable

from django.db import models, transaction
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reuse.errors import IllegalTransition, render_text
from reuse.fields import NoteField, optional_link
from reuse.journal import AppendOnlyModel


def check_transition(table: dict, current: str, target: str, labels=None) -> None:
    """Raise IllegalTransition unless `table[current]` allows `target`."""
    if target not in table.get(current, ()):
        label = (lambda value: str(labels(value).label)) if labels else str
        raise IllegalTransition(
            _("Passage impossible de « %(from)s » à « %(to)s ».")
            % {"from": label(current), "to": label(target)}
        )


def after_commit(effect: Callable[[], None]) -> None:
    """Run a side effect once the move is committed (at once outside a transaction)."""
    transaction.on_commit(effect)


# What a journal entry says: the words a person typed (a str), what the platform says (a `Text` of the app's
# texts.py, called: `{"code", "params"}`), or both in a list (the platform's first).
Note = str | dict | list


def split_note(note: Note) -> tuple[str, dict | list | None]:
    """A note as its two columns: the typed words (kept as typed, emptied when the account they are about
    closes) and the codes (language-neutral, written out when read)."""
    items = note if isinstance(note, list) else [note]
    codes = [item for item in items if isinstance(item, dict)]
    words = " ".join(item.strip() for item in items if isinstance(item, str) and item.strip())
    if len(codes) > 1:
        return words, codes
    return words, codes[0] if codes else None


def _written(note: Note) -> str:
    return " ".join(
        part for part in (render_text(item) for item in (note if isinstance(note, list) else [note])) if part
    )


def readable(note: Note):
    """A note for an email or a page rendered later: written out in the language active when it is shown (an
    email is written in its reader's language, whatever the request that sends it)."""
    return lazy(_written, str)(note) if note else ""


class StatusChange(AppendOnlyModel):
    """The journal of a lifecycle: who moved what, from which state to which, with an optional note.

    Subclasses name the subject's foreign key and the two state fields (`SUBJECT`, `FROM_FIELD`, `TO_FIELD`):
    the journals predate this base and keep their columns.
    """

    SUBJECT = ""
    FROM_FIELD = "from_status"
    TO_FIELD = "to_status"

    # Empty for what the platform does by itself; a journal whose moves always have a person narrows it.
    actor = optional_link()
    # What the person who made the move typed, in their words (emptied at account closure, RGPD art. 17).
    note = NoteField(blank=True)
    # What the platform says of the move, as codes with parameters (reuse.errors.Text): no words, no names.
    note_text = models.JSONField(
        gettext_lazy("note de la plateforme (code)"), null=True, blank=True, editable=False
    )

    class Meta(AppendOnlyModel.Meta):
        abstract = True

    @property
    def shown_note(self) -> str:
        """The note in the reader's language: the platform's codes written out, then the typed words (or the
        words stored before the codes). Every page, email and export showing a journal reads this."""
        return _written([self.note_text, self.note])

    def __str__(self):
        subject_id = getattr(self, f"{self.SUBJECT}_id")
        return f"{subject_id}: {getattr(self, self.FROM_FIELD)} → {getattr(self, self.TO_FIELD)}"

    @classmethod
    def entry(cls, *, subject, actor, previous: str, to: str, note: Note = ""):
        """An unsaved row (for bulk_create)."""
        words, codes = split_note(note)
        return cls(
            **{cls.SUBJECT: subject, cls.FROM_FIELD: previous, cls.TO_FIELD: to},
            actor=actor,
            note=words,
            note_text=codes,
        )

    @classmethod
    def record(cls, *, subject, actor, previous: str, to: str, note: Note = ""):
        entry = cls.entry(subject=subject, actor=actor, previous=previous, to=to, note=note)
        entry.save(force_insert=True)
        return entry


def state_fields(
    states: type[models.TextChoices], max_length: int
) -> tuple[models.CharField, models.CharField]:
    """A journal's two state columns: `from_status, to_status = state_fields(ClaimStatus, 12)` (the first is
    empty for the row that creates the subject)."""
    return (
        models.CharField(max_length=max_length, choices=states.choices, blank=True),
        models.CharField(max_length=max_length, choices=states.choices),
    )


@dataclasses.dataclass
class Lifecycle:
    """A declared lifecycle: see the module's docstring."""

    model: type[models.Model]
    states: type[models.TextChoices]
    table: dict
    journal: type[StatusChange] | None = None
    field: str = "status"
    guards: dict[str, list[Callable]] = dataclasses.field(default_factory=dict)
    # Field values set by every move to a given state (a confirmation time, for instance).
    on_enter: dict[str, Callable[[models.Model], dict]] = dataclasses.field(default_factory=dict)

    def guard(self, *targets: str):
        """Decorator: `func(obj)` must hold before a move to any of `targets` (it raises a DomainError)."""

        def register(function):
            for target in targets:
                self.guards.setdefault(target, []).append(function)
            return function

        return register

    def lock(self, pk, queryset=None):
        """The row, locked until the end of the transaction (the caller opens it)."""
        return (queryset if queryset is not None else self.model.objects).select_for_update().get(pk=pk)

    def allows(self, current: str, target: str) -> bool:
        return target in self.table.get(current, ())

    def check(self, obj, to: str) -> None:
        check_transition(self.table, getattr(obj, self.field), to, self.states)
        for rule in self.guards.get(to, ()):
            rule(obj)

    def move(self, obj, to: str, *, actor=None, note: Note = "", changes: dict | None = None, save_also=()):
        """Move `obj` (locked by the caller) to `to`: check, save the status and `changes`, journal the move.

        `changes` are set before the guards run, so that a guard can check them; `save_also` names fields the
        caller already set on `obj` (the updated time of a model with auto_now, for instance).
        """
        previous = getattr(obj, self.field)
        for name, value in (changes or {}).items():
            setattr(obj, name, value)
        self.check(obj, to)
        setattr(obj, self.field, to)
        fields = {self.field, *(changes or {}), *save_also}
        for name, value in (self.on_enter[to](obj) if to in self.on_enter else {}).items():
            setattr(obj, name, value)
            fields.add(name)
        obj.save(update_fields=sorted(fields))
        if self.journal is not None:
            self.journal.record(subject=obj, actor=actor, previous=previous, to=to, note=note)
        return obj

    def update_where(self, queryset, to: str, **changes) -> int:
        """Move every row of `queryset` that the table lets go to `to`, in one conditional UPDATE (… WHERE status
        IN the states that may reach `to`), with `changes`; how many moved. A row in any other state stays as it is.

        For the lifecycles whose rows are moved by compare-and-set rather than under a lock (an import job, the
        seats of a session): without a journal or guards, since neither can be written or run row by row here.
        """
        if self.journal is not None or self.guards.get(to):
            raise TypeError(f"{self.model.__name__} moves to {to} one row at a time (journal or guards)")
        sources = [state for state, targets in self.table.items() if to in targets]
        return queryset.filter(**{f"{self.field}__in": sources}).update(**{self.field: to}, **changes)

    def note(self, obj, *, actor=None, note: Note):
        """A journal entry that moves nothing (an offer, a planned pickup): the status before and after agree."""
        if self.journal is None:
            raise TypeError(f"{self.model.__name__} has no journal")
        current = getattr(obj, self.field)
        return self.journal.record(subject=obj, actor=actor, previous=current, to=current, note=note)

    def set_initial(self, obj, to: str) -> None:
        """The first state of a new, unsaved object (the one place besides `move` that sets a status)."""
        setattr(obj, self.field, to)
