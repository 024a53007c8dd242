"""Small helpers for the words pages show."""

# Words starting with a vowel letter that sound like "you" or "one" take "a"; an initial "h"
# that is silent takes "an". Enough for the nouns this app names (imports, records, roles).
_A_BEFORE = ("uni", "use", "usu", "eu", "one", "once")
_AN_BEFORE = ("hour", "honest", "honour", "heir")


def with_article(noun: str) -> str:
    """ "officer" -> "an officer", "ward" -> "a ward", "unit" -> "a unit", "hour" -> "an hour"."""
    word = noun.strip().lower()
    vowel_sound = (word[:1] in "aeiou" and not word.startswith(_A_BEFORE)) or word.startswith(_AN_BEFORE)
    return f"{'an' if vowel_sound else 'a'} {noun}"
