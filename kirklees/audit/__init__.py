"""The audit trail: what changed, written by database triggers that bulk updates, raw SQL, imports
and the admin cannot skip (django-pghistory), and what was read, written by the app. Knows no app:
each app marks its own models with `tracked()`."""
