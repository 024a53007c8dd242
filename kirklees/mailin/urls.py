from django.urls import path

from . import webhook

app_name = "mailin"
urlpatterns = [
    path("", webhook.inbound_webhook, name="webhook"),
    # Mailgun posts the raw message (body-mime) when the route's URL has "mime" in it (a form field:
    # Django's 2 MB limit applies; the parsed form at "" sends attachments as files).
    path("mime/", webhook.inbound_webhook, name="webhook-mime"),
]
