"""The one way a permission check refuses; what each role may do is on the User, the rules per app."""

from django.core.exceptions import PermissionDenied


def require(allowed: bool) -> None:
    """403 unless `allowed`: for a person who may know the thing exists but not do this to it.

    What they may not know exists is a 404, from the app's `get_<thing>_for_user` fetches.
    """
    if not allowed:
        raise PermissionDenied
