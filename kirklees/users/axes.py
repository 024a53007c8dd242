def login_username(request, credentials=None) -> str | None:
    """The account a login attempt is for, as django-axes needs it to count failures.

    Every sign-in route shares the same count: allauth calls authenticate() with `email=` while its
    form posts `login`; the admin's login form posts `username` and authenticates with it. Read
    any of them, so that the lockout follows the account whichever way axes is asked and whichever
    door is tried.
    """
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("login") or credentials.get("username")
    if not value and request is not None and request.method == "POST":
        value = request.POST.get("login") or request.POST.get("username")
    return value.strip().lower() if value else None
