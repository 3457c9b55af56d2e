"""JSON Schemas of the editors' files, made from their descriptions (fields.py) and the actors,
issues and stances in use: an editor's editor (VS Code, github.dev) then flags a mistake and offers
the ids as they type. `invoke check` keeps the last word: a schema cannot say, say, that a
position's source is one of its own note's."""

import json

from .checker import ID, MAX_ID
from .fields import ACTOR, FEED, ISSUE, NOTE

DRAFT = "https://json-schema.org/draft/2020-12/schema"
_ID = {"type": "string", "pattern": f"^{ID.pattern}$", "maxLength": MAX_ID}
# As YAML 1.2 reads an unquoted date: text. A time needs its offset.
_DATE = {
    "type": "string",
    "pattern": r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$",
}
_URL = {"type": "string", "pattern": "^https?://"}
_TEXT = {"type": ["string", "number"]}  # a number is read as written: quote: 1.50
_KINDS = {
    "text": _TEXT,
    "markdown": _TEXT,
    "name": {**_TEXT, "minLength": 1},
    "id": _ID,
    "ids": {"type": "array", "items": _ID},
    "date": _DATE,
    "url": _URL,
    "address": {"type": "string", "minLength": 1},
    "flag": {"type": "boolean"},
    "names": {"type": "array", "items": {"type": ["string", "number"]}},
    "urls": {"type": "array", "items": _URL},
    "patterns": {"type": "array", "items": {"type": "string"}},
    "source": {"type": "string", "minLength": 1},
}


def schemas(actors, issues, stances, evidence):
    """{file name: JSON Schema} of a note, actors.yml, issues.yml and feeds.yml."""
    enums = {
        "actor": list(actors),
        "issue": list(issues),
        "stance": list(stances),
        "evidence": list(evidence),
    }

    def field(f):
        if f.kind == "records":
            found = {"type": "array", "items": record(f.records)}
        elif f.kind == "choice":
            found = {"enum": list(f.values)}
        elif f.kind in enums:
            found = {"enum": enums[f.kind], "examples": enums[f.kind][:1]}
        else:
            found = dict(_KINDS[f.kind])
        if f.default is not None:
            found["default"] = f.default
        if f.example:
            found["examples"] = [f.example]
        return {"description": f.about, **found}

    def record(described):
        return {
            "type": "object",
            "additionalProperties": False,
            "required": list(described.required),
            "properties": {f.name: field(f) for f in described.fields},
        }

    def by_id(described, title):
        return {
            "$schema": DRAFT,
            "title": title,
            "type": "object",
            "propertyNames": _ID,
            "additionalProperties": record(described),
        }

    return {
        "note.schema.json": {"$schema": DRAFT, "title": "A briefing note (content/notes/)", **record(NOTE)},
        "actors.schema.json": by_id(ACTOR, "Actors (content/briefing/actors.yml), by id"),
        "issues.schema.json": by_id(ISSUE, "Issues (content/briefing/issues.yml), by id"),
        "feeds.schema.json": by_id(FEED, "Feeds (content/briefing/feeds.yml), by id"),
    }


def texts(actors, issues, stances, evidence):
    """{file name: its text} of the schemas, as schemas/ keeps them (invoke schemas)."""
    return {
        name: json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
        for name, schema in schemas(actors, issues, stances, evidence).items()
    }
