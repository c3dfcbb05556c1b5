from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from wagtail.documents import get_document_model


def document_preview(request, document_id):
    """The first page of a PDF as an image, under the same privacy as the file itself."""
    document = get_object_or_404(get_document_model().objects.select_related("collection"), pk=document_id)
    restrictions = document.collection.get_view_restrictions()
    if not document.preview or any(not restriction.accept_request(request) for restriction in restrictions):
        raise Http404  # a closed file's preview is not there for outsiders, as if it did not exist
    try:
        preview = document.preview.open("rb")
    except FileNotFoundError:
        raise Http404 from None  # gone from storage: the page shows the file without its picture
    response = FileResponse(preview, content_type="image/png")
    if restrictions:
        patch_cache_control(response, private=True, no_store=True)
    else:
        patch_cache_control(response, public=True, max_age=24 * 60 * 60)
    return response
