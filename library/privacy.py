"""Materials of the closed club are for its members only: the page and the file.

The page follows the club rule of every page filed in sections (sections.models.FiledInSections);
its file is moved into a collection restricted to the Mayors group, which Wagtail's document
view enforces, so the download link does not leak it either. The file stays there while any
members-only material uses it, whatever saves the document; a club draft's new file goes
there as soon as the draft is saved.
"""

from wagtail.models import BaseViewRestriction, Collection, CollectionViewRestriction

from sections.access import mayors_group
from sections.models import SectionKind

CLUB_COLLECTION_NAME = "Кабінет мера — матеріали для членів клубу"


def club_collection():
    """The collection of club files, restricted to the Mayors group; created when first needed."""
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=CLUB_COLLECTION_NAME).first()
    if collection is None:
        collection = root.add_child(name=CLUB_COLLECTION_NAME)
    restriction = collection.view_restrictions.filter(restriction_type=BaseViewRestriction.GROUPS).first()
    if restriction is None:
        restriction = CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=BaseViewRestriction.GROUPS
        )
    restriction.groups.add(mayors_group())
    return collection


def is_club_file(document):
    """Whether a members-only material uses the document (the page as saved, not a draft)."""
    return document.pk is not None and document.materials.filter(members_only=True).exists()


def keep_club_file_closed(document):
    """Puts a club file back into the club's collection before it is saved elsewhere (LibraryDocument.save)."""
    if is_club_file(document):
        document.collection = club_collection()


def put_club_files_back(documents):
    """Of documents moved without a save (Wagtail's bulk "Add to collection"), puts the club's back; returns them."""
    club_files = [document for document in documents if is_club_file(document)]
    if club_files:
        collection = club_collection()
        type(club_files[0]).objects.filter(pk__in=[document.pk for document in club_files]).update(
            collection=collection
        )
    return club_files


def keep_file_with_material(material):
    """Moves the material's file into the club's collection while the material is the club's, and out after."""
    document = material.document
    if document is None:
        return
    if material.members_only:
        _move(document, club_collection())
    # Another club material may share the file; then it stays closed.
    elif document.collection.name == CLUB_COLLECTION_NAME and not is_club_file(document):
        _move(document, Collection.get_first_root_node())


def close_file_of_club_draft(material):
    """Closes the file a club draft newly chooses, at once rather than when the draft is published.

    The file the saved page already names follows the page's own rule (keep_file_with_material):
    closing it now would close the download of a public page before its club draft is published.
    """
    document = material.document
    if document is None or not any(section.kind == SectionKind.CLUB for section in material.sections.all()):
        return
    saved_document_id = type(material).objects.filter(pk=material.pk).values_list("document_id", flat=True).first()
    if document.pk != saved_document_id:
        _move(document, club_collection())


def _move(document, collection):
    if document.collection_id != collection.pk:
        document.collection = collection
        document.save(update_fields=["collection"])
