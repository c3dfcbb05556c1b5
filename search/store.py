"""Where the analysed words live, and how each database matches and ranks them.

SQLite keeps them in the FTS5 table ``search_text`` (rowid = page id), PostgreSQL in ``tsvector``
columns of ``search_indexentry`` with GIN indexes. Both rank titles above body text above
document text, and both rank, count and cut inside the database.

The tokens are letters and digits only (``search.analysis``), so they are quoted as they are.
"""

from contextlib import contextmanager

from django.db import connection, transaction


class SQLiteStore:
    def write(self, cursor, page_id, title, body, document):
        cursor.execute("DELETE FROM search_text WHERE rowid = %s", [page_id])
        cursor.execute(
            "INSERT INTO search_text (rowid, title, body, document) VALUES (%s, %s, %s, %s)",
            [page_id, " ".join(title), " ".join(body), " ".join(document)],
        )

    def delete(self, cursor, page_ids):
        for page_id in page_ids:
            cursor.execute("DELETE FROM search_text WHERE rowid = %s", [page_id])

    def clear(self, cursor):
        cursor.execute("DELETE FROM search_text")

    @staticmethod
    def _expression(terms, column=None, prefix_last=False):
        groups = []
        for position, forms in enumerate(terms):
            last = prefix_last and position == len(terms) - 1
            alternatives = " OR ".join(f'"{form}"' + ("*" if last else "") for form in sorted(forms))
            groups.append(f"({alternatives})")
        expression = " AND ".join(groups)
        return f"{column} : ({expression})" if column else expression

    def matching(self, terms):
        """(FROM-and-WHERE SQL over ``e`` = search_indexentry, its parameters) for pages holding every term.

        CROSS JOIN makes SQLite start from the full-text index: left to itself, it may walk every
        entry of the language and run the MATCH once for each."""
        return (
            "search_text CROSS JOIN search_indexentry e ON e.page_id = search_text.rowid WHERE search_text MATCH %s",
            [self._expression(terms)],
        )

    def matching_ids(self, terms):
        """A subquery of the ids of the pages holding every term, in any language."""
        return "SELECT rowid FROM search_text WHERE search_text MATCH %s", [self._expression(terms)]

    def tiers(self, terms):
        """FROM-and-WHERE SQL over ``e`` for the pages whose title holds every term, then those whose
        title and body hold them, then the rest: each a pass of the full-text index, where bm25
        would score every match (seconds for a word that stands in 20,000 pages)."""
        join = "search_text CROSS JOIN search_indexentry e ON e.page_id = search_text.rowid WHERE search_text MATCH %s"
        ids = "SELECT rowid FROM search_text WHERE search_text MATCH %s"
        title, head = self._expression(terms, column="title"), self._expression(terms, column="{title body}")
        return [
            (join, [title]),
            (f"{join} AND e.page_id NOT IN ({ids})", [head, title]),
            (f"{join} AND e.page_id NOT IN ({ids})", [self._expression(terms), head]),
        ]

    @contextmanager
    def searching(self):
        with connection.cursor() as cursor:
            yield cursor

    def title_matching(self, terms):
        """Pages whose title holds every term, the last one as a prefix (as one types)."""
        return (
            "search_text CROSS JOIN search_indexentry e ON e.page_id = search_text.rowid WHERE search_text MATCH %s",
            [self._expression(terms, column="title", prefix_last=True)],
        )


class PostgreSQLStore:
    @staticmethod
    def _vector(*parts):
        """A tsvector literal of the tokens, each once (no positions: queries match words)."""
        return " ".join(f"'{token}'" for token in dict.fromkeys(token for part in parts for token in part))

    def write(self, cursor, page_id, title, body, document):
        cursor.execute(
            "UPDATE search_indexentry SET terms = %s::tsvector, head_terms = %s::tsvector,"
            " title_terms = %s::tsvector WHERE page_id = %s",
            [self._vector(title, body, document), self._vector(title, body), self._vector(title), page_id],
        )

    def delete(self, cursor, page_ids):
        """The columns go with their row."""

    def clear(self, cursor):
        """The columns go with their rows."""

    @staticmethod
    def _query(terms, prefix_last=False):
        groups = []
        for position, forms in enumerate(terms):
            last = prefix_last and position == len(terms) - 1
            groups.append("(" + " | ".join(f"'{form}'" + (":*" if last else "") for form in sorted(forms)) + ")")
        return " & ".join(groups)

    @staticmethod
    def _ids(column):
        # OFFSET 0 plans the subquery on its own, where only the GIN index can answer it: left in
        # the outer query, the planner would test the words of every page of the language one by one.
        return f"SELECT page_id FROM search_indexentry WHERE {column} @@ %s::tsquery OFFSET 0"

    def matching(self, terms):
        return f"search_indexentry e WHERE e.page_id IN ({self._ids('terms')})", [self._query(terms)]

    def matching_ids(self, terms):
        return self._ids("terms"), [self._query(terms)]

    def tiers(self, terms):
        """The pages whose title holds every term, then those whose title and body hold them, then
        the rest, each from the GIN indexes rather than from every match's vectors."""
        query = self._query(terms)
        title, head, anywhere = self._ids("title_terms"), self._ids("head_terms"), self._ids("terms")
        return [
            (f"search_indexentry e WHERE e.page_id IN ({title})", [query]),
            (f"search_indexentry e WHERE e.page_id IN ({head}) AND e.page_id NOT IN ({title})", [query, query]),
            (f"search_indexentry e WHERE e.page_id IN ({anywhere}) AND e.page_id NOT IN ({head})", [query, query]),
        ]

    def title_matching(self, terms):
        return (
            f"search_indexentry e WHERE e.page_id IN ({self._ids('title_terms')})",
            [self._query(terms, prefix_last=True)],
        )

    @contextmanager
    def searching(self):
        # The planner cannot see what reading each page's vectors costs and would scan them all for
        # a common word; the GIN indexes answer these subqueries without rechecking a row.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            yield cursor


def get_store():
    return PostgreSQLStore() if connection.vendor == "postgresql" else SQLiteStore()
