"""The one checker of editors' files: each record read field by field as its description says
(fields.py), each mistake a problem with its file, line and fix."""

import difflib
import re

from . import yamlfile
from .values import KNOWN, Values

ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # whole ids only: fullmatch, never match with '$'
# Ids become folder and file names (with '.atom.xml' after them): far below any file system's limit.
MAX_ID = 64
ID_RULE = f"lowercase letters, digits and single hyphens, at most {MAX_ID} characters, e.g. keir-starmer"
# Ids become file names; Windows cannot create these, so a clone there would lose the page.
RESERVED = {"con", "prn", "aux", "nul", *(f"{p}{n}" for p in ("com", "lpt") for n in range(10))}


def is_id(text):
    """Whether the text is an id: the whole of it, within MAX_ID (also used for stance ids)."""
    return isinstance(text, str) and len(text) <= MAX_ID and ID.fullmatch(text) is not None


class Checker(Values):
    """Reads the records of one file (fields.Record) and the values of their fields."""

    def mapping(self, value, line, what, fix):
        if isinstance(value, yamlfile.Map):
            return value
        self.error(getattr(value, "line", line), f"{what} must be a mapping of keys to values", fix)
        return None

    def keys(self, mapping, record, what, line=None):
        """Report keys a fields.Record has not, and missing or empty required ones (at `line`, else
        the mapping's)."""
        allowed = record.keys
        for key in mapping:
            if key not in allowed:
                hint = difflib.get_close_matches(str(key), allowed, n=1)
                fix = f"did you mean '{hint[0]}'?" if hint else f"use only {', '.join(allowed)}"
                self.error(mapping.lines[key], f"unknown key {key!r} in {what}", fix)
        for f in record.fields:
            if not f.required:
                continue
            example = next(iter(self.ids.get(f.kind, ())), f.example)
            example = f", e.g. '{f.name}: {example}'" if example else ""
            if f.name not in mapping:
                self.error(
                    line or mapping.line,
                    f"{what} has no '{f.name}'",
                    f"add '{f.name}:' (it is required){example}",
                )
            elif mapping[f.name] is None or (
                isinstance(mapping[f.name], str) and not mapping[f.name].strip()
            ):
                self.error(
                    mapping.lines[f.name],
                    f"'{f.name}' of {what} is empty",
                    f"write a value after '{f.name}:'{example}",
                )

    def read(self, entry, record, owner):
        """{field: value} of an entry (a mapping of a fields.Record), each field read as its kind
        says, each mistake a problem at its line; `owner` names the entry in messages ("actor 'x'").
        Fields of kinds that need more than the entry (ids in use, other files) are left to the caller."""
        return {f.name: _READERS[f.kind](self, entry, f, owner) for f in record.fields if f.kind in _READERS}

    def at_most(self, mapping, key, limit, setting):
        """Report a list longer than the setting allows, at its first entry too many."""
        value = mapping.get(key)
        if isinstance(value, list) and len(value) > limit:
            self.error(
                value.lines[limit],
                f"this note has {len(value)} {key}, more than {setting} allows ({limit})",
                "split it into several notes of the same date",
            )

    def records(self, mapping, key, record):
        """Yield each mapping of a list such as a note's positions (a fields.Record), its keys checked."""
        what, required = record.what, record.required
        value = mapping.get(key, yamlfile.Seq())
        example = f"'- {required[0]}: ...'"
        if not isinstance(value, list):
            self.error(
                mapping.lines[key],
                f"'{key}' must be a list",
                f"write each {what} as {example} on its own line",
            )
            return
        for raw, line in zip(value, value.lines, strict=True):
            also = ", ".join(f"{k}:" for k in required[1:])
            entry = self.mapping(raw, line, f"a {what}", f"write it as {example} with {also}")
            if entry is not None:
                self.keys(entry, record, f"a {what}")
                yield entry

    def id(self, key, line, what):
        if is_id(key) and key not in RESERVED:
            return True
        if isinstance(key, str) and key in RESERVED:
            self.error(line, f"{key!r} is a name Windows reserves for a device", f"choose another {what} id")
        elif isinstance(key, str) and len(key) > MAX_ID:
            self.error(
                line,
                f"the {what} id {key[:MAX_ID]!r}... is {len(key)} characters long",
                f"shorten it: ids become file names; use {ID_RULE}",
            )
        else:
            self.error(line, f"{key!r} is not a valid {what} id", f"use {ID_RULE}")
        return False


# How Checker.read reads a field of each kind (fields.Field.kind).
_READERS = {
    "text": lambda check, entry, f, owner: check.text(entry, f.name),
    "name": lambda check, entry, f, owner: check.name(entry, f.name, owner if f.required else None),
    "markdown": lambda check, entry, f, owner: check.markdown(
        check.text(entry, f.name), entry.lines.get(f.name)
    ),
    "names": lambda check, entry, f, owner: check.names(entry, f.name),
    "urls": lambda check, entry, f, owner: check.texts(entry, f.name, check.web_url),
    "patterns": lambda check, entry, f, owner: check.patterns(entry, f.name),
    "choice": lambda check, entry, f, owner: check.choice(entry, f),
    "flag": lambda check, entry, f, owner: check.flag(entry, f.name, f.default),
    "url": lambda check, entry, f, owner: check.url(entry, f.name),
    "date": lambda check, entry, f, owner: check.date(entry, f),
    "id": lambda check, entry, f, owner: (
        entry[f.name] if f.name in entry and check.id(entry[f.name], entry.lines[f.name], f.noun) else None
    ),
    "ids": lambda check, entry, f, owner: check.texts(
        entry, f.name, lambda text, line: check.id(text, line, f.noun)
    ),
    # An id of those in use; a missing one is reported by keys().
    **{
        kind: lambda check, entry, f, owner: (
            check.known(entry, f.name, check.ids[f.kind], f.kind) if f.name in entry else None
        )
        for kind in KNOWN
    },
}
