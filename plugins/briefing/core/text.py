"""The one text rule at every entrance: what text from a feed, an editor or a setting may carry.

Applied where text comes in (feed fields, editors' YAML and Markdown, page metadata, the
archive's lines, settings shown on pages), so that everything after it can trust it: no
character a feed's XML cannot hold, no invisible character in a name, no reversed title.
"""

import re
import unicodedata

# XML 1.0 forbids the C0 controls but tab, LF and CR, lone surrogates, U+FFFE and U+FFFF; the C1
# controls, DEL and the other noncharacters it discourages. One of them kills a feed writer.
_NONCHARACTERS = "".join(f"{chr(p << 16 | 0xFFFE)}{chr(p << 16 | 0xFFFF)}" for p in range(1, 17))
_FORBIDDEN = re.compile(
    f"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff{_NONCHARACTERS}]"
)
# Controls that separate words (vertical tab, form feed, NEL): a space keeps the words apart.
_SEPARATORS = re.compile("[\x0b\x0c\x85]")
# Explicit bidi embeddings, overrides and isolates: unbalanced, one reverses the rest of a title,
# a table cell or a feed entry. Text in another script needs none of them to read right.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Unicode's Default_Ignorable_Code_Point: nothing visible (soft hyphen, zero-width characters,
# bidi marks, fillers, variation selectors, tags). In a name they hide a difference or fake one.
IGNORABLE = (
    (0xAD, 0xAD), (0x34F, 0x34F), (0x61C, 0x61C), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F),
    (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)  # fmt: skip
_IGNORABLE = re.compile("[" + "".join(f"{chr(a)}-{chr(b)}" for a, b in IGNORABLE) + "]")
# Any character clean_text changes: one scan tells the text (a summary's newlines) it leaves alone.
_CHANGED = re.compile("|".join(p.pattern for p in (_FORBIDDEN, _SEPARATORS, _BIDI)))


def clean_text(text):
    """Any text: characters XML cannot carry removed, word-separating controls made spaces,
    and bidi embeddings, overrides and isolates removed."""
    # Every character the rule changes is unprintable (a control, surrogate, noncharacter or
    # format character): printable text, in any script, is the usual case, checked in C; printable
    # lines too (a page's body), checked in C fifteen times faster than by the regex.
    if text.isprintable() or _lines_printable(text) or not _CHANGED.search(text):
        return text
    return _BIDI.sub("", _FORBIDDEN.sub("", _SEPARATORS.sub(" ", text)))


def _lines_printable(text):
    return text.replace("\n", "").replace("\t", "").replace("\r", "").isprintable()


def clean_name(text):
    """A name, title, author, publisher or id-to-be: clean_text, every invisible character
    removed, whitespace collapsed to single spaces."""
    return collapse(remove_ignorable(clean_text(text)))


def collapse(text):
    """The text with each run of whitespace made one space, and none at either end."""
    # Every whitespace character but the space is unprintable (a control or separator): printable
    # text with no double, leading or trailing space is already collapsed, cheaper checked than split.
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())  # split() splits where \s matches


def in_sentence(label):
    """A label as it reads inside a sentence: 'On record' -> 'on record', 'UN resolution' kept."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def visible(text):
    """Whether the text has a letter, digit or symbol a reader can see."""
    return any(unicodedata.category(c)[0] in "LNS" for c in text)


def ignorable(char):
    """Whether the character is invisible (Default_Ignorable_Code_Point)."""
    return _IGNORABLE.match(char) is not None


def remove_ignorable(text):
    """The text without its invisible characters, as matching and comparison read it."""
    return text if text.isascii() else _IGNORABLE.sub("", text)
