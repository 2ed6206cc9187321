"""The reader's language: interface words from the message catalogues, dates, quantities and names' order.

English is the source language: its messages are the catalogue's ids, so an
English label is exactly what the generator showed before it had catalogues
('17 January 2025', 'about 2022', 'at least 5', 'armed-forces'). Other
languages have a gettext catalogue, `locales/<lang>/LC_MESSAGES/messages.po`,
compiled here in memory on first use: a checkout needs no compiled `.mo`, the
build cannot pick up a stale one, and the same `.po` always gives the same
strings. `make messages` extracts, updates and compiles the catalogues
(see CONTRIBUTING.md).

Month names and digit grouping come from Babel's CLDR data. Interface words
are looked up with a context (`pgettext`): 'other' is 'autre' both as a
category and as a source kind, but 'about' is 'vers' before a year and 'vers
le' before a day.
"""

from __future__ import annotations

import functools
import io
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

from babel.dates import format_date
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations
from markupsafe import Markup

from .dates import FuzzyDate, Moment, parse_date

LANGUAGES = ("en", "fr")  # the first is the source language, shown at the site's root
SOURCE = LANGUAGES[0]
LOCALES = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"
# What each controlled vocabulary of dossier/schema.py (and model.INVERSE) is called as a message
# context; dossier/extract.py reads the same names when it extracts the words for the catalogue.
VOCABULARIES = {"EVENT_KINDS": "event kind", "ROLES": "role", "CONFIDENCE": "confidence",
                "PRECISIONS": "place precision", "ACTOR_KINDS": "actor kind",
                "RELATION_TYPES": "relation type", "CATEGORIES": "system category",
                "SOURCE_KINDS": "source kind", "INVERSE": "inverse relation"}


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated where it is shown."""
    return message


def NP_(context: str, message: str) -> tuple[str, str]:
    """Mark a message with its context for extraction; `translate` translates the pair where it is shown."""
    return context, message


# Interface words the generator writes from Python (extracted with the N_ and NP_ keywords).
UNKNOWN = N_("unknown")
DATE_UNKNOWN = N_("date unknown")
LINK_UNKNOWN = N_("link unknown")
SOURCES_DISAGREE = N_("Sources disagree")
ALL_SOURCES = N_("all the event's sources")
NONE_COUNTED = N_("none counted")
NO_FIGURE = N_("unknown (no figure given)")
STALE_NOTE = N_("The translation of this text is out of date; the English original is shown.")
MISSING_NOTE = N_("This text has not been translated yet; the English original is shown.")
# The same, short, beside English shown inline (a name, a note); the whole note is its tooltip.
STALE_SHORT = N_("English original: translation out of date")
MISSING_SHORT = N_("English original: not translated yet")
# The levels' definitions in a sentence each, as docs/methodology.md gives them in full.
CONFIDENCE_DEFINITIONS = {
    "confirmed": N_("An official party to the event said so on record, or visual evidence documents it "
                    "and two or more independent sources report it."),
    "reported": N_("At least one credible published source states it, but it has not been independently "
                   "confirmed."),
    "alleged": N_("A claim attributed to a party or to unnamed sources, not verified."),
    "disputed": N_("The sources materially contradict each other on whether the event happened or on its "
                   "key facts: date, place, parties or scale."),
}
# Dates: each message is a pattern around a date already in words.
ABOUT = NP_("date", "about %(date)s")
ABOUT_DAY = NP_("day", "about %(date)s")  # French says 'vers le 17 janvier', but 'vers 2025'
UNCERTAIN = NP_("date", "%(date)s (uncertain)")
SPAN = NP_("date", "%(start)s – %(end)s")
FIRST_OF_MONTH = NP_("date", "1 %(month)s")  # French writes the first of a month '1er janvier'
# Quantities: each message is a pattern around numbers already formatted.
ABOUT_NUMBER = NP_("quantity", "about %(number)s")
AT_LEAST = NP_("quantity", "at least %(number)s")
RANGE = NP_("quantity", "%(min)s–%(max)s")
AS_REPORTED = NP_("quantity", "%(label)s (“%(quoted)s”)")


def _known(lang: str) -> str:
    """Refuse a language the site has no edition in (a programming error, not a data problem)."""
    if lang not in LANGUAGES:
        raise ValueError(f"no edition in language {lang!r}; the languages are {', '.join(LANGUAGES)}")
    return lang


def edition(lang: str) -> str:
    """Return the folder of a language's edition under docs/: '' for the source language, 'fr/' for French."""
    return "" if _known(lang) == SOURCE else f"{lang}/"


def catalogue_path(lang: str) -> Path:
    """Return where a language's message catalogue (.po) lives."""
    return LOCALES / _known(lang) / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.lru_cache(maxsize=None)
def _catalogue(lang: str) -> Catalog:
    """Read a language's .po."""
    with catalogue_path(lang).open("rb") as po:
        return read_po(po, locale=lang, domain=DOMAIN)


@functools.lru_cache(maxsize=None)
def translations(lang: str) -> NullTranslations:
    """Return a language's translations, compiled in memory from its .po.

    English, the source language, has only a few display labels to look up
    ('PMC' for the actor kind written `pmc`); any other English message is its id.
    The object has gettext, ngettext, pgettext and npgettext, so it is what
    `jinja2.Environment.install_gettext_translations` takes.
    """
    if not catalogue_path(lang).exists():
        return NullTranslations()
    mo = io.BytesIO()
    write_mo(mo, _catalogue(lang), use_fuzzy=False)  # a fuzzy entry is a guess awaiting review
    mo.seek(0)
    return Translations(mo, domain=DOMAIN)


def install(env, lang: str) -> None:
    """Give a Jinja environment `_`, `gettext`, `ngettext`, `pgettext` and `{% trans %}` in a language."""
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_translations(translations(lang), newstyle=True)


def install_escaped(env, lang: str, escape) -> None:
    """Give a Jinja environment `_`, `gettext`, `pgettext`, `ngettext` and `{% trans %}` in a language, the
    values filled into a message escaped with `escape` (the environment's own finalize).

    Jinja's own newstyle gettext escapes values with markupsafe, which knows nothing of
    the template delimiters the dossier's escapers neutralise; messages are ours and
    come out as markup, as the template text they replace did. Blocks are trimmed, as
    `make messages` extracts them (babel.cfg).
    """
    found = translations(lang)
    plain: dict[str, Markup] = {}  # messages without values, filled once: a page shows dozens, a site thousands

    def fill(message: str, values: dict) -> Markup:
        """Fill a translated message's %(name)s with escaped values (always: '%%' is a percent sign)."""
        # Plain string formatting of values escaped here: Markup's own % escapes each value again.
        return Markup(message % {key: str(escape(value)) for key, value in values.items()})

    def gettext(message: str, **values) -> Markup:
        """Translate a message and fill in its values."""
        if values:
            return fill(found.gettext(message), values)
        done = plain.get(message)
        if done is None:
            done = plain[message] = fill(found.gettext(message), {})
        return done

    def ngettext(singular: str, plural: str, n: int, **values) -> Markup:
        """Translate a message with a plural form and fill in its values, `num` being the count."""
        return fill(found.ngettext(singular, plural, n), {"num": n, **values})

    def pgettext(context: str, message: str, **values) -> Markup:
        """Translate a message in a context and fill in its values."""
        return fill(found.pgettext(context, message), values)

    env.add_extension("jinja2.ext.i18n")
    env.newstyle_gettext = True
    env.policies["ext.i18n.trimmed"] = True
    env.globals.update(_=gettext, gettext=gettext, ngettext=ngettext, pgettext=pgettext)


# No helper here is called gettext or pgettext: Babel's extractor would take its first argument,
# the language, for a message.
def translate(lang: str, message: str | tuple[str, str], **values: str) -> str:
    """Translate a message marked with N_ or NP_ into a language and fill in its %(name)s values."""
    found = (translations(lang).gettext(message) if isinstance(message, str)
             else translations(lang).pgettext(*message))
    return found % values if values else found


def word(lang: str, vocabulary: str, value: str) -> str:
    """Return a vocabulary's value as readers see it: word('fr', 'EVENT_KINDS', 'delivery') is 'livraison';
    in English the value as the data writes it ('armed-forces'), or its display label ('PMC' for `pmc`)."""
    return translate(lang, (VOCABULARIES[vocabulary], value))


def label(lang: str, vocabulary: str, value: str) -> str:
    """Return a vocabulary's value as a phrase: its word, in English with spaces for hyphens ('armed
    forces')."""
    found = word(lang, vocabulary, value)
    return found.replace("-", " ") if lang == SOURCE else found


def definition(lang: str, confidence: str) -> str:
    """Return a confidence level's one-sentence definition in a language."""
    return translate(lang, CONFIDENCE_DEFINITIONS[confidence])


@functools.lru_cache(maxsize=1 << 12)  # counts repeat on every page; Babel's formatting is slow
def number(n: int, lang: str) -> str:
    """Format a whole number: English as the labels always were ('1000'), French grouped ('1 000').

    French groups digits with the narrow no-break space (U+202F) that Babel's
    CLDR data gives: it is the Imprimerie nationale's 'espace fine insécable',
    and it keeps '1 000' from breaking across lines.
    """
    return str(n) if lang == SOURCE else format_decimal(n, locale=_known(lang))


def decimal(x: float, lang: str) -> str:
    """Format a number with one decimal: English '12.4' as before, French '12,4' (CLDR's decimal comma)."""
    return f"{x:.1f}" if lang == SOURCE else format_decimal(round(x, 1), "#,##0.0", locale=_known(lang))


def _moment(m: Moment, lang: str) -> str:
    """Render one end of a date: '17 janvier 2025', 'vers 2022', 'mai 2025 (incertain)'."""
    d = m.start
    if m.precision == "year":
        label = str(d.year)
    elif m.precision == "month":
        label = format_date(d, "MMMM y", locale=lang)
    elif d.day == 1:
        label = translate(lang, FIRST_OF_MONTH, month=format_date(d, "MMMM y", locale=lang))
    else:
        label = format_date(d, "d MMMM y", locale=lang)
    if m.approximate:
        label = translate(lang, ABOUT_DAY if m.precision == "day" else ABOUT, date=label)
    if m.uncertain:
        label = translate(lang, UNCERTAIN, date=label)
    return label


@functools.lru_cache(maxsize=1 << 14)  # a source's date is shown on every page that cites it
def _date_text(text: str, lang: str) -> str:
    """Label a date text of the dossier's syntax in a language."""
    parsed = parse_date(text)
    if parsed.last is None:
        return _moment(parsed.first, lang)
    return translate(lang, SPAN, start=_moment(parsed.first, lang), end=_moment(parsed.last, lang))


def date_label(value: FuzzyDate | Moment | str | None, lang: str) -> str:
    """Render a date, a span or one end of it for readers in a language, or 'unknown'."""
    _known(lang)
    if value is None:
        return translate(lang, UNKNOWN)
    if isinstance(value, Moment):
        return _moment(value, lang)
    return _date_text(value.text if isinstance(value, FuzzyDate) else value, lang)


def quantity_label(q, lang: str) -> str:
    """Render a Quantity: '5', 'at least 5', '4–6', 'about 6'; 'au moins 5', 'entre 4 et 6', 'environ 6'."""
    if q.exact is not None:
        return number(q.exact, lang)
    if q.about is not None:
        return translate(lang, ABOUT_NUMBER, number=number(q.about, lang))
    if q.max is not None:
        return translate(lang, RANGE, min=number(q.min, lang), max=number(q.max, lang))
    return translate(lang, AT_LEAST, number=number(q.min, lang))


def quantity_text(q, lang: str) -> str:
    """Render a quantity with the source's own words, which stay in the source's language, or 'unknown'."""
    if q is None:
        return translate(lang, UNKNOWN)
    label = quantity_label(q, lang)
    return translate(lang, AS_REPORTED, label=label, quoted=q.as_reported) if q.as_reported else label


def total_label(total, lang: str) -> str:
    """Render a system's Total (dossier/model.py) in a language: '5', 'at least 105', 'none counted'."""
    if total.deliveries == 0:
        return translate(lang, NONE_COUNTED)
    if total.floor == 0 and total.qualifier == "at least":
        return translate(lang, NO_FIGURE)
    if total.qualifier == "exact":
        return number(total.floor, lang)
    pattern = ABOUT_NUMBER if total.qualifier == "about" else AT_LEAST
    return translate(lang, pattern, number=number(total.floor, lang))


# Ligatures that Unicode does not decompose but French dictionaries file as two letters.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "Oe", "æ": "ae", "Æ": "Ae"})


def sort_key(name: str) -> tuple[str, str, str]:
    """Return a key that sorts names as a French index does: 'Égypte' with E, 'Œuvre' as 'Oeuvre'.

    Babel has no collation and PyICU ships no wheel (it needs the ICU headers
    to build), so this approximates the Unicode Collation Algorithm's three
    levels: letters without accents or case first, then accents, then case
    (lower before upper, as ICU orders them). Ties end on the name itself, so
    the order is total and the build deterministic. The same key suits English.
    """
    base = unicodedata.normalize("NFKD", name.translate(_LIGATURES))
    letters = "".join(c for c in base if not unicodedata.combining(c)).casefold()
    return letters, unicodedata.normalize("NFC", name).casefold(), name.swapcase()


class _Texts(HTMLParser):
    """Collect a page's text nodes, leaving out those inside an element marked as another language."""

    _VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
             "wbr"}  # elements that have no end tag

    def __init__(self, lang: str):
        """Start with the page's language."""
        super().__init__(convert_charrefs=True)
        self.langs, self.texts = [lang], []

    _VERBATIM = {"code", "kbd", "samp"}  # the data's syntax, written as it is in every language (kind=attack)

    # What the search shows of a page besides its text: its filters' names and values and its result labels.
    _SEARCH = ("data-pagefind-filter", "data-pagefind-meta")

    def handle_starttag(self, tag: str, attrs: list) -> None:
        """Enter an element, in its own language if it says one; verbatim code is in no language. Keep the
        names and values it gives the search ('event kind:delivery'), which readers see in its filter pane."""
        found = dict(attrs)
        lang = "" if tag in self._VERBATIM else found.get("lang") or self.langs[-1]
        if lang == self.langs[0]:
            for name in self._SEARCH:
                key, _, value = (found.get(name) or "").partition(":")
                self.texts += [text.strip() for text in (key if name.endswith("filter") else "", value)
                               if text.strip()]
        if tag not in self._VOID:
            self.langs.append(lang)

    def handle_endtag(self, tag: str) -> None:
        """Leave an element."""
        if tag not in self._VOID and len(self.langs) > 1:
            self.langs.pop()

    def handle_data(self, data: str) -> None:
        """Keep a text node of the page's language."""
        if self.langs[-1] == self.langs[0] and data.strip():
            self.texts.append(" ".join(data.split()))


@functools.lru_cache(maxsize=None)
def _english_only(lang: str) -> frozenset[str]:
    """Return the catalogue's English messages, and the English display labels, that read otherwise in a
    language ('radar' does not)."""
    messages = {m.id for m in _catalogue(lang) if isinstance(m.id, str) and m.id and "%(" not in m.id
                and m.string and m.string != m.id}
    labels = {m.string for m in _catalogue(SOURCE)
              if m.string and translate(lang, (m.context, m.id)) != m.string}
    return frozenset(messages | labels)


def leftover_english(html: str, lang: str) -> list[str]:
    """Return the texts of a page in `lang` that are English interface messages, in page order.

    Text inside an element with another `lang` (an English fallback, a quotation)
    or inside code (`<code>kind=attack</code>`, the data's own syntax)
    is left out; a text counts when it is a whole message: 'Sources disagree',
    'unknown', 'armed-forces'. The search's filter names and values and its result
    labels (`data-pagefind-filter="event kind:delivery"`) count as texts, and an
    SVG chart's labels are its texts too.
    """
    parser = _Texts(_known(lang))
    parser.feed(html)
    parser.close()
    english = _english_only(lang) if lang != SOURCE else frozenset()
    return [text for text in parser.texts if text in english]
