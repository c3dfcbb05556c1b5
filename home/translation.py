"""Translating pages through wagtail-localize from code, as an editor would in the admin."""

from wagtail.models import DraftStateMixin
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
    # wagtail-localize would publish when the transaction commits, from a page object held
    # since now: in a loader's long transaction, the children added meanwhile would be
    # forgotten (a stale tree counter makes them unreachable). Publishing now avoids that.
    # A snippet without drafts (a community) can only be saved as it is, i.e. "published".
    has_drafts = isinstance(page, DraftStateMixin)
    translation.save_target(user=user, publish=not has_drafts)
    translated = page.get_translation(locale)
    if publish and has_drafts:
        translated.get_latest_revision().publish(user=user)
        translated.refresh_from_db()
    return translated, missing


def update_translations(page, locales, *, user=None):
    """Carries a changed source page over to its translations, keeping the text translated so far.

    Synchronised fields (kinds, relations, images) follow the source; strings that are new
    fall back to the source text until an editor translates them.
    """
    for locale in locales:
        translate_page(page, locale, {}, user=user)


def in_language(model, translation_keys, locale_id):
    """The objects of ``model`` in one language, by translation key, in one query (live ones, for pages).

    wagtail-localize copies relations as they are, so a translated page still points at the
    source-language pages; listings show the ones of their own language through this.
    """
    objects = model.objects.filter(locale_id=locale_id, translation_key__in=translation_keys)
    if hasattr(objects, "live"):
        objects = objects.live()
    return {obj.translation_key: obj for obj in objects}
