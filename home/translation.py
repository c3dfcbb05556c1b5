"""Translating pages through wagtail-localize from code, as an editor would in the admin."""

import contextlib

from django.core.exceptions import ValidationError
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


def carry_over_to_translations(instance, *, user=None):
    """Brings the translations of a source-language page or snippet up to date with it.

    What the admin's "Sync translated pages" does, done on every publish: wagtail-localize
    leaves that to editors, and then an English donor reads a need as open, or an event at its
    old hour, long after the Ukrainian page changed. Synchronised fields follow the source,
    translated text is kept, new text shows in the source language until translated. A live
    translation is published again; an unpublished one gets a draft. Translations an editor
    stopped syncing are left alone. Returns the translations brought up to date.
    """
    source = TranslationSource.objects.filter(object_id=instance.translation_key, locale_id=instance.locale_id).first()
    if source is None:  # not translated, or itself a translation
        return []
    translations = list(source.translations.filter(enabled=True).select_related("target_locale"))
    if not translations:
        return []
    source.update_from_db()
    has_drafts = isinstance(instance, DraftStateMixin)
    for translation in translations:
        # As the admin's sync does: a translation the source can no longer fill stays as it was.
        with contextlib.suppress(ValidationError):
            if not has_drafts:
                translation.save_target(user=user)
                continue
            # save_target(publish=True) would publish at commit time, from a stale object.
            translation.save_target(user=user, publish=False)
            target = instance.get_translation(translation.target_locale)
            if target.live:
                target.get_latest_revision().publish(user=user)
    return translations


def in_language(model, translation_keys, locale_id):
    """The objects of ``model`` in one language, by translation key, in one query (live ones, for pages).

    wagtail-localize copies relations as they are, so a translated page still points at the
    source-language pages; listings show the ones of their own language through this.
    """
    objects = model.objects.filter(locale_id=locale_id, translation_key__in=translation_keys)
    if hasattr(objects, "live"):
        objects = objects.live()
    return {obj.translation_key: obj for obj in objects}
