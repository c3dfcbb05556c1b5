"""Many live pages fast, for the query-bound tests: the page rows in bulk, then each page's own row."""

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page


def bulk_pages(parent, model, count, prefix, **fields):
    """Adds ``count`` live ``model`` pages under ``parent``; ``fields`` may be callables of the page."""
    content_type = ContentType.objects.get_for_model(model)
    start = parent.numchild
    slugs = [f"{prefix}-{number}" for number in range(start, start + count)]
    Page.objects.bulk_create(
        Page(
            title=f"{prefix} {number}",
            draft_title=f"{prefix} {number}",
            slug=slug,
            content_type=content_type,
            path=model._get_path(parent.path, parent.depth + 1, number + 1),
            depth=parent.depth + 1,
            live=True,
            locale_id=parent.locale_id,
            url_path=f"{parent.url_path}{slug}/",
            first_published_at=parent.first_published_at,
        )
        for number, slug in zip(range(start, start + count), slugs, strict=True)
    )
    pages = list(Page.objects.filter(slug__in=slugs, depth=parent.depth + 1, path__startswith=parent.path))
    for page in pages:
        own = model(
            page_ptr_id=page.pk, **{name: value(page) if callable(value) else value for name, value in fields.items()}
        )
        own.save_base(raw=True)  # the page row exists; only the model's own row is written
    Page.objects.filter(pk=parent.pk).update(numchild=start + count)
    parent.refresh_from_db()
    return pages


def bulk_relate(model, field_name, pages, targets):
    """Links pages to targets through a many-to-many field, in one insert.

    ``targets`` is a list every page is linked to, or a callable giving each page its own.
    """
    through = model._meta.get_field(field_name).remote_field.through
    source, target = (f.name for f in through._meta.get_fields() if f.many_to_one)
    targets_of = targets if callable(targets) else lambda page: targets
    through.objects.bulk_create(
        through(**{f"{source}_id": page.pk, f"{target}_id": other.pk}) for page in pages for other in targets_of(page)
    )
