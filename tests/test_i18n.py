"""The reader's language: French dates, quantities, numbers and names' order; English unchanged."""

from __future__ import annotations

import io
import re

import jinja2
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from conftest import ROOT
from hypothesis import given
from hypothesis import strategies as st

from dossier import i18n, model, schema
from dossier.dates import parse_date
from dossier.model import Total
from dossier.render import quantity as rendered_quantity
from dossier.schema import Quantity

# Every precision, each qualifier, the first of a month, and spans mixing them.
DATES = {
    "2025": "2025",
    "2025-05": "mai 2025",
    "2025-01-17": "17 janvier 2025",
    "2025-06-01": "1er juin 2025",
    "2025~": "vers 2025",
    "2025-05~": "vers mai 2025",
    "2025-01-17~": "vers le 17 janvier 2025",
    "2024?": "2024 (incertain)",
    "2025-05?": "mai 2025 (incertain)",
    "2025-01-17?": "17 janvier 2025 (incertain)",
    "2024%": "vers 2024 (incertain)",
    "2025-02-01%": "vers le 1er février 2025 (incertain)",
    "2024-12/2025-01": "décembre 2024 – janvier 2025",
    "2021?/2022-04": "2021 (incertain) – avril 2022",
    "2025-05-29/2025-06-02~": "29 mai 2025 – vers le 2 juin 2025",
}
QUANTITY_CASES = [
    (5, "5", "5"),
    (1000, "1000", "1\u202f000"),
    ({"min": 5}, "at least 5", "au moins 5"),
    ({"min": 4, "max": 6}, "4–6", "entre 4 et 6"),
    ({"about": 300}, "about 300", "environ 300"),
    ({"min": 1200, "max": 15000}, "1200–15000", "entre 1\u202f200 et 15\u202f000"),
    ({"min": 30, "as_reported": "more than 30"}, "at least 30 (“more than 30”)",
     "au moins 30 («\u00a0more than 30\u00a0»)"),
]
VOCABULARIES = {name: getattr(model if name == "INVERSE" else schema, name) for name in i18n.VOCABULARIES}


@pytest.mark.parametrize(("text", "french"), DATES.items())
def test_french_dates(text, french):
    """Every precision and qualifier as French has it: '17 janvier 2025', 'vers 2025', '2024 (incertain)'."""
    assert i18n.date_label(text, "fr") == french
    assert i18n.date_label(parse_date(text), "fr") == french


@pytest.mark.parametrize("text", DATES)
def test_english_dates_are_unchanged(text):
    """The English labels are exactly the ones the pages showed before the catalogues."""
    parsed = parse_date(text)
    assert i18n.date_label(parsed, "en") == parsed.label()
    assert i18n.date_label(parsed.first, "en") == parsed.first.label()


@given(st.dates(min_value=parse_date("1900").start, max_value=parse_date("2026").end),
       st.sampled_from(["year", "month", "day"]), st.sampled_from(["", "~", "?", "%"]))
def test_english_dates_equal_the_old_labels_everywhere(day, precision, qualifier):
    """Any date of the syntax, at any precision, labels in English as Moment.label() does."""
    text = {"year": f"{day:%Y}", "month": f"{day:%Y-%m}", "day": f"{day:%Y-%m-%d}"}[precision] + qualifier
    assert i18n.date_label(text, "en") == parse_date(text).label()


def test_unknown_date():
    """No date at all reads 'unknown', 'inconnu' in French."""
    assert (i18n.date_label(None, "en"), i18n.date_label(None, "fr")) == ("unknown", "inconnu")


@pytest.mark.parametrize(("value", "english", "french"), QUANTITY_CASES)
def test_quantities(value, english, french):
    """Each form of quantity: English as the pages show it; 'au moins 5', 'environ 300', 'entre 4 et 6'."""
    q = Quantity.model_validate(value)
    assert i18n.quantity_text(q, "en") == english == rendered_quantity(q)
    assert i18n.quantity_label(q, "en") == q.label()
    assert i18n.quantity_text(q, "fr") == french
    assert (i18n.quantity_text(None, "en"), i18n.quantity_text(None, "fr")) == ("unknown", "inconnu")


def test_french_numbers_group_thousands_with_a_space_that_never_breaks():
    """'1 000' in French: digits grouped by threes with the narrow no-break space; English keeps '1000'."""
    assert i18n.number(1000, "fr") == "1\u202f000"
    assert i18n.number(2_100_000, "fr").replace("\u202f", " ") == "2 100 000"
    assert i18n.number(999, "fr") == "999"
    assert i18n.number(1000, "en") == "1000"


@pytest.mark.parametrize(("total", "french"), [
    (Total(5, "exact", 0, 1), "5"), (Total(105, "at least", 0, 3), "au moins 105"),
    (Total(6, "about", 0, 1), "environ 6"), (Total(0, "at least", 0, 2), "inconnu (aucun chiffre donné)"),
    (Total(0, "exact", 0, 0), "aucune livraison comptée"), (Total(1500, "exact", 0, 2), "1\u202f500"),
])
def test_system_totals(total, french):
    """A system's total reads in French, and in English as Total.label() has it."""
    assert i18n.total_label(total, "fr") == french
    assert i18n.total_label(total, "en") == total.label()


def test_french_collation():
    """Names sort as a French index has them: 'Égypte' with the Es, 'Œ' as 'Oe', then accents, then case."""
    names = ["Zimbabwe", "Espagne", "Égypte", "Allemagne", "Oman", "Œuvre", "egypte", "Éthiopie", "éthiopie"]
    assert sorted(names, key=i18n.sort_key) == [
        "Allemagne", "egypte", "Égypte", "Espagne", "éthiopie", "Éthiopie", "Œuvre", "Oman", "Zimbabwe"]


@given(st.lists(st.text(max_size=12), max_size=8))
def test_collation_is_a_total_order(names):
    """Any names sort the same whatever order they come in: the build stays deterministic."""
    assert sorted(names, key=i18n.sort_key) == sorted(reversed(names), key=i18n.sort_key)


def test_unknown_language_is_refused():
    """Asking for a language the site has no edition in is a programming error, said plainly."""
    with pytest.raises(ValueError, match="no edition"):
        i18n.date_label("2025", "de")


def _catalogue():
    """Read the committed French catalogue."""
    with i18n.catalogue_path("fr").open("rb") as po:
        return read_po(po, locale="fr")


def test_catalogue_compiles_and_every_entry_is_translated():
    """The French .po compiles, no entry is empty or fuzzy, and placeholders match their English."""
    catalog = _catalogue()
    write_mo(io.BytesIO(), catalog)
    entries = [m for m in catalog if m.id]
    assert [m.id for m in entries if not m.string or m.fuzzy] == []
    assert [(m.id, errors) for m, errors in catalog.check()] == []


def test_every_vocabulary_word_is_in_french():
    """Every kind, role, relation, category, confidence level, precision and source kind has a French word."""
    translated = {(m.context, m.id) for m in _catalogue() if m.id and m.string and not m.fuzzy}
    untranslated = [(name, value) for name, values in VOCABULARIES.items()
                    for value in (values.values() if isinstance(values, dict) else values)
                    if (i18n.VOCABULARIES[name], value) not in translated]
    assert untranslated == []
    assert i18n.word("fr", "ACTOR_KINDS", "armed-forces") == "forces armées"
    assert i18n.word("en", "ACTOR_KINDS", "armed-forces") == "armed-forces"
    assert i18n.word("fr", "CATEGORIES", "other") == i18n.word("fr", "SOURCE_KINDS", "other") == "autre"


def test_interface_words_are_in_french():
    """'unknown', 'Sources disagree' and the confidence definitions come from the catalogue."""
    assert i18n.translate("fr", i18n.SOURCES_DISAGREE) == "Les sources divergent"
    assert i18n.translate("en", i18n.SOURCES_DISAGREE) == "Sources disagree"
    for level in schema.CONFIDENCE:
        assert i18n.definition("fr", level) != i18n.definition("en", level)


def test_catalogue_is_up_to_date_with_the_code():
    """Every message the code marks is in the .po: `make messages` has been run since the last new word."""
    method_map = [("dossier/schema.py", "dossier.extract.vocabularies"),
                  ("dossier/model.py", "dossier.extract.vocabularies"),
                  ("dossier/**.py", "python"), ("templates/**.j2", "jinja2")]
    options = {"templates/**.j2": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}}
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2),
                "npgettext": ((1, "c"), 2, 3), "N_": None, "NP_": ((1, "c"), 2)}
    found = {(context, msgid if isinstance(msgid, str) else msgid[0])
             for _, _, msgid, _, context in extract_from_dir(ROOT, method_map, options, keywords)}
    known = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in _catalogue() if m.id}
    assert len(found) > 100 and found - known == set(), "run `make messages` and translate the new entries"


def test_templates_can_use_the_catalogue():
    """A Jinja environment given a language translates {% trans %}, _() and pgettext() in its templates."""
    source = ("{% trans %}Sources disagree{% endtrans %} | {{ _('unknown') }} | "
              "{{ pgettext('role', 'supplier') }}")
    pages = {}
    for lang in ("en", "fr"):
        env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True)
        i18n.install(env, lang)
        pages[lang] = env.from_string(source).render()
    assert pages == {"en": "Sources disagree | unknown | supplier",
                     "fr": "Les sources divergent | inconnu | fournisseur"}



def test_english_left_on_a_french_page_is_found():
    """The check the French pages will get: an English interface word is found, unless marked as English."""
    page = ('<html lang="fr"><body><h2>Les sources divergent</h2><table><tr><td>Sources disagree</td>'
            '<td>armed-forces</td><td>radar</td></tr></table><img src="x.png">'
            '<div lang="en" class="dossier-untranslated"><p>unknown</p><br></div><p>inconnu</p></body></html>')
    assert i18n.leftover_english(page, "fr") == ["Sources disagree", "armed-forces"]
    assert i18n.leftover_english(page.replace("Sources disagree", "Les sources divergent")
                                 .replace("armed-forces", "forces armées"), "fr") == []


def test_counts_out_of_a_total_read_as_natural_french():
    """'15 of 45 events' is '15 événements sur 45', not the calque '15 des 45 événements'."""
    said = i18n.translate("fr", "%(located)s of %(total)s events have a known place or route.",
                          located="15", total="45")
    assert said == "15 événements sur 45 ont un lieu ou un itinéraire connu."
    calque = re.compile(r"%\(\w+\)s (?:\w+ )?des? %\((?:total|count)\)s")  # "%(shown)s derniers de %(count)s"
    strings = [m.string for m in _catalogue() if m.id]
    assert [s for s in strings if any(calque.search(t) for t in (s if isinstance(s, tuple) else (s,)))] == []


def test_search_filters_and_labels_count_as_text_of_the_page():
    """The search's filter names and values and its result labels are checked like the page's text."""
    page = ('<html lang="fr"><div data-pagefind-filter="record:Event" data-pagefind-meta="type:Event">'
            '<span data-pagefind-filter="event kind:delivery" data-pagefind-meta="kind:delivery">x</span>'
            '<span data-pagefind-filter="country">ML</span></div></html>')
    assert i18n.leftover_english(page, "fr") == ["record", "Event", "Event", "event kind", "delivery", "delivery",
                                                 "country"]
    french = ('<html lang="fr"><div data-pagefind-filter="fiche:Événement" data-pagefind-meta="type:Événement">'
              '<span data-pagefind-filter="type d’événement:livraison">x</span>'
              '<span data-pagefind-filter="pays">ML</span></div></html>')
    assert i18n.leftover_english(french, "fr") == []


def _english_catalogue():
    """Read the English catalogue of display labels."""
    with i18n.catalogue_path("en").open("rb") as po:
        return read_po(po, locale="en")


def test_english_display_labels_come_from_the_english_catalogue():
    """Abbreviations read as such in English ('PMC', 'NGO'), from the English catalogue, not a capitalised id;
    each of its entries is a message of the code that reads otherwise, and French pages may not show them."""
    entries = [m for m in _english_catalogue() if m.id]
    known = {(m.context, m.id) for m in _catalogue() if m.id}
    assert entries and all((m.context, m.id) in known and m.string and m.string != m.id for m in entries)
    assert i18n.word("en", "ACTOR_KINDS", "pmc") == i18n.label("en", "ACTOR_KINDS", "pmc") == "PMC"
    assert i18n.label("en", "ACTOR_KINDS", "ngo") == "NGO" and i18n.label("en", "CATEGORIES", "mrap") == "MRAP"
    assert i18n.label("en", "ACTOR_KINDS", "armed-forces") == "armed forces"
    assert i18n.label("fr", "ACTOR_KINDS", "ngo") == "ONG"
    assert i18n.leftover_english('<html lang="fr"><h2>NGO</h2><h2>ONG</h2></html>', "fr") == ["NGO"]


def test_help_texts_codes_and_columns_are_in_the_catalogue():
    """Every field's help text, problem code meaning and CSV column meaning has its French."""
    from dossier import errors, export
    from dossier.jsonschema import field_reference

    helps = {row.help for rows in field_reference().values() for row in rows}
    helps |= set(errors.CODES.values()) | {c.help for table in export.COLUMNS.values() for c in table}
    untranslated = sorted(h for h in helps if i18n.translate("fr", h) == h)
    assert len(helps) > 150 and untranslated == []
