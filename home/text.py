"""Ukrainian text helpers shared by every app: Latin slugs and alphabetical sort keys."""

import re
import unicodedata

import pyuca
from django.utils.text import slugify
from translitua import UkrainianKMU, translit

_APOSTROPHES = re.compile(r"['’ʼ`]")
_collator = None

# A primary weight above every letter's: a letter that sorts as "its base letter, then this"
# comes after every word spelt with the base letter and before the next letter of the alphabet.
_AFTER_EVERY_LETTER = 0xFFFE


def _ukrainian_collator():
    """The Unicode collation table tailored as CLDR's Ukrainian collation is (&Г<ґ, &І<ї).

    The default table treats ґ and ї as г and і with an accent, so that "Ґалаґан" would sort
    before "Гнатюк"; in the Ukrainian alphabet they are letters of their own.
    """
    collator = pyuca.Collator()
    for letter, base in (("ґ", "г"), ("Ґ", "Г"), ("ї", "і"), ("Ї", "І")):
        elements = [*collator.collation_elements(base), [_AFTER_EVERY_LETTER, 32, 2]]
        # Keys are looked up in decomposed form: ї arrives as і followed by a combining diaeresis.
        collator.table.add([ord(char) for char in unicodedata.normalize("NFD", letter)], elements)
    return collator


def latin_slug(text):
    """A URL slug in Latin letters, transliterated by the national rules of 2010.

    "Енергетична стійкість" → "enerhetychna-stiikist". Latin text passes through as
    Django's slugify leaves it.
    """
    return slugify(translit(_APOSTROPHES.sub("", text), UkrainianKMU))


def sort_key(text):
    """A text key that orders strings in Ukrainian alphabetical order when compared as bytes.

    The Unicode Collation Algorithm, tailored for Ukrainian, puts і after и, ї after і,
    є after е and ґ after г, as the Ukrainian alphabet does, and Latin before Cyrillic. Each collation weight
    becomes four hex digits, so the database can sort on the key with any collation.
    Apostrophes are ignored, as Ukrainian dictionaries do (Мар’яна sorts as Маряна).
    """
    global _collator
    if _collator is None:
        _collator = _ukrainian_collator()  # loads the collation table once, on first use
    weights = _collator.sort_key(_APOSTROPHES.sub("", text).strip())
    return "".join(f"{min(weight, 0xFFFF):04x}" for weight in weights)
