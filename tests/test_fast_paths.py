"""The shortcuts of the text rule, the HTML cleaner and matching give what the full rule gives."""

import re
import sys
import unicodedata

import pytest

from briefing.core.match import normalise
from briefing.core.model import FeedItem
from briefing.core.sanitize import MAX_DEPTH, MAX_FIELD, clean_html, plain_text
from briefing.core.text import clean_name, clean_text

EVERY = [chr(c) for c in range(sys.maxunicode + 1)]


def test_every_character_the_text_rule_changes_is_unprintable():
    # clean_text returns printable text untouched, in any script, after one check in C.
    changed = [c for c in EVERY if clean_text(f"a{c}b") != f"a{c}b"]
    assert len(changed) > 2000  # controls, surrogates, noncharacters, bidi controls
    assert not [c for c in changed if c.isprintable()]
    assert clean_text("Zürich\n\u202eKyiv\x0c東京") == "Zürich\nKyiv 東京"


def test_splitting_on_whitespace_collapses_what_the_pattern_did():
    spaces = [c for c in EVERY if re.fullmatch(r"\s", c)]
    assert spaces == [c for c in EVERY if c.isspace()]
    assert clean_name(" Keir\u3000\u2028 Starmer\x1f") == "Keir Starmer"
    assert normalise(" Dragoș\u00a0\n TUDORACHE ") == "dragos tudorache"


def test_normalising_drops_every_combining_mark():
    marks = "".join(c for c in EVERY if unicodedata.combining(c))
    assert normalise(f"x{marks}y") == "xy"
    assert normalise("Ŝ\u0301e\u0323\u0304 \u00adZ") == "se z"


def test_a_fragment_just_short_of_too_deep_is_cleaned_as_html_and_one_deeper_is_text():
    shallow = "<div>" * (MAX_DEPTH - 1) + "<b>x</b>"  # the deepest allowed
    deep = "<div>" * (MAX_DEPTH + 1) + "<b>x</b>"
    assert clean_html(shallow) == "<b>x</b>"
    assert clean_html(deep) == "<p>x</p>"
    assert plain_text(shallow) == plain_text(deep) == "x"


@pytest.mark.parametrize(
    "fragment",
    [
        "<p>plain</p>",
        '<a href="https://x.test/?a=1&amp;b=2" title="a>b &quot;c&quot; <d>">link</a> after',
        "<abbr title='x\">y'>A</abbr><b>1 &lt; 2 &amp;&amp; 3 &gt; 2</b>&nbsp;end",
        "<pre>\n\nfirst line kept apart</pre>x<br>y<hr>z",
        "<table>stray<tr><td>cell</td></tr>more</table>",
        "<script>alert(1)</script><style>p{}</style><textarea>\nt</textarea><xmp><b>x</b></xmp>",
        "<!-- a comment --><![CDATA[data]]><?pi?>text &#x202e;reversed&#x1b; &#13;\r\nnew",
        "<ul><li>one<li>two</ul><p>a<p>b</p></p><q>q</q><svg><title>t</title></svg>",
        "<b>" * 300 + "too deep" + "</b>" * 300,
        "<i>" * 250 + "<table><tr><td>just deep enough once cleaned</td></tr></table>",
        "x" * (MAX_FIELD - 3) + "<b>cut</b>",
    ],
)
def test_the_text_read_off_cleaned_markup_is_the_text_parsing_it_gives(fragment):
    # An item's text is read off its cleaned summary whenever asked, without a second parse.
    clean = clean_html(fragment)
    assert FeedItem("1", "wire", "t", "", None, summary=clean).text == plain_text(clean)
