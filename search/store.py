"""Where the analysed words live, and how each database matches and ranks them.

SQLite keeps them in the FTS5 table ``search_text`` (rowid = page id) and ranks with bm25;
PostgreSQL keeps them in ``tsvector`` columns of ``search_indexentry`` and ranks with
ts_rank. Both rank titles above body text above document text, and both rank, count and cut
inside the database: a word that stands in every page costs no more than a rare one.

The tokens are letters and digits only (``search.analysis``), so they are quoted as they are.
"""

from django.db import connection

# How much a hit in each part counts: the title, the body, a document's text.
TITLE_WEIGHT, BODY_WEIGHT, DOCUMENT_WEIGHT = 10.0, 3.0, 1.0


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
        """(FROM-and-WHERE SQL over ``e`` = search_indexentry, its parameters) for pages holding every term."""
        return (
            "search_text JOIN search_indexentry e ON e.page_id = search_text.rowid WHERE search_text MATCH %s",
            [self._expression(terms)],
        )

    def ranking(self, terms):
        # bm25 is lower for a better match.
        return f"bm25(search_text, {TITLE_WEIGHT}, {BODY_WEIGHT}, {DOCUMENT_WEIGHT})", [], "ASC"

    def title_matching(self, terms):
        """Pages whose title holds every term, the last one as a prefix (as one types)."""
        return (
            "search_text JOIN search_indexentry e ON e.page_id = search_text.rowid WHERE search_text MATCH %s",
            [self._expression(terms, column="title", prefix_last=True)],
        )


class PostgreSQLStore:
    # ts_rank's weights for D, C, B, A: the parts are written as C (document), B (body), A (title).
    RANK_WEIGHTS = f"{{0.0, {DOCUMENT_WEIGHT / TITLE_WEIGHT}, {BODY_WEIGHT / TITLE_WEIGHT}, 1.0}}"

    @staticmethod
    def _vector(*parts):
        """A tsvector literal: each token once, with one position per part it stands in (1 A, 2 B, 3 C)."""
        positions = {}
        for position, weight, tokens in parts:
            for token in tokens:
                positions.setdefault(token, []).append(f"{position}{weight}")
        return " ".join(f"'{token}':{','.join(marks)}" for token, marks in positions.items())

    def write(self, cursor, page_id, title, body, document):
        title_part, body_part, document_part = (1, "A", title), (2, "B", body), (3, "C", document)
        cursor.execute(
            "UPDATE search_indexentry SET terms = %s::tsvector, head_terms = %s::tsvector,"
            " title_terms = %s::tsvector WHERE page_id = %s",
            [
                self._vector(title_part, body_part, document_part),
                self._vector(title_part, body_part),
                self._vector(title_part),
                page_id,
            ],
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

    def matching(self, terms):
        return "search_indexentry e WHERE e.terms @@ %s::tsquery", [self._query(terms)]

    def ranking(self, terms):
        return f"ts_rank('{self.RANK_WEIGHTS}', e.head_terms, %s::tsquery)", [self._query(terms)], "DESC"

    def title_matching(self, terms):
        return "search_indexentry e WHERE e.title_terms @@ %s::tsquery", [self._query(terms, prefix_last=True)]


def get_store():
    return PostgreSQLStore() if connection.vendor == "postgresql" else SQLiteStore()
