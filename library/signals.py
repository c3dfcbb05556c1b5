from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import EXTRACTION_FIELDS, LibraryDocument
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
