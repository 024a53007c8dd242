"""The small, safe markup a notice is written in: our own, so that nothing a person types is ever
rendered as HTML.

Blocks are separated by a blank line. A block is
  ## Heading            a heading (# too; ### for a smaller one)
  - item / * item       a bulleted list, one item a line
  1. item               a numbered list
  anything else         a paragraph (its line breaks kept)
and inside any of them [words](address) is a link, when the address is https://, http://,
mailto:, tel: or a path on this site (/...). Everything else, `<script>` included, is escaped and
shown as the text it is.
"""

import re

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)\)")
SAFE_ADDRESS = re.compile(r"^(https?://[^\s\"'<>]+|mailto:[^\s\"'<>]+|tel:[0-9+ ()-]+|/(?!/)[^\s\"'<>]*)$")
BULLET = re.compile(r"^[-*] +")
NUMBERED = re.compile(r"^\d+[.)] +")


def _inline(text: str) -> str:
    """Escaped text, with the links that are allowed made into links."""
    out, last = [], 0
    for match in LINK.finditer(text):
        out.append(escape(text[last : match.start()]))
        words, address = match.groups()
        if SAFE_ADDRESS.match(address):
            out.append(format_html('<a class="govuk-link" href="{}">{}</a>', address, words))
        else:
            out.append(escape(match.group(0)))
        last = match.end()
    out.append(escape(text[last:]))
    return "".join(out)


def _blocks(text: str) -> list[list[str]]:
    blocks, current = [], []
    for line in text.replace("\r\n", "\n").split("\n"):
        if not line.strip():
            if current:
                blocks.append(current)
            current = []
            continue
        if line.lstrip().startswith("#") and current:  # a heading starts a block of its own
            blocks.append(current)
            current = []
        current.append(line.strip())
        if line.lstrip().startswith("#"):
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def render(text: str) -> SafeString:
    html = []
    for block in _blocks(text):
        first = block[0]
        if first.startswith("### "):
            html.append(f'<h3 class="govuk-heading-s">{_inline(first[4:].strip())}</h3>')
        elif first.startswith(("## ", "# ")):  # the page has its own h1: a top heading is an h2
            html.append(f'<h2 class="govuk-heading-m">{_inline(first.lstrip("#").strip())}</h2>')
        elif all(BULLET.match(line) for line in block):
            items = "".join(f"<li>{_inline(BULLET.sub('', line))}</li>" for line in block)
            html.append(f'<ul class="govuk-list govuk-list--bullet">{items}</ul>')
        elif all(NUMBERED.match(line) for line in block):
            items = "".join(f"<li>{_inline(NUMBERED.sub('', line))}</li>" for line in block)
            html.append(f'<ol class="govuk-list govuk-list--number">{items}</ol>')
        else:
            html.append(f'<p class="govuk-body">{"<br>".join(_inline(line) for line in block)}</p>')
    return mark_safe("\n".join(html))  # every piece above is escaped or built by format_html
