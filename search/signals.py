"""What Wagtail's own index signals do not see: privacy, moves and a document's new text."""

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete, post_save
from wagtail.documents import get_document_model
from wagtail.models import Page, PageViewRestriction, ReferenceIndex
from wagtail.signals import post_page_move

from . import index, tasks


def restriction_changed(instance, raw=False, **kwargs):
    # A restriction closes or opens the whole subtree; a deleted page takes its restriction with it.
    if not raw and Page.objects.filter(pk=instance.page_id).exists():
        tasks.reindex_tree.enqueue(instance.page_id)


def page_moved(instance, **kwargs):
    tasks.reindex_tree.enqueue(instance.pk)


def document_text_changed(instance, update_fields=None, raw=False, **kwargs):
    """A replaced file has new text: the pages showing it are indexed again."""
    if raw or (update_fields is not None and "extracted_text" not in update_fields):
        return
    page_ids = (
        ReferenceIndex.get_references_to(instance)
        .filter(base_content_type=ContentType.objects.get_for_model(Page))
        .values_list("object_id", flat=True)
    )
    pages = Page.objects.filter(pk__in=[int(pk) for pk in page_ids]).specific()
    if pages:
        index.index_pages(list(pages))


def connect():
    post_save.connect(restriction_changed, sender=PageViewRestriction, dispatch_uid="search_restriction_saved")
    post_delete.connect(restriction_changed, sender=PageViewRestriction, dispatch_uid="search_restriction_deleted")
    post_page_move.connect(page_moved, dispatch_uid="search_page_moved")
    post_save.connect(document_text_changed, sender=get_document_model(), dispatch_uid="search_document_saved")
