"""What every email the app sends has: a plain-text part and an HTML part, and a Message-ID we make
(so that it can be kept, and a reply recognised). Emails written as text get their HTML part here:
the same words, escaped, paragraphs kept, links made clickable; nothing else."""

from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.utils.html import escape, urlize

_PAGE = ('<!DOCTYPE html>\n<html lang="en-GB">\n<head><meta charset="utf-8"><title>{title}</title></head>\n'
         '<body style="font-family: arial, sans-serif; font-size: 19px; line-height: 1.3; color: #0b0c0c;">\n'
         '{paragraphs}\n</body>\n</html>\n')


def html_from_text(text: str, *, title: str = "") -> str:
    paragraphs = [p.strip() for p in text.strip().split("\n\n") if p.strip()]
    body = "\n".join(f"<p>{urlize(escape(p), autoescape=False).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    return _PAGE.format(title=escape(title), paragraphs=body)


def message_id_new(kind: str = "casework") -> str:
    return make_msgid(idstring=kind, domain=settings.INBOUND_EMAIL_DOMAIN)


def with_html_part(message: EmailMessage) -> EmailMultiAlternatives:
    """The message with an HTML part (made from its text if it has none) and a Message-ID."""
    if not isinstance(message, EmailMultiAlternatives):
        message = EmailMultiAlternatives(subject=message.subject, body=message.body, from_email=message.from_email,
                                         to=message.to, cc=message.cc, bcc=message.bcc, reply_to=message.reply_to,
                                         headers=message.extra_headers, connection=message.connection,
                                         attachments=message.attachments)
    if not any(mimetype == "text/html" for _, mimetype in message.alternatives) and \
            getattr(message, "content_subtype", "plain") != "html":
        message.attach_alternative(html_from_text(message.body, title=message.subject), "text/html")
    message.extra_headers.setdefault("Message-ID", message_id_new())
    return message


def send_text_email(*, subject: str, body: str, to: list[str], reply_to: str = "") -> None:
    """send_mail's replacement: the text as written, and its HTML part."""
    with_html_part(EmailMultiAlternatives(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to,
                                          reply_to=[reply_to] if reply_to else None)).send()
