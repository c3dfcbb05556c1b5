"""Times the site search at a few sizes of the library, on a scratch database.

``make bench-search`` runs it on a fresh SQLite file and on a fresh PostgreSQL database. Here it
fills the library with generated materials (a title, a summary and a document whose extracted
text is 2,000–4,000 characters of Ukrainian words drawn from the demo content with a Zipf-like
frequency), indexes them, and times four queries through the whole request (``/search/?q=…``,
the first results page) and through the engine alone, at each size.

The queries: a rare word (in 5 materials), two words (each in a fifth to a third of the
materials), a word that stands in no material and a word that stands in most (over 80 %).

It refuses to run on a database whose name does not say "bench" or that holds pages it did not
make: the materials it makes are not removed afterwards.
"""

import datetime
import gc
import itertools
import json
import math
import random
import re
import statistics
import time
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone
from wagtail.models import Collection, Locale, Page

from home.models import HomePage
from library.models import FileLanguage, LibraryDocument, LibraryPage, MaterialKind, MaterialPage
from search.analysis import lemmas, words
from search.engine import Search
from search.index import index_pages
from sections.models import SectionIndexPage, SectionKind, SectionPage
from speakers.models import SpeakerIndexPage, SpeakerPage

# Everything the benchmark makes has a slug that starts so; the rest of the site must be (almost) empty.
PREFIX = "bench"
MAX_OTHER_PAGES = 5  # the root and the home page in each language
BATCH = 500
SEED = 20_000

# Where the vocabulary comes from: the Ukrainian text of the demo content.
DEMO_DATA = sorted(Path(settings.BASE_DIR).glob("*/demo_data/**/*.json"))
MATERIALS_DATA = Path(settings.BASE_DIR) / "library" / "demo_data" / "materials"
SECTIONS_DATA = Path(settings.BASE_DIR) / "sections" / "demo_data" / "sections.json"
SPEAKERS_DATA = Path(settings.BASE_DIR) / "speakers" / "demo_data" / "speakers.json"

# The words whose frequency the benchmark controls: each is taken out of the drawn vocabulary
# (with every word sharing one of its lemmas) and put into the documents in the share given.
COMMON_FORMS = ["громада", "громади", "громаді", "громаду", "громадою", "громад", "громадам", "громадах"]
COMMON_SHARE = 0.85
BUDGET_FORMS = ["бюджет", "бюджету", "бюджетом", "бюджеті", "бюджети", "бюджетів"]
BUDGET_SHARE = 0.30
TRANSPARENCY_FORMS = ["прозорість", "прозорості", "прозорістю"]
TRANSPARENCY_SHARE = 0.20
RARE_FORMS = ["пасічники", "пасічників", "пасічникам", "пасічника"]
RARE_NUMBERS = frozenset({37, 237, 437, 637, 837})  # the materials that hold the rare word
ABSENT_WORD = "ксилофон"

QUERIES = [
    ("rare word", "пасічник"),
    ("two words", "прозорість бюджету"),
    ("no match", ABSENT_WORD),
    ("common word", "громада"),
]

# A drawn word is a Ukrainian one: the demo's text has Latin names, addresses and numbers too.
UKRAINIAN_WORD = re.compile(r"[а-щьюяєіїґ']+")
TEXT_CHARS = (2_000, 4_000)
ZIPF_EXPONENT = 1.0
KINDS = [kind for kind in MaterialKind.values if kind != MaterialKind.VIDEO]
LANGUAGES = [(FileLanguage.UKRAINIAN, 0.85), (FileLanguage.ENGLISH, 0.10), (FileLanguage.OTHER, 0.05)]
SECTION_COUNT, SPEAKER_COUNT = 12, 40


def percentile(samples, share):
    """The nearest-rank percentile: the smallest sample with ``share`` of the samples at or below it."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _ukrainian_strings(value, skip_english=True):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if not (skip_english and key == "en"):
                yield from _ukrainian_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _ukrainian_strings(item)


class Corpus:
    """The words a generated document is made of, the most frequent first, and the demo's titles."""

    def __init__(self, rng):
        controlled = {
            lemma
            for form in [*COMMON_FORMS, *BUDGET_FORMS, *TRANSPARENCY_FORMS, *RARE_FORMS, ABSENT_WORD]
            for lemma in lemmas(form)
        }
        counts = {}
        for path in DEMO_DATA:
            for text in _ukrainian_strings(json.loads(path.read_text(encoding="utf-8"))):
                for word in words(text):
                    if len(word) > 1 and UKRAINIAN_WORD.fullmatch(word):
                        counts[word] = counts.get(word, 0) + 1
        vocabulary = [word for word in counts if not lemmas(word) & controlled]
        rng.shuffle(vocabulary)  # words of equal count in no particular order
        vocabulary.sort(key=lambda word: -counts[word])
        self.vocabulary = vocabulary
        # Zipf: the word of rank r is drawn with a weight of 1 / r^s.
        self.cumulative = list(itertools.accumulate(1 / rank**ZIPF_EXPONENT for rank in range(1, len(vocabulary) + 1)))

        items = []
        for part in sorted(MATERIALS_DATA.glob("*.json")):
            items.extend(json.loads(part.read_text(encoding="utf-8"))["materials"])
        self.titles = [item["title"]["uk"] for item in items]
        self.summaries = [item["summary"]["uk"] for item in items]
        for text in [*self.titles, *self.summaries]:
            if any(lemmas(word) & lemmas(RARE_FORMS[0]) or word == ABSENT_WORD for word in words(text)):
                raise CommandError(f"The demo text now holds a controlled word: {text!r}")

    def draw(self, rng, count):
        return rng.choices(self.vocabulary, cum_weights=self.cumulative, k=count)

    def document(self, rng, number):
        """A document's text: sentences of drawn words with the controlled words put in."""
        target = rng.randint(*TEXT_CHARS)
        drawn, length = [], 0
        for word in self.draw(rng, target // 3):  # more than enough words: they are 2 letters or longer
            if length >= target:
                break
            drawn.append(word)
            length += len(word) + 1
        inserted = []
        if rng.random() < COMMON_SHARE:
            inserted += rng.choices(COMMON_FORMS, k=rng.randint(1, 4))
        if rng.random() < BUDGET_SHARE:
            inserted += rng.choices(BUDGET_FORMS, k=rng.randint(1, 3))
        if rng.random() < TRANSPARENCY_SHARE:
            inserted += rng.choices(TRANSPARENCY_FORMS, k=rng.randint(1, 2))
        if number in RARE_NUMBERS:
            inserted.append(rng.choice(RARE_FORMS))
        for word in inserted:
            drawn.insert(rng.randrange(len(drawn) + 1), word)
        sentences, start = [], 0
        while start < len(drawn):
            length = rng.randint(5, 16)
            sentence = " ".join(drawn[start : start + length])
            sentences.append(sentence[:1].upper() + sentence[1:] + ".")
            start += length
        paragraphs = [" ".join(sentences[i : i + 6]) for i in range(0, len(sentences), 6)]
        return "\n\n".join(paragraphs)

    def title(self, rng):
        title = rng.choice(self.titles)
        if rng.random() < 0.5:  # many more titles than the demo has, as a real library would
            title = f"{title}: {' '.join(self.draw(rng, rng.randint(2, 4)))}"
        return title[:255]


def next_step(parent):
    """The treebeard step after the parent's last child (bulk-made children are numbered from it)."""
    last = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).order_by("-path").first()
    return Page._str2int(last.path[-Page.steplen :]) if last else 0


def bulk_pages(parent, model, rows):
    """Live ``model`` pages under ``parent``, without signals: the page rows in bulk, then the model's own rows.

    ``rows`` are (page fields, model fields) pairs. Returns the new pages' ids in order.
    """
    content_type = ContentType.objects.get_for_model(model)
    depth, step = parent.depth + 1, next_step(parent)
    paths = []
    pages = []
    for offset, (page_fields, _own) in enumerate(rows, start=1):
        path = Page._get_path(parent.path, depth, step + offset)
        paths.append(path)
        slug = page_fields["slug"]
        pages.append(
            Page(
                draft_title=page_fields["title"],
                content_type=content_type,
                path=path,
                depth=depth,
                numchild=0,
                live=True,
                has_unpublished_changes=False,
                locale_id=parent.locale_id,
                url_path=f"{parent.url_path}{slug}/",
                last_published_at=page_fields.get("first_published_at"),
                latest_revision_created_at=page_fields.get("first_published_at"),
                **page_fields,
            )
        )
    Page.objects.bulk_create(pages, batch_size=BATCH)
    ids_by_path = {}
    for start in range(0, len(paths), BATCH):
        ids_by_path.update(Page.objects.filter(path__in=paths[start : start + BATCH]).values_list("path", "pk"))
    ids = [ids_by_path[path] for path in paths]

    # A page model's own table, inserted as Model.save_base(raw=True) would, but many rows at once.
    fields = model._meta.local_concrete_fields
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    # Names from the model, every value a parameter.
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
    params = []
    for page_id, (_page, own) in zip(ids, rows, strict=True):
        instance = model(page_ptr_id=page_id, **own)
        params.append([field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields])
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    Page.objects.filter(pk=parent.pk).update(
        numchild=Page.objects.filter(path__startswith=parent.path, depth=depth).count()
    )
    parent.refresh_from_db()
    return ids


def index_in_batches(model, ids, log=None):
    related = {"select_related": [], "prefetch_related": []}
    if model is MaterialPage:
        related = {"select_related": ["document", "speaker"], "prefetch_related": ["sections"]}
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        pages = list(
            model.objects.filter(pk__in=chunk)
            .select_related(*related["select_related"])
            .prefetch_related(*related["prefetch_related"])
        )
        index_pages(pages)
        if log:
            log(start + len(chunk))


class Command(BaseCommand):
    help = (
        "Times the site search (the whole request and the engine alone) at a few sizes of the library, "
        "generating the materials. Only for a scratch database: `make bench-search` makes them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 20000], help="Numbers of materials.")
        parser.add_argument("--repeat", type=int, default=30, help="Timed requests per query and size.")
        parser.add_argument("--warmup", type=int, default=2, help="Untimed requests before them.")

    def handle(self, *args, sizes, repeat, warmup, **options):
        self.check_database()
        if settings.DEBUG:
            self.stderr.write(self.style.WARNING("DEBUG is on: every query is recorded and the times are worse."))
        self.database = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(connection.vendor, connection.vendor)
        self.rng = random.Random(SEED)  # noqa: S311 (made-up text, repeatable)
        started = time.perf_counter()
        self.corpus = Corpus(self.rng)
        self.log(f"Vocabulary: {len(self.corpus.vocabulary)} word forms ({time.perf_counter() - started:.1f} s).")
        self.locale = Locale.objects.get(language_code=settings.LANGUAGE_CODE)
        self.library = self.prepare_site()

        results = []
        for size in sorted(sizes):
            self.fill(size)
            results.extend(self.measure(size, repeat, warmup))
        self.report(results)
        self.log(f"Done in {time.perf_counter() - started:.0f} s.")

    def log(self, message):
        self.stdout.write(message)
        self.stdout.flush()

    def check_database(self):
        name = str(connection.settings_dict["NAME"])
        if PREFIX not in name.lower():
            raise CommandError(
                f"This benchmark fills the database with {PREFIX}-made materials and leaves them there; it runs only "
                f"on a scratch database whose name has “{PREFIX}” in it, not on {name!r}. Run `make bench-search`, "
                "which makes one, or set DATABASE_URL to one (migrated, with `manage.py setup_site`)."
            )
        others = Page.objects.exclude(slug__startswith=PREFIX).count()
        if others > MAX_OTHER_PAGES:
            raise CommandError(
                f"The database {name!r} holds {others} pages the benchmark did not make: it refuses to add thousands "
                "of generated materials to real content. Give it an empty database (migrated, with "
                "`manage.py setup_site`)."
            )
        if not HomePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE, depth=2).exists():
            raise CommandError("No home page: run `manage.py migrate` and `manage.py setup_site` first.")

    # --- The site ------------------------------------------------------------------------------

    def prepare_site(self):
        """The library, and a few sections and speakers for the materials' facets."""
        home = HomePage.objects.get(locale=self.locale, depth=2)
        made = []
        with transaction.atomic():
            library = LibraryPage.objects.child_of(home).first()
            if library is None:
                made += [(LibraryPage, self.index_page(home, LibraryPage, "library", "Склад рішень"))]
                library = LibraryPage.objects.child_of(home).get()
            if not SectionPage.objects.filter(slug__startswith=PREFIX).exists():
                made += self.sections_and_speakers(home)
            for model, ids in made:
                index_pages(list(model.objects.filter(pk__in=ids)))
        self.sections = list(SectionPage.objects.filter(slug__startswith=PREFIX).values_list("pk", flat=True))
        self.speakers = list(SpeakerPage.objects.filter(slug__startswith=PREFIX).values_list("pk", flat=True))
        return library

    def index_page(self, home, model, slug, title):
        page = {"title": title, "slug": f"{PREFIX}-{slug}", "first_published_at": timezone.now()}
        return bulk_pages(home, model, [(page, {"intro": ""})])

    def sections_and_speakers(self, home):
        made = []
        data = json.loads(SECTIONS_DATA.read_text(encoding="utf-8"))["sections"]
        chosen = [item for item in data if item["kind"] == SectionKind.THEMATIC][:SECTION_COUNT]
        section_index = SectionIndexPage.objects.child_of(home).first()
        if section_index is None:
            made.append((SectionIndexPage, self.index_page(home, SectionIndexPage, "sections", "Розділи")))
            section_index = SectionIndexPage.objects.child_of(home).get()
        rows = [
            (
                {
                    "title": item["title"]["uk"],
                    "slug": f"{PREFIX}-section-{number}",
                    "first_published_at": timezone.now(),
                },
                {"summary": item["summary"]["uk"][:300], "kind": item["kind"], "order": number, "icon": item["icon"]},
            )
            for number, item in enumerate(chosen, start=1)
        ]
        made.append((SectionPage, bulk_pages(section_index, SectionPage, rows)))

        data = json.loads(SPEAKERS_DATA.read_text(encoding="utf-8"))["speakers"][:SPEAKER_COUNT]
        speaker_index = SpeakerIndexPage.objects.child_of(home).first()
        if speaker_index is None:
            made.append((SpeakerIndexPage, self.index_page(home, SpeakerIndexPage, "speakers", "Спікери")))
            speaker_index = SpeakerIndexPage.objects.child_of(home).get()
        rows = [
            (
                {
                    "title": item["name"]["uk"],
                    "slug": f"{PREFIX}-speaker-{number}",
                    "first_published_at": timezone.now(),
                },
                {"kind": item["kind"], "short_bio": item["short_bio"]["uk"][:300]},
            )
            for number, item in enumerate(data, start=1)
        ]
        made.append((SpeakerPage, bulk_pages(speaker_index, SpeakerPage, rows)))
        return made

    # --- The materials -------------------------------------------------------------------------

    def fill(self, size):
        existing = MaterialPage.objects.child_of(self.library).filter(slug__startswith=PREFIX).count()
        if existing >= size:
            self.log(f"{existing} materials already: none to add for {size}.")
            return
        self.log(f"Adding materials {existing + 1}–{size}…")
        collection = Collection.get_first_root_node()
        generating = indexing = 0.0
        for start in range(existing + 1, size + 1, BATCH):
            numbers = range(start, min(start + BATCH, size + 1))
            began = time.perf_counter()
            with transaction.atomic():
                ids = self.add_materials(numbers, collection)
            generated = time.perf_counter()
            index_in_batches(MaterialPage, ids)
            done = time.perf_counter()
            generating += generated - began
            indexing += done - generated
            self.log(
                f"  {numbers[-1]}/{size}: made in {generating:.1f} s, indexed in {indexing:.1f} s"
                f" ({1000 * indexing / (numbers[-1] - existing):.1f} ms a material)"
            )
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # What autovacuum does soon after a bulk load: the planner's statistics.
                cursor.execute("ANALYZE")
            elif connection.vendor == "sqlite":
                # The bulk load's pages go into the database file now, not during the first timed requests.
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        gc.collect()  # nor does its garbage wait for them
        self.log(f"{size} materials: made in {generating:.0f} s, indexed in {indexing:.0f} s.")

    def add_materials(self, numbers, collection):
        rng_of = {number: random.Random(SEED * 7 + number) for number in numbers}  # noqa: S311
        now = timezone.now()
        documents = []
        for number in numbers:
            rng = rng_of[number]
            text = self.corpus.document(rng, number)
            file_hash = f"{number:040x}"[-40:]
            documents.append(
                LibraryDocument(
                    title=f"Документ {number}",
                    file=f"documents/{PREFIX}-{number}.pdf",
                    file_size=len(text.encode()) * 4,
                    file_hash=file_hash,
                    collection=collection,
                    extracted_text=text,
                    extraction_status=LibraryDocument.ExtractionStatus.DONE,
                    extracted_hash=file_hash,
                    page_count=rng.randint(2, 40),
                )
            )
        # bulk_create sends no post_save: no extraction is asked for, no page is indexed again.
        LibraryDocument.objects.bulk_create(documents, batch_size=BATCH)
        if any(document.pk is None for document in documents):
            names = [document.file.name for document in documents]
            pks = dict(LibraryDocument.objects.filter(file__in=names).values_list("file", "pk"))
            for document in documents:
                document.pk = pks[document.file.name]

        rows, section_links = [], []
        for number, document in zip(numbers, documents, strict=True):
            rng = rng_of[number]
            published = now - datetime.timedelta(days=rng.uniform(0, 7 * 365))
            rows.append(
                (
                    {
                        "title": self.corpus.title(rng),
                        "slug": f"{PREFIX}-material-{number}",
                        "first_published_at": published,
                    },
                    {
                        "summary": rng.choice(self.corpus.summaries)[:600],
                        "kind": rng.choice(KINDS),
                        "document_id": document.pk,
                        "speaker_id": rng.choice(self.speakers) if rng.random() < 0.8 else None,
                        "file_language": rng.choices(*zip(*LANGUAGES, strict=True))[0],
                        "year": timezone.localtime(published).year,
                    },
                )
            )
            section_links.append(rng.sample(self.sections, 1 if rng.random() < 0.7 else 2))
        ids = bulk_pages(self.library, MaterialPage, rows)
        through = MaterialPage._meta.get_field("sections").remote_field.through
        through.objects.bulk_create(
            [
                through(materialpage_id=page_id, sectionpage_id=section_id)
                for page_id, sections in zip(ids, section_links, strict=True)
                for section_id in sections
            ],
            batch_size=BATCH,
        )
        return ids

    # --- The timing ----------------------------------------------------------------------------

    def measure(self, size, repeat, warmup):
        client = Client()
        results = []
        with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
            for label, query in QUERIES:
                matches = Search(query, self.locale.pk).total
                for _ in range(warmup):
                    self.get(client, query)
                with CaptureQueriesContext(connection) as captured:
                    self.get(client, query)
                sql_count = len(captured.captured_queries)  # read now: the next request clears the log
                request_times = []
                for _ in range(repeat):
                    began = time.perf_counter()
                    self.get(client, query)
                    request_times.append(1000 * (time.perf_counter() - began))
                # The facet totals of a set of filters are cached until the index changes: the
                # first request after a change pays for them. Timed here with an empty cache.
                cold_times = []
                for _ in range(repeat):
                    cache.clear()
                    began = time.perf_counter()
                    self.get(client, query)
                    cold_times.append(1000 * (time.perf_counter() - began))
                engine_times = []
                for _ in range(warmup + repeat):
                    began = time.perf_counter()
                    search = Search(query, self.locale.pk)
                    search.total  # noqa: B018 (the counts are what is timed)
                    search.hits(0, 10)
                    engine_times.append(1000 * (time.perf_counter() - began))
                engine_times = engine_times[warmup:]
                result = {
                    "database": self.database,
                    "size": size,
                    "label": label,
                    "query": query,
                    "matches": matches,
                    "sql": sql_count,
                    "request": (statistics.median(request_times), percentile(request_times, 0.95)),
                    "cold": (statistics.median(cold_times), percentile(cold_times, 0.95)),
                    "engine": (statistics.median(engine_times), percentile(engine_times, 0.95)),
                }
                results.append(result)
                self.log(
                    f"  {size} materials, {label} “{query}”: {matches} found; request median "
                    f"{result['request'][0]:.1f} ms, p95 {result['request'][1]:.1f} ms; engine median "
                    f"{result['engine'][0]:.1f} ms, p95 {result['engine'][1]:.1f} ms"
                )
        return results

    def get(self, client, query):
        response = client.get("/search/", {"q": query})
        if response.status_code != 200:
            raise CommandError(f"/search/?q={query} answered {response.status_code}.")
        return response

    def report(self, results):
        target = 100
        self.log("")
        self.log("Search request (GET /search/?q=…, the first page of results):")
        self.log("")
        self.log(
            "| database | materials | query | found | SQL queries | median ms | p95 ms "
            "| empty cache: median ms | p95 ms |"
        )
        self.log("|---|---:|---|---:|---:|---:|---:|---:|---:|")
        for row in results:
            median, p95 = row["request"]
            cold_median, cold_p95 = row["cold"]
            flag = " ⚠" if p95 >= target else ""
            cold_flag = " ⚠" if cold_p95 >= target else ""
            self.log(
                f"| {row['database']} | {row['size']:,} | {row['label']}: “{row['query']}” | {row['matches']:,} "
                f"| {row['sql']} | {median:.1f} | {p95:.1f}{flag} | {cold_median:.1f} | {cold_p95:.1f}{cold_flag} |"
            )
        self.log("")
        self.log("Engine alone (Search(…).total and .hits(0, 10)):")
        self.log("")
        self.log("| database | materials | query | median ms | p95 ms |")
        self.log("|---|---:|---|---:|---:|")
        for row in results:
            median, p95 = row["engine"]
            self.log(
                f"| {row['database']} | {row['size']:,} | {row['label']}: “{row['query']}” | {median:.1f} | {p95:.1f} |"
            )
        self.log("")
        slow = [row for row in results if row["request"][1] >= target]
        if slow:
            self.log(
                self.style.WARNING(
                    f"Over the target (p95 under {target} ms): "
                    + "; ".join(f"{row['size']:,} {row['label']} {row['request'][1]:.0f} ms" for row in slow)
                )
            )
        else:
            self.log(self.style.SUCCESS(f"Every p95 is under {target} ms."))
