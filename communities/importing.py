"""Communities from a CSV of the register: name, oblast, kind, population, code.

A row is matched to an existing community by its KATOTTH code, so importing the same
file again updates, never duplicates. Oblasts and kinds may be given by their keys
("vinnytsia", "city") or their names in either language ("Вінницька область", "міська").
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from wagtail.models import Locale

from home.importing import read_csv

from .katotth import Oblast, normalize_code
from .models import Community, CommunityKind

COLUMNS = ("name", "oblast", "kind", "population", "code")
KIND_WORDS = {"міська": "city", "селищна": "settlement", "сільська": "village", "urban": "city", "rural": "village"}


class BadRow(Exception):
    pass


def read_rows(raw):
    """The file's rows as (line number, row), or ValueError saying why the file cannot be read."""
    return list(read_csv(raw, required=COLUMNS))


def _labels(choices):
    """Every way a choice may be written: its key and its label in each language, lower-cased."""
    names = {}
    for value, _label in choices.choices:
        names[value] = value
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                names[str(choices(value).label).lower()] = value
    return names


def community_from_row(row, oblasts, kinds):
    """The community a row describes (new or updated, not saved yet), or BadRow with the reason."""
    name = row["name"]
    if not name:
        raise BadRow("no name")
    oblast = oblasts.get(row["oblast"].lower())
    if oblast is None:
        raise BadRow(f"unknown oblast '{row['oblast']}'")
    kind_text = row["kind"].lower()
    kind = kinds.get(kind_text) or next((key for word, key in KIND_WORDS.items() if word in kind_text), None)
    if kind is None:
        raise BadRow(f"unknown kind '{row['kind']}' (city, settlement or village)")
    population = row["population"].replace(" ", "").replace("\u00a0", "")
    if population and not (population.isascii() and population.isdigit()):
        raise BadRow(f"the population '{row['population']}' is not a whole number")
    code = normalize_code(row["code"])
    locale = Locale.objects.get(language_code=settings.LANGUAGE_CODE)
    community = Community.objects.filter(code=code, locale=locale).first() or Community(locale=locale)
    community.name, community.oblast, community.kind, community.code = name[:255], oblast, kind, code
    community.population = int(population) if population else None
    try:
        community.full_clean()
    except ValidationError as error:
        raise BadRow(
            "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
        ) from None
    return community


def choice_names():
    return _labels(Oblast), _labels(CommunityKind)
