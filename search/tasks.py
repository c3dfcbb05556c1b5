from django_tasks import task
from wagtail.models import Page

from . import index


@task()
def reindex_tree(page_id):
    """A moved page or a changed view restriction can touch thousands of pages: done in the background."""
    page = Page.objects.filter(pk=page_id).first()
    if page is not None:
        index.reindex_tree(page)
