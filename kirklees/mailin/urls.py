from django.urls import path

from . import webhook

app_name = "mailin"
urlpatterns = [
    path("", webhook.inbound_webhook, name="webhook"),
    # Mailgun posts the raw message (body-mime) when the route's URL has "mime" in it.
    path("mime/", webhook.inbound_webhook, name="webhook-mime"),
]
