def login_username(request, credentials=None) -> str | None:
    """The account a login attempt is for, as django-axes needs it to count failures.

    allauth calls authenticate() with `email=`, while the form posts `login`: read either, so that
    the lockout follows the account whichever way axes is asked.
    """
    value = (credentials or {}).get("email") or (credentials or {}).get("login")
    if not value and request is not None and request.method == "POST":
        value = request.POST.get("login")
    return value.strip().lower() if value else None
