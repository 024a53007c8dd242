"""Who may change the public notices: the liaison managers, who answer for the service's
published content (as for the councillor role profile), and superusers. Everyone, signed in or
not, may read them."""

from django.http import Http404

from kirklees.permissions import require

from .models import Notice


def can_edit_notices(user) -> bool:
    return user.is_authenticated and user.is_active and (user.is_liaison_manager or user.is_superuser)


def notice_from_slug(slug: str) -> Notice:
    try:
        return Notice(slug)
    except ValueError:
        raise Http404("No such notice") from None


def get_notice_for_editor(user, slug: str) -> Notice:
    """A notice to change: 404 if there is no such notice, 403 unless `user` may change notices
    (the notices are public: anyone may know they exist)."""
    notice = notice_from_slug(slug)
    require(can_edit_notices(user))
    return notice
