"""Translating pages through wagtail-localize from code, as an editor would in the admin."""

from wagtail_localize.models import Translation, TranslationSource


def translate_page(page, locale, strings, *, publish=True, user=None):
    """Translates ``page`` into ``locale`` with ``strings``, a mapping of source text to translation.

    Goes through wagtail-localize's own translation records, so editors can keep working
    on the translation in the admin. Returns the translated page and the source strings
    that had no translation (they fall back to the source text).
    """
    source, _ = TranslationSource.update_or_create_from_instance(page)
    translation, _ = Translation.objects.get_or_create(source=source, target_locale=locale)
    po_file = translation.export_po()
    missing = []
    for entry in po_file:
        if entry.obsolete:
            continue
        if entry.msgid in strings:
            entry.msgstr = strings[entry.msgid]
        else:
            missing.append(entry.msgid)
    translation.import_po(po_file, user=user)
    translation.save_target(user=user, publish=publish)
    return page.get_translation(locale), missing
