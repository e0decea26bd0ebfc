"""Loading translations: the app's own .qm from resources/i18n, and Qt's for its dialogs.

The language is the setting if set, else the first of the desktop's UI languages we
ship. Sources are English, so English needs no file. Regenerate the files with
scripts/update-translations.sh (pyside6-lupdate / pyside6-lrelease).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from opchat_gui import resources

SOURCE_LANGUAGE = "en"
TRANSLATED = ("ru",)  # languages with a resources/i18n/opchat_gui_<lang>.qm


def i18n_dir() -> Path:
    return resources.folder() / "i18n"


def choose_language(setting: str, ui_languages: list[str] | None = None) -> str:
    """The language to show: the setting, else the desktop's first one we have."""
    if setting:
        return setting
    for name in ui_languages if ui_languages is not None else QLocale.system().uiLanguages():
        code = name.replace("_", "-").split("-")[0].lower()
        if code == SOURCE_LANGUAGE or code in TRANSLATED:
            return code
    return SOURCE_LANGUAGE


@dataclass
class Installed:
    """What `install` changed, so `uninstall` can put it back (tests open many sessions)."""

    language: str
    translators: list[QTranslator] = field(default_factory=list)
    previous_locale: QLocale | None = None


def install(app: QCoreApplication, setting: str) -> Installed:
    """Load the translations for the chosen language; missing files just mean English."""
    language = choose_language(setting)
    installed = Installed(language, previous_locale=QLocale())
    if setting:  # an explicit choice also sets how dates and numbers are written
        QLocale.setDefault(QLocale(language))
    if language == SOURCE_LANGUAGE:
        return installed
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, folder in ((f"qtbase_{language}", qt_dir),
                         (f"opchat_gui_{language}", str(i18n_dir()))):
        translator = QTranslator(app)
        if translator.load(name, folder) and app.installTranslator(translator):
            installed.translators.append(translator)
    return installed


def uninstall(app: QCoreApplication, installed: Installed) -> None:
    for translator in installed.translators:
        app.removeTranslator(translator)
    installed.translators.clear()
    if installed.previous_locale is not None:
        QLocale.setDefault(installed.previous_locale)
