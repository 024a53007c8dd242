"""A mail provider's inbound webhook, through django-anymail: the provider is a setting
(INBOUND_EMAIL_PROVIDER), and only its view answers at /mail/inbound/ (a 404 when unset).

Anymail checks what the provider signs (Mailgun's HMAC with the webhook signing key, MailerSend's
with its inbound secret) and the HTTP basic auth of ANYMAIL["WEBHOOK_SECRET"] (the only check for
Postmark, SendGrid and Amazon SES, so for those the secret must be set); a request that fails is refused with a 400 and
nothing is stored. Anymail's view is CSRF exempt: the provider has no session. Each message it
parses is handed to inbound_message_receive by the receiver below."""

import functools

from anymail.signals import inbound
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.dispatch import receiver
from django.http import Http404, HttpResponse
from django.utils.module_loading import import_string
from django.views.decorators.csrf import csrf_exempt

from .services import inbound_message_receive

# The providers whose inbound email anymail handles and that need no extra package, and its view for
# each. (Resend needs svix, Postal a webhook key; Brevo, Mailjet, SparkPost and Mailtrap could be added.)
VIEWS = {
    "amazon_ses": "anymail.webhooks.amazon_ses.AmazonSESInboundWebhookView",
    "mailersend": "anymail.webhooks.mailersend.MailerSendInboundWebhookView",
    "mailgun": "anymail.webhooks.mailgun.MailgunInboundWebhookView",
    "postmark": "anymail.webhooks.postmark.PostmarkInboundWebhookView",
    "sendgrid": "anymail.webhooks.sendgrid.SendGridInboundWebhookView",
}
# Where basic auth is all that stands between the URL and anyone (anymail does not check Amazon
# SNS's signature): refuse to run without it.
BASIC_AUTH_ONLY = {"amazon_ses", "postmark", "sendgrid"}


@functools.cache
def _view(provider: str):
    return import_string(VIEWS[provider]).as_view()


@csrf_exempt
def inbound_webhook(request):
    provider = settings.INBOUND_EMAIL_PROVIDER
    if not provider:
        raise Http404("No mail provider's inbound webhook is set up (INBOUND_EMAIL_PROVIDER).")
    if provider not in VIEWS:
        raise ImproperlyConfigured(f"INBOUND_EMAIL_PROVIDER {provider!r} is not one of {', '.join(sorted(VIEWS))}")
    if provider in BASIC_AUTH_ONLY and not getattr(settings, "ANYMAIL", {}).get("WEBHOOK_SECRET"):
        raise ImproperlyConfigured(f"{provider}'s inbound webhook is checked only by basic auth: "
                                   "set ANYMAIL_WEBHOOK_SECRET (user:password)")
    if request.content_type != "multipart/form-data" and (refused := _read_body(request)):
        return refused
    return _view(provider)(request)  # anymail's view: it reads its settings per request


def _read_body(request) -> HttpResponse | None:
    """A provider that posts JSON (Postmark, MailerSend, Amazon SES) sends the whole message in the
    body, which Django refuses over DATA_UPLOAD_MAX_MEMORY_SIZE (2 MB, for the app's own forms):
    here the limit is INBOUND_WEBHOOK_MAX_BYTES, so that a reply with a photo still arrives (and the
    inbound path decides what is too big, with a reason). Multipart posts (Mailgun, SendGrid) keep
    Django's limit on their fields; their attachments are files, which it does not count."""
    limit = settings.INBOUND_WEBHOOK_MAX_BYTES
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return HttpResponse("Too large", status=413, content_type="text/plain")
    body = request.read(limit + 1)
    if len(body) > limit:
        return HttpResponse("Too large", status=413, content_type="text/plain")
    request._body = body  # what HttpRequest.body returns from now on (read once, as Django does)
    return None


@receiver(inbound, dispatch_uid="kirklees.mailin.webhook")
def _inbound_received(sender, event, esp_name, **kwargs):
    message = event.message
    # The address the provider delivered to: the referral's plus address even when the headers hide it (Bcc).
    recipients = [message.envelope_recipient] if message.envelope_recipient else []
    inbound_message_receive(message.as_bytes(), via="webhook", recipients=recipients)
