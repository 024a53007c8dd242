import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.safestring import SafeString

from . import defaults, markup
from .models import Notice, NoticeVersion


@dataclass(frozen=True)
class NoticeText:
    notice: Notice
    body: str
    updated_on: datetime.date
    version: NoticeVersion | None  # None: the default text, never edited

    @property
    def html(self) -> SafeString:
        return markup.render(self.body)


def notice_current(notice: Notice) -> NoticeText:
    """The text the public reads now: the newest version, or the default until there is one."""
    version = NoticeVersion.objects.filter(notice=notice).select_related("created_by").order_by("-number").first()
    if version is None:
        return NoticeText(notice, defaults.default_text(notice.value), defaults.PREPARED_ON, None)
    return NoticeText(notice, version.body, timezone.localdate(version.created_at), version)


def notice_history(notice: Notice):
    return NoticeVersion.objects.filter(notice=notice).select_related("created_by").order_by("-number")
