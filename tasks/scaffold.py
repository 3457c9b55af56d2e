"""invoke new: a correct, commented note to start from, never written over an existing file."""

import json
import os

from pelican.utils import slugify

TEMPLATE = """\
{fence}# A note: what happened on one day, and where actors stand. The format: docs/content-format.md
date: {date}  # the briefing day; a time needs its offset: {date}T17:30:00+00:00
title: {title}
summary: One paragraph that leads the briefing.
# tags: [some-actor-id, some-issue-id]   # ids from actors.yml and issues.yml
sources:
  - id: source-1  # a short id of your choice; positions cite it with source: source-1
    title: The article's headline
    publisher: Who published it
    url: https://example.org/the-article
# positions:
#   - actor: {actor}  # an id from content/briefing/actors.yml
#     issue: {issue}  # an id from content/briefing/issues.yml
#     stance: {stance}  # one of: {stances}
#     evidence: {evidence}  # what it rests on, one of: {evidences}
#     quote: "The actor's words, verbatim"
#     source: source-1  # a source id above, or a full https:// address
#     note: Your comment, if any
{fence_end}"""
MARKDOWN_BODY = """
Write the lead of the briefing here, in Markdown.

<!-- An image of the site's own (under content/images/), described for readers who cannot see it:
![A map of the front line in March](../images/front-line.png)
A document to download (under content/files/):
[The joint statement (PDF)](../files/joint-statement.pdf) -->
"""


def note_path(notes_dir, day, title, kind, regex_subs):
    """Where a new note goes: its date and its title as Pelican slugifies it (the site's
    SLUG_REGEX_SUBSTITUTIONS), kept short, so that the notes folder reads in date order."""
    slug = slugify(title, regex_subs=regex_subs)[:60].strip("-") or "note"
    return os.path.join(notes_dir, f"{day.isoformat()}-{slug}.{'md' if kind == 'md' else 'yml'}")


def note_text(day, title, kind, actors, issues, vocabulary):
    """The text of a new note; its positions are commented out, so it is valid as it stands.
    `vocabulary`: the site's stances and evidence."""
    stances, evidence = vocabulary
    text = TEMPLATE.format(
        fence="---\n" if kind == "md" else "",
        fence_end="---\n" if kind == "md" else "",
        date=day.isoformat(),
        title=json.dumps(title, ensure_ascii=False),  # a JSON string is valid YAML, whatever the title holds
        actor=next(iter(actors), "some-actor-id"),
        issue=next(iter(issues), "some-issue-id"),
        stance=next(iter(stances)),
        stances=", ".join(stances),
        evidence=next(iter(evidence)),
        evidences=", ".join(evidence),
    )
    return text + MARKDOWN_BODY if kind == "md" else text


def write_new(path, text):
    """Create the file; refuse, rather than overwrite, if it exists."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "x", encoding="utf-8") as f:
        f.write(text)
