"""Materials of the closed club are for its members only: the page and the file.

The page follows the club rule of every page filed in sections (sections.models.FiledInSections);
its file is moved into a collection restricted to the Mayors group, which Wagtail's document
view enforces, so the download link does not leak it either.
"""

from wagtail.models import BaseViewRestriction, Collection, CollectionViewRestriction

from sections.access import mayors_group

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


def keep_file_with_material(material):
    """Moves the material's file into the club's collection while the material is the club's, and out after."""
    from .models import MaterialPage

    private = material.members_only
    document = material.document
    if document is None:
        return
    collection = club_collection() if private else None
    if private and document.collection_id != collection.pk:
        document.collection = collection
        document.save(update_fields=["collection"])
    elif (
        not private
        and document.collection.name == CLUB_COLLECTION_NAME
        # Another club material may share the file; then it stays closed.
        and not MaterialPage.objects.filter(document=document, members_only=True).exists()
    ):
        document.collection = Collection.get_first_root_node()
        document.save(update_fields=["collection"])
