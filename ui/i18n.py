"""Languages: which one to show, loading its catalogs, and translating the reader's English texts.

The domain core (``station``) speaks English only. The UI translates its texts through fixed
Qt contexts, so ``tools/i18n_update.py`` can put every one of them in the ``.ts`` catalog:

* ``udi.issue``  – issue templates, keyed by ``Issue.template``, filled with ``Issue.params``;
* ``udi.field``  – element titles, keyed by ``Element.title``;
* ``udi.scheme`` – scheme names (declared below);
* ``station.setting`` – every declared setting's label and help (``station.config.DECLARED``).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from station.udi.model import Scheme
from ui.display import shorten
from ui.qt import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QTranslator,
)
from ui.resources import resource_path

if TYPE_CHECKING:
    from station.udi.model import Issue

_log = logging.getLogger(__name__)

SOURCE_LANGUAGE = "en"
CHINESE = "zh_CN"
SHIPPED_LANGUAGES = (SOURCE_LANGUAGE, CHINESE)
CATALOG_NAME = "udi_station"

ISSUE_CONTEXT = "udi.issue"
FIELD_CONTEXT = "udi.field"
SCHEME_CONTEXT = "udi.scheme"
SETTING_CONTEXT = "station.setting"

#: Longest scan value quoted inside a message; the raw view shows the whole scan.
PARAM_DISPLAY_LIMIT = 60

#: str(): PySide6 types the NOOP marker as returning object; lupdate still finds each text.
SCHEME_NAMES: dict[Scheme, str] = {
    Scheme.GS1: str(QT_TRANSLATE_NOOP("udi.scheme", "GS1")),
    Scheme.GS1_DIGITAL_LINK: str(QT_TRANSLATE_NOOP("udi.scheme", "GS1 Digital Link")),
    Scheme.HIBC: str(QT_TRANSLATE_NOOP("udi.scheme", "HIBC")),
    Scheme.ISBT128: str(QT_TRANSLATE_NOOP("udi.scheme", "ISBT 128")),
    Scheme.PPN: str(QT_TRANSLATE_NOOP("udi.scheme", "IFA PPN")),
    Scheme.MA: str(QT_TRANSLATE_NOOP("udi.scheme", "China MA")),
    Scheme.UNKNOWN: str(QT_TRANSLATE_NOOP("udi.scheme", "Unknown format")),
}


def resolve_language(requested: str | None, system_locale: str | None = None) -> str:
    """The shipped language to use: ``requested`` if given, else the system locale's.

    Any Chinese locale gets Simplified Chinese; anything we do not ship gets English.

    >>> resolve_language("zh-CN"), resolve_language("zh_Hans_CN"), resolve_language("en_GB")
    ('zh_CN', 'zh_CN', 'en')
    >>> resolve_language(None, "zh_CN.UTF-8"), resolve_language(None, "C")
    ('zh_CN', 'en')
    """
    wanted = requested if requested else (system_locale or QLocale.system().name())
    tag = wanted.replace("-", "_").split(".")[0].lower()
    if tag.startswith("zh"):
        return CHINESE
    if requested and not tag.startswith("en"):
        _log.warning("language %r is not shipped; using English", requested)
    return SOURCE_LANGUAGE


def install_translators(language: str) -> list[QTranslator]:
    """Load the station's catalog and Qt's own (standard buttons) for ``language``.

    Returns the installed translators; keep them alive (Qt does not own them). A missing
    catalog is logged and the UI stays in English rather than failing to start.
    """
    if language == SOURCE_LANGUAGE:
        return []
    installed: list[QTranslator] = []
    catalogs = [
        (f"{CATALOG_NAME}_{language}", str(resource_path("i18n"))),
        (f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
    ]
    for name, folder in catalogs:
        translator = QTranslator()
        if translator.load(name, folder) and QCoreApplication.installTranslator(translator):
            installed.append(translator)
        else:
            _log.warning("translation catalog %s not found in %s", name, folder)
    return installed


def remove_translators(translators: list[QTranslator]) -> None:
    for translator in translators:
        QCoreApplication.removeTranslator(translator)


def tr_scheme(scheme: Scheme) -> str:
    return QCoreApplication.translate(SCHEME_CONTEXT, SCHEME_NAMES.get(scheme, scheme.value))


def tr_setting(text: str) -> str:
    """A setting's label or help in the UI language (the English text if not translated)."""
    return QCoreApplication.translate(SETTING_CONTEXT, text) if text else text


def tr_field(title: str) -> str:
    """An element's meaning in the UI language (the English title if not translated)."""
    return QCoreApplication.translate(FIELD_CONTEXT, title) if title else title


def _translated_title(english: str) -> str | None:
    """An element title named inside a message, translated; None when there is no translation.

    Sentences may carry the title in lower case ("expiration date"); the catalog has it as the
    element shows it ("Expiration date").
    """
    for form in (english, english[:1].upper() + english[1:]):
        translated = tr_field(form)
        if translated != form:
            return translated
    return None


def tr_issue(issue: Issue) -> str:
    """An issue's message in the UI language, its scan-derived values made displayable.

    A translation whose placeholders do not match the template's parameters would raise
    in ``format_map``; the English template is used instead, and the mismatch is logged.
    """
    english = {key: shorten(value, PARAM_DISPLAY_LIMIT) for key, value in issue.params}
    params = dict(english)
    title = _translated_title(dict(issue.params).get("title", ""))
    if title is not None:
        # ``title_lower`` is the same title for English sentences; Chinese has no case.
        params["title"] = params["title_lower"] = shorten(title, PARAM_DISPLAY_LIMIT)
    translated = QCoreApplication.translate(ISSUE_CONTEXT, issue.template)
    try:
        return translated.format_map(params)
    except (KeyError, IndexError, ValueError, AttributeError):
        _log.warning("translation of %s does not fit its parameters; showing English", issue.code)
    try:
        return issue.template.format_map(english)
    except (KeyError, IndexError, ValueError, AttributeError):
        return shorten(issue.message, 500)
