"""The first page of a PDF as a small picture, for the material's card and page."""

import io
import os

from .extraction import IsolatedRunFailed, run_isolated

# A page taller than this many times its width (a long receipt, a poster) is shown from the top only.
MAX_HEIGHT_TO_WIDTH = 3


def render_pdf_first_page(path, width=480):
    """PNG bytes of the first page, `width` pixels wide; None when it cannot be rendered.

    PDFium runs in a child process with the extraction's time and memory limits, as a
    hostile PDF can hang or exhaust a renderer as surely as a text reader.
    """
    try:
        return run_isolated(_render_first_page, os.fspath(path), width)
    except IsolatedRunFailed:
        return None


def _render_first_page(path, width):
    import pypdfium2

    with pypdfium2.PdfDocument(path) as document:  # an encrypted PDF raises PdfiumError here
        if len(document) == 0:
            return None
        page = document[0]
        page_width, page_height = page.get_size()
        if page_width <= 0 or page_height <= 0:
            return None
        # Crop amounts are in PDF units: keep the top of a very tall page.
        cut_from_bottom = max(0, page_height - page_width * MAX_HEIGHT_TO_WIDTH)
        bitmap = page.render(scale=width / page_width, crop=(0, cut_from_bottom, 0, 0))
        image = bitmap.to_pil().convert("RGB")
    if image.width > width:  # PDFium rounds the size up: a sliver of the right margin goes
        image = image.crop((0, 0, width, image.height))
    output = io.BytesIO()
    # 256 colours are plenty for a page at this size and make the file about five times smaller.
    image.quantize(colors=256).save(output, format="PNG", optimize=True)
    return output.getvalue()
