"""How a service says no: one base that every domain exception extends, and one way for a page to show it.

A service owns its rules; a form checks only the shape of what was typed. When a rule says no,
the service raises a `Refused` (or a subclass that carries more for the page), and the view calls
`add_refusal(form, error)`, which puts the message beside the field it names or above the form,
and says which HTTP status the page answers with.
"""


class Refused(Exception):
    """The service will not do this; `message` says why, in words for the person who asked.

    `field` names the form field the reason is about (None: the request as a whole). `status` is
    what a page answers with when it shows the reason again: the form again as usual, or 409 (a
    subclass's) when the record's state or another person's change is why.
    """

    status = 200  # the page is shown again, with the reason

    def __init__(self, message: str, *, field: str | None = None):
        self.message = message
        self.field = field
        super().__init__(message)

    @property
    def reasons(self) -> list[str]:
        """Each reason to show: one, unless a subclass holds several (a file's problems)."""
        return [self.message]


class InvalidTransition(Refused):
    """The record is not in a state that allows this any more (someone may have got there first)."""

    status = 409


class Stale(Refused):
    """Someone else changed the record after this person loaded it; nothing was saved."""

    status = 409


def add_refusal(shown_on, error: Exception, *, field: str | None = None) -> int:
    """Show why a service said no, and return the status the page answers with.

    `shown_on` is the form the person sent (the reason goes beside the field it names, or above the
    form) or, where the page has no form to show again, the request (the reason becomes an error
    message on the page they are sent back to). `error` is a `Refused`, or a `ValidationError`
    raised by a model's own checks. `field` puts the reasons beside that field, where the service
    could not know the form's name for it (the file an upload form sent).
    """
    if isinstance(error, Refused):
        by_field = {field or error.field: error.reasons}
        status = error.status
    elif hasattr(error, "error_dict"):
        by_field, status = error.message_dict, 200
    else:
        by_field, status = {None: error.messages}, 200
    if not hasattr(shown_on, "add_error"):
        from django.contrib import messages

        for reasons in by_field.values():
            for reason in reasons:
                messages.error(shown_on, reason)
        return status
    for name, reasons in by_field.items():
        shown_on.add_error(name if name in shown_on.fields else None, reasons)
    return status
