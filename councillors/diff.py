"""Differences between two versions of a text, paragraph by paragraph and then word by word.

The result is plain data for a template that marks words with <ins>/<del> and visually hidden
"added:"/"removed:" words, so the meaning never rests on colour or strike-through alone.
"""
import difflib
import re
from dataclasses import dataclass, field

from .models import split_paragraphs


@dataclass
class Segment:
    kind: str  # "same", "added" or "removed"
    text: str


@dataclass
class ParagraphChange:
    kind: str  # "added", "removed" or "changed"
    old_number: int | None  # 1-based position in the older text
    new_number: int | None  # 1-based position in the newer text
    segments: list[Segment] = field(default_factory=list)


def _words(text: str) -> list[str]:
    return re.findall(r"\S+", text)


def _word_segments(old: str, new: str) -> list[Segment]:
    old_words, new_words = _words(old), _words(new)
    segments: list[Segment] = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(Segment("same", " ".join(old_words[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            segments.append(Segment("removed", " ".join(old_words[i1:i2])))
        if tag in ("insert", "replace"):
            segments.append(Segment("added", " ".join(new_words[j1:j2])))
    return segments


def text_changes(old_text: str, new_text: str) -> list[ParagraphChange]:
    """The paragraphs that differ; an empty list when the texts say the same thing."""
    old, new = split_paragraphs(old_text), split_paragraphs(new_text)
    changes: list[ParagraphChange] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag == "replace":
            # Pair the paragraphs up in order, so a reworded paragraph shows its changed words;
            # any left over on one side are whole paragraphs added or removed.
            pairs = min(i2 - i1, j2 - j1)
            for k in range(pairs):
                changes.append(ParagraphChange("changed", i1 + k + 1, j1 + k + 1,
                                               _word_segments(old[i1 + k], new[j1 + k])))
            i1, j1 = i1 + pairs, j1 + pairs
        for i in range(i1, i2):
            changes.append(ParagraphChange("removed", i + 1, None, [Segment("removed", old[i])]))
        for j in range(j1, j2):
            changes.append(ParagraphChange("added", None, j + 1, [Segment("added", new[j])]))
    return changes
