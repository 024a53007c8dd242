from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "casework"

    def ready(self):
        from kirklees.mailin.services import inbound_matcher_register
        from kirklees.notifications.services import outbound_on_sent
        from kirklees.notifications.updates import updates_on_outcome

        from . import referral_emails, referral_replies, resident_updates

        outbound_on_sent(referral_emails.TOPIC, referral_emails.referral_emails_sent)
        inbound_matcher_register(referral_replies.referral_reply_match)
        updates_on_outcome(resident_updates.TOPIC, resident_updates.update_outcome)
