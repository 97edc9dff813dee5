"""What every web view shares: a domain error becomes a message the person reads, in their language."""

from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404

from reuse.errors import DomainError


@dataclass
class Outcome:
    error: DomainError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@contextmanager
def domain_errors(request=None, *, form=None, field: str | None = None, not_found_is_404: bool = False):
    """Run a service call; a DomainError it raises becomes a message instead of a server error.

    With `form`, the message goes on the form (on `field`, or above the form); otherwise it is flashed to the
    request; with `not_found_is_404`, an error of status 404 is the page's own 404. `outcome.ok` tells the view
    whether to go on:

        with domain_errors(request) as attempt:
            services.cancel_claim(...)
        if attempt.ok:
            messages.success(request, ...)
    """
    outcome = Outcome()
    try:
        yield outcome
    except DomainError as exc:
        if not_found_is_404 and exc.status == 404:
            raise Http404 from exc
        outcome.error = exc
        if form is not None:
            form.add_error(field, exc.message)
        else:
            messages.error(request, exc.message)
