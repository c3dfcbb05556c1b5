"""The site search's own index: one row per public page, with the values its facets count.

The analysed words live beside these rows in a form each database searches fast, made by the
migration: an FTS5 table ``search_text`` on SQLite, ``tsvector`` columns on PostgreSQL
(``search/store.py`` reads and writes both).
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IndexEntry(models.Model):
    page = models.OneToOneField("wagtailcore.Page", primary_key=True, on_delete=models.CASCADE, related_name="+")
    # No index on the language: each search narrows by its words first, through the full-text
    # index, and PostgreSQL's planner would otherwise walk every page of the language.
    locale = models.ForeignKey("wagtailcore.Locale", on_delete=models.CASCADE, related_name="+", db_index=False)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+", db_index=False)
    published_at = models.DateTimeField(null=True)
    # The plain text a result's passage is cut from.
    body_text = models.TextField(blank=True)
    document_text = models.TextField(blank=True)

    def __str__(self):
        return f"page {self.page_id}"


class IndexState(models.Model):
    """One row, touched whenever the index changes: it renews the cached facet totals."""

    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"changed {self.changed_at}"

    @classmethod
    def version(cls):
        """A short text that changes with the index, for cache keys."""
        changed = cls.objects.values_list("changed_at", flat=True).first()
        return f"{changed.timestamp():.6f}" if changed else "0"

    @classmethod
    def touch(cls):
        cls.objects.update_or_create(pk=1)


class IndexFacet(models.Model):
    """One value of one facet of an indexed page: its section, its kind, its year…"""

    entry = models.ForeignKey(IndexEntry, on_delete=models.CASCADE, related_name="facets")
    name = models.CharField(max_length=20)
    value = models.CharField(max_length=255)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "name", "value"], name="one_facet_value_per_entry")]
        indexes = [models.Index(fields=["name", "value"])]

    def __str__(self):
        return f"{self.name}={self.value}"


class UnansweredQuery(models.Model):
    """How often a query found nothing, by day: what communities look for and do not find.

    Beside Wagtail's own query log (``wagtailsearchpromotions.Query``), which counts every query.
    """

    query = models.ForeignKey("wagtailsearchpromotions.Query", on_delete=models.CASCADE, related_name="unanswered_days")
    date = models.DateField(default=timezone.localdate)
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["query", "date"], name="one_unanswered_count_per_day")]
        verbose_name = _("query without results")
        verbose_name_plural = _("queries without results")

    def __str__(self):
        return f"{self.query} ({self.date})"
