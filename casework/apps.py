from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "casework"

    def ready(self):
        from kirklees.notifications.services import outbound_on_sent

        from . import referral_emails

        outbound_on_sent(referral_emails.TOPIC, referral_emails.referral_emails_sent)
