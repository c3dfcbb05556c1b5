from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import CollectionViewRestriction
from wagtail.tasks import delete_file_from_storage_task

from .models import EXTRACTION_FIELDS, LibraryDocument
from .privacy import CLUB_COLLECTION_NAME, club_collection
from .tasks import extract_document_text


@receiver(post_save, sender=LibraryDocument)
def read_new_files(sender, instance, update_fields=None, **kwargs):
    # The task's own save, and saves that do not touch the file, ask for nothing.
    if update_fields and set(update_fields) <= {*EXTRACTION_FIELDS, "file_hash", "collection"}:
        return
    if instance.needs_extraction:
        if instance.extraction_status != LibraryDocument.ExtractionStatus.PENDING:
            LibraryDocument.objects.filter(pk=instance.pk).update(extraction_status="pending")
            instance.extraction_status = LibraryDocument.ExtractionStatus.PENDING
        extract_document_text.enqueue(instance.pk)


@receiver(post_delete, sender=LibraryDocument)
def delete_preview(sender, instance, **kwargs):
    # As Wagtail does for the document's own file: once the deletion is committed, in the background.
    if instance.preview:
        storage, name = instance.preview.storage, instance.preview.name
        transaction.on_commit(lambda: delete_file_from_storage_task.enqueue(storage.deconstruct(), name))


@receiver(post_delete, sender=CollectionViewRestriction)
def keep_the_club_collection_closed(sender, instance, **kwargs):
    # An editor's Collections → Privacy would otherwise open every club file until the next club
    # material is saved. An empty club collection may lose it (and be deleted).
    collection = instance.collection
    if collection.name == CLUB_COLLECTION_NAME and LibraryDocument.objects.filter(collection=collection).exists():
        club_collection()
