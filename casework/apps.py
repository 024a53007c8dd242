from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "casework"

    def ready(self):
        from kirklees.notifications.services import outbound_on_sent
        from kirklees.notifications.updates import updates_on_outcome

        from . import referral_emails, resident_updates

        outbound_on_sent(referral_emails.TOPIC, referral_emails.referral_emails_sent)
        updates_on_outcome(resident_updates.TOPIC, resident_updates.update_outcome)
