from django.apps import AppConfig


class MailinConfig(AppConfig):
    """Email that reaches us from outside (SMTP, an IMAP mailbox, a provider's webhook), received
    once and kept whatever becomes of it. Knows no app: an app registers a matcher that claims a
    message (casework: replies to referrals)."""

    name = "kirklees.mailin"
    label = "mailin"
