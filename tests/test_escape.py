"""Escapers: each output context keeps hostile text inert and readable."""

from __future__ import annotations

import csv
import html
import io

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dossier import escape

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "[x](javascript:alert(1))",
    "{{ 7*7 }}",
    "{% raw %}",
    "${alert(1)}",
    "`code` and ``` fences",
    "</script>",
    "# heading\n- item\n1. one",
    "**bold** _em_ | pipe {: .attr }",
    "- not a list",
    "+ not a list either",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_text_renders_as_the_literal_text(payload):
    """A reader sees exactly what was written; no tag, link or emphasis appears."""
    rendered = markdown.markdown(escape.md_text(payload), extensions=["attr_list", "tables"])
    assert rendered.startswith("<p>") and rendered.endswith("</p>")
    inner = rendered[3:-4]
    assert "<" not in inner and ">" not in inner
    assert html.unescape(inner) == " ".join(payload.split())


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_text_has_no_template_or_tag_syntax(payload):
    """Nothing a template engine, attr_list or a browser would act on survives."""
    out = escape.md_text(payload)
    for bad in ("<", ">", "{", "}", "$", "`", "[", "]", "\n"):
        assert bad not in out


def test_html_text_and_attribute():
    """HTML content and attributes cannot be broken out of."""
    assert escape.html_text("<b>&") == "&lt;b&gt;&amp;"
    assert escape.html_attr('"><svg onload=x>') == "&quot;&gt;&lt;svg onload=x&gt;"
    assert "'" not in escape.html_attr("it's")


def test_json_script_cannot_close_the_script_element():
    """JSON inside <script> keeps no '</script>'."""
    out = escape.json_script({"t": "</script><!--"})
    assert "</" not in out and "<!--" not in out


@pytest.mark.parametrize("cell", ["=SUM(A1)", "+1", "-1+2", "@cmd", "\tx", "\rx"])
def test_csv_formula_injection_is_defused(cell):
    """Cells a spreadsheet would evaluate start with a quote."""
    guarded = escape.csv_cell(cell)
    assert guarded == "'" + cell
    buf = io.StringIO()
    csv.writer(buf).writerow([guarded])
    assert next(csv.reader(io.StringIO(buf.getvalue())))[0].startswith("'")


def test_csv_leaves_ordinary_values():
    """Plain text and numbers are unchanged."""
    assert escape.csv_cell("T-72B3") == "T-72B3"
    assert escape.csv_cell(-5) == -5


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x",
                                 "//evil.example", "/relative", "https://", "http://a b.org", "ftp://x.org",
                                 " https://x.org", 42, None])
def test_urls_other_than_http_are_refused(url):
    """Only absolute http(s) URLs become links."""
    assert escape.safe_url(url) is None
    assert escape.md_url(url) is None
    assert escape.html_url(url) is None


def test_http_urls_are_kept_and_markdown_safe():
    """A real URL survives; characters that end a Markdown link target are encoded."""
    assert escape.safe_url("https://example.org/a?b=1#c") == "https://example.org/a?b=1#c"
    out = escape.md_url('https://example.org/a_(b)"<x>')
    assert out == "https://example.org/a_%28b%29%22%3Cx%3E"
    assert escape.html_url("https://example.org/?a=1&b='x'") == "https://example.org/?a=1&amp;b=%27x%27"


def test_neutralise_template_keeps_html():
    """Template delimiters become entities; tags stay."""
    assert escape.neutralise_template("<p>{{ x }} ${y}</p>") == "<p>&#123;&#123; x &#125;&#125; &#36;&#123;y&#125;</p>"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80))
def test_any_text_renders_as_itself(text):
    """Whatever a contributor writes, Markdown shows exactly that text and makes no element of it."""
    rendered = markdown.markdown(escape.md_text(text), extensions=["tables", "admonition"])
    expected = " ".join("".join(c for c in text if c in "\t\n\r" or 32 <= ord(c) != 127).split())
    if not expected:
        return
    assert rendered.startswith("<p>") and rendered.endswith("</p>")
    assert html.unescape(rendered[3:-4]) == expected


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80))
def test_any_text_is_a_safe_attribute(text):
    """No text closes an attribute."""
    assert '"' not in escape.html_attr(text) and "<" not in escape.html_attr(text)
