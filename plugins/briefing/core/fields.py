"""Each kind of editors' file described once: its fields, which are required, what each holds,
and an example of each that the suggested fixes show.

The checker reads every field by its kind from here (checker.Checker.read), and the JSON Schemas
that editors' editors check files with as they type are made from it (schemas.py).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    name: str
    # text, name (shown as a title), markdown, id, ids, date, url, address (a URL or a file of the
    # site), flag, names, urls, patterns, choice, actor, issue, stance, evidence, source, or records
    kind: str
    about: str  # what it holds, as an editor reads it
    required: bool = False
    values: tuple[str, ...] = ()  # a choice's
    default: object = None  # a choice's or a flag's when it is left out
    records: "Record | None" = None  # what a list of records holds
    # A value as an editor would write it: the fixes the checker suggests, and the schemas, show it.
    # A field of ids in use (actor, issue, stance, evidence) takes the site's first instead.
    example: str = ""
    noun: str = ""  # what messages call one of an id list's values: "tag"


@dataclass(frozen=True)
class Record:
    what: str  # how a message names one: "note", "position"
    fields: tuple[Field, ...]

    @property
    def keys(self):
        return tuple(f.name for f in self.fields)

    @property
    def required(self):
        return tuple(f.name for f in self.fields if f.required)


ACTOR_KINDS = ("person", "government", "organisation")

ACTOR = Record(
    "actor",
    (
        Field("name", "name", "the name readers see", required=True, example="Ana López"),
        Field("kind", "choice", "what the actor is", values=ACTOR_KINDS, default="person"),
        Field("role", "name", "their office or job, e.g. Prime Minister"),
        Field("affiliation", "name", "the country or body they speak for"),
        Field("aliases", "names", "other names news items use for them"),
        Field("links", "urls", "pages about them"),
        Field("description", "markdown", "a paragraph about them, in Markdown"),
    ),
)
ISSUE = Record(
    "issue",
    (
        Field("title", "name", "the issue's short title", required=True, example="Bus fares"),
        Field("question", "text", "the open question, e.g. Should bus fares be frozen?"),
        Field("keywords", "names", "words news items use for it"),
        Field("description", "markdown", "a paragraph about it, in Markdown"),
    ),
)
FEED = Record(
    "feed",
    (
        Field("title", "name", "the outlet's name", required=True, example="City Daily"),
        Field(
            "url",
            "address",
            "the feed's address (https://...), or a file of the site",
            required=True,
            example="https://example.org/feed.xml",
        ),
        Field("only_matching", "flag", "keep only items that mention a tracked actor or issue", default=True),
        Field("include", "patterns", "regular expressions: an item must match one"),
        Field("exclude", "patterns", "regular expressions: an item matching one is dropped"),
    ),
)
SOURCE = Record(
    "source",
    (
        Field(
            "id",
            "id",
            "a short id of this note's own, which positions cite",
            required=True,
            example="wire",
            noun="source",
        ),
        Field("title", "name", "the article's headline"),
        Field(
            "url",
            "url",
            "the article's address",
            required=True,
            example="https://example.org/the-article",
        ),
        Field("publisher", "name", "who published it"),
    ),
)
POSITION = Record(
    "position",
    (
        Field("actor", "actor", "an actor id from actors.yml", required=True),
        Field("issue", "issue", "an issue id from issues.yml", required=True),
        Field("stance", "stance", "where the actor stands", required=True),
        Field("quote", "text", "the actor's words, verbatim"),
        Field("evidence", "evidence", "what the claim rests on"),
        Field("source", "source", "a source id of this note, or a full https:// address"),
        Field("note", "text", "the editor's comment"),
        Field("withdrawn", "flag", "the actor no longer holds the stance named", default=False),
    ),
)
CORRECTION = Record(
    "correction",
    (
        Field("date", "date", "when the correction was made", required=True, example="2025-03-04"),
        Field("text", "text", "what was corrected", required=True, example="The vote was on Tuesday"),
    ),
)
NOTE = Record(
    "note",
    (
        Field(
            "date",
            "date",
            "the briefing day, YYYY-MM-DD, or a time with its offset",
            required=True,
            example="2025-03-02",
        ),
        Field("title", "name", "the headline", required=True, example="Council votes on the budget"),
        Field("summary", "text", "one paragraph that leads the briefing"),
        Field("tags", "ids", "actor and issue ids the note is about", noun="tag"),
        Field("sources", "records", "the articles the note rests on", records=SOURCE),
        Field("positions", "records", "where actors stand, each with its evidence", records=POSITION),
        Field("corrected", "records", "corrections made since it was published", records=CORRECTION),
    ),
)
