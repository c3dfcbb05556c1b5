"""Materials of the closed club are for its members only: the page and the file.

The page is kept under the same view restriction as the club section (the Mayors group);
the file is moved into a collection restricted to that group, which Wagtail's document
view enforces, so the download link does not leak it either.
"""

from wagtail.models import BaseViewRestriction, Collection, CollectionViewRestriction, PageViewRestriction

from sections.access import MAYORS_GROUP_NAME, mayors_group, restrict_to_mayors
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


def _lift_mayors_restriction(page):
    for restriction in page.view_restrictions.filter(restriction_type=PageViewRestriction.GROUPS):
        if list(restriction.groups.values_list("name", flat=True)) == [MAYORS_GROUP_NAME]:
            restriction.delete()


def apply_club_privacy(material):
    """Brings the material's page restriction, flag and file collection in line with its sections."""
    from .models import MaterialPage

    private = material.sections.filter(kind=SectionKind.CLUB).exists()
    if material.members_only != private:
        MaterialPage.objects.filter(pk=material.pk).update(members_only=private)
        material.members_only = private
    if private:
        restrict_to_mayors(material)
    else:
        _lift_mayors_restriction(material)

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
