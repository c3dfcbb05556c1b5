"""Filter links for listings: each value a plain link that keeps the other chosen filters.

Used by the library and the events; a listing fills the values and their counts.
"""

from dataclasses import dataclass, field

#: Longer than any slug or value a filter takes: such a value names nothing.
MAX_PARAM_LENGTH = 255


@dataclass
class FacetValue:
    value: str
    label: str
    count: int | None = None
    chosen: bool = False
    url: str = ""


@dataclass
class Facet:
    param: str
    title: str
    all_label: str
    values: list[FacetValue] = field(default_factory=list)
    chosen: FacetValue | None = None
    all_url: str = ""


def clean_params(query):
    """The query's values that may name something: no NUL byte (PostgreSQL refuses it), not over-long."""
    return {key: value for key, value in query.items() if len(value) <= MAX_PARAM_LENGTH and "\x00" not in value}


def facet_url(request, param, value, drop=("page",)):
    """The current listing's address with ``param`` set to ``value`` (or removed when None)."""
    params = request.GET.copy()
    for name in drop:
        params.pop(name, None)
    if value is None:
        params.pop(param, None)
    else:
        params[param] = value
    return f"?{params.urlencode()}" if params else request.path


def build_facet(request, param, title, all_label, values, chosen_value, limit=None):
    """A facet from ``(value, label, count)`` rows; the chosen value is kept even past ``limit``."""
    facet = Facet(param=param, title=title, all_label=all_label, all_url=facet_url(request, param, None))
    rows = [
        FacetValue(str(value), str(label), count, chosen=str(value) == chosen_value) for value, label, count in values
    ]
    if limit and len(rows) > limit:
        rows = rows[:limit] + [row for row in rows[limit:] if row.chosen]
    for row in rows:
        row.url = facet_url(request, param, row.value)
    facet.values = rows
    facet.chosen = next((row for row in rows if row.chosen), None)
    return facet
