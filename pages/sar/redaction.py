"""Finding other residents' names in what a bundle holds, for a person to review before release.

Set-based: every word run of one to four words in the bundle's texts is a candidate name, and one
query asks which candidates are other residents' names (by the index on the lower-cased name), so
the cost follows the size of the bundle, not the number of residents. Matches are whole words,
case-insensitive. Staff names are not looked for: officers acting in their role are not usually
redacted. The subject's own name is never flagged, even where another resident shares it.
"""

import re
from collections.abc import Iterable

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
LONGEST_NAME_WORDS = 4
_EDGE_BEFORE, _EDGE_AFTER = r"(?<![\w'’-])", r"(?![\w'’-])"


def _candidates(texts: Iterable[str]) -> set[str]:
    found = set()
    for text in texts:
        words = [w.lower() for w in WORD.findall(text or "")]
        for n in range(1, LONGEST_NAME_WORDS + 1):
            found.update(" ".join(words[i:i + n]) for i in range(len(words) - n + 1))
    return found


def other_residents_named(texts: Iterable[str], *, subject) -> list[str]:
    """The names of residents other than `subject` that appear in `texts` (one query)."""
    candidates = _candidates(texts) - {subject.full_name.lower()}
    if not candidates:
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT full_name FROM casework_resident WHERE lower(full_name) = ANY(%s) "
                       "AND id <> %s AND lower(full_name) <> lower(%s)",
                       [list(candidates), subject.pk, subject.full_name])
        return sorted({row[0] for row in cursor.fetchall()}, key=str.lower)


class Marker:
    """Marks the names found in a text: which ones it holds, and the text as HTML with each one in
    a <mark> (everything else escaped)."""

    def __init__(self, names: list[str]):
        self.names = names
        parts = [r"\s+".join(re.escape(w) for w in name.split()) for name in sorted(names, key=len, reverse=True)]
        self.pattern = re.compile(_EDGE_BEFORE + "(?:" + "|".join(parts) + ")" + _EDGE_AFTER,
                                  re.IGNORECASE) if parts else None

    def found(self, text: str) -> list[str]:
        if self.pattern is None or not text:
            return []
        return sorted({" ".join(m.group(0).split()) for m in self.pattern.finditer(text)}, key=str.lower)

    def html(self, text: str) -> SafeString:
        text = text or ""
        if self.pattern is None:
            return escape(text)
        out, last = [], 0
        for match in self.pattern.finditer(text):
            out.append(escape(text[last:match.start()]))
            out.append(f'<mark class="redact" title="Another resident\'s name: review before release">'
                       f"{escape(match.group(0))}</mark>")
            last = match.end()
        out.append(escape(text[last:]))
        return mark_safe("".join(out))  # each piece escaped above
