"""Word forms: what is indexed for a text and what is looked for in a query.

Neither SQLite FTS5 nor PostgreSQL knows Ukrainian, so the index holds, next to each word,
its lemmas (pymorphy3 with the Ukrainian dictionary for Cyrillic words, the Snowball stemmer
for Latin ones), and a query looks for any form of each of its words: "громадам" finds
"громада" and "громади" because all three index the lemma "громада".

Both sides go through ``words()``: Unicode NFC, one apostrophe, Latin look-alikes inside a
Cyrillic word read as Cyrillic (and the other way round), lower case. Tokens hold letters and
digits only, so nothing a visitor types reaches a backend's query syntax.
"""

import re
import unicodedata
from functools import lru_cache

import pymorphy3
import snowballstemmer

# The dictionary spells the apostrophe as U+0027; visitors type any of these.
APOSTROPHES = "'’ʼ`´‘ʹ′"
_APOSTROPHE = re.compile(f"[{APOSTROPHES}]")
# A word: letters and digits, with apostrophes inside it ("сім'я"), never at its ends.
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-zA-Z\u00c0-\u024f]")

# Letters that look the same in both scripts, so a word typed with the wrong keyboard
# layout for one letter ("громадi" with a Latin i) is still the word meant.
_LATIN_TO_CYRILLIC = str.maketrans("aceiopxyABCEHIKMOPTXYïÏ", "асеіорхуАВСЕНІКМОРТХУїЇ")
_CYRILLIC_TO_LATIN = {cyrillic: latin for latin, cyrillic in _LATIN_TO_CYRILLIC.items()}

# Words too common to narrow a search: a query keeps them only when it has nothing else.
STOP_WORDS = frozenset(
    [
        "а",
        "або",
        "але",
        "б",
        "би",
        "в",
        "від",
        "во",
        "ві",
        "для",
        "до",
        "є",
        "же",
        "з",
        "за",
        "зі",
        "і",
        "із",
        "й",
        "к",
        "коли",
        "ми",
        "на",
        "над",
        "не",
        "ні",
        "но",
        "о",
        "об",
        "от",
        "по",
        "при",
        "про",
        "та",
        "так",
        "також",
        "те",
        "то",
        "у",
        "чи",
        "що",
        "щоб",
        "як",
        "який",
        "яка",
        "яке",
        "які",
        "це",
        "цей",
        "ця",
        "ці",
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "is",
        "it",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
    ]
)

# A word longer than this is not a word (a hash, a run of letters): indexed as it is.
MAX_WORD_LENGTH = 60


@lru_cache(maxsize=1)
def _morph():
    return pymorphy3.MorphAnalyzer(lang="uk")


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("english")


def _fix_script(word):
    """Reads a mixed-script word in the script most of its letters are in."""
    cyrillic = len(_CYRILLIC.findall(word))
    if not cyrillic:
        return word
    latin = len(_LATIN.findall(word))
    if not latin:
        return word
    return word.translate(_LATIN_TO_CYRILLIC if cyrillic >= latin else _CYRILLIC_TO_LATIN)


def words(text):
    """The words of a text, normalised: the same for the indexed text and for a query."""
    text = unicodedata.normalize("NFC", text)
    text = _APOSTROPHE.sub("'", text)
    return [_fix_script(match.group()).lower() for match in _WORD.finditer(text)]


def token(word):
    """How a word is spelled in the index: the tokenizers of both backends split at apostrophes."""
    return word.replace("'", "")


@lru_cache(maxsize=200_000)
def lemmas(word):
    """The dictionary forms of a normalised word, itself included, as index tokens."""
    forms = {word}
    if len(word) <= MAX_WORD_LENGTH and not word.isdigit():
        if _CYRILLIC.search(word):
            parses = _morph().parse(word)
            known = [parse for parse in parses if parse.is_known]
            # A word the dictionary knows has exact lemmas; for another, the best guess only.
            forms.update(parse.normal_form for parse in (known or parses[:1]))
        elif _LATIN.search(word):
            forms.add(_stemmer().stemWord(word))
    return frozenset(token(form) for form in forms if form)


def index_text(text):
    """The text as the index holds it: each word followed by its other forms."""
    tokens = []
    for word in words(text):
        spelled = token(word)
        tokens.append(spelled)
        tokens.extend(sorted(lemmas(word) - {spelled}))
    return " ".join(tokens)


def query_terms(text, max_words=32):
    """What a query looks for: one set of forms per meaningful word, any of which will do."""
    return [lemmas(word) for word in meaningful_words(text)[:max_words]]


def meaningful_words(text):
    """The query's words without repeats, and without stop words unless it has nothing else."""
    found = list(dict.fromkeys(words(text)))
    return [word for word in found if word not in STOP_WORDS] or found


@lru_cache(maxsize=10_000)
def inflections(word):
    """Every form of a normalised word that the dictionary knows, to mark it in a passage."""
    forms = {word}
    if _CYRILLIC.search(word) and len(word) <= MAX_WORD_LENGTH:
        for parse in _morph().parse(word):
            if parse.is_known:
                forms.update(form.word for form in parse.lexeme)
    return frozenset(forms)
