"""The editors' JSON Schemas (schemas/, made by invoke schemas from core/fields.py and the ids in
use): current with the sample content, which they accept, and refusing the usual mistakes."""

import json

import jsonschema
import pytest
import yaml
from conftest import ROOT

from briefing.core import schemas
from briefing.core.sources import load_tracked
from briefing.site import settings

CONTENT = ROOT / "content"


def sample_settings():
    config = {"PATH": str(CONTENT)}
    settings.complete(config)
    return config


def as_editors_editor_reads(text):
    """The YAML as a YAML 1.2 editor reads it: a date is text."""
    return json.loads(json.dumps(yaml.safe_load(text), default=str))


def front_matter(text):
    return text.split("---\n")[1]


def schema(name):
    return json.loads((ROOT / "schemas" / name).read_text(encoding="utf-8"))


def test_the_schemas_list_the_actors_issues_and_stances_in_use():
    config = sample_settings()
    actors, issues = load_tracked(config, [])
    made = schemas.texts(actors, issues, config["BRIEFING_STANCES"], config["BRIEFING_EVIDENCE"])
    assert made == {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "schemas").glob("*.json")}
    positions = schema("note.schema.json")["properties"]["positions"]["items"]["properties"]
    assert positions["actor"]["enum"] == list(actors) and positions["stance"]["enum"] == list(
        config["BRIEFING_STANCES"]
    )


def test_the_sample_content_is_valid():
    note = schema("note.schema.json")
    notes = sorted((CONTENT / "notes").glob("*"))
    assert len(notes) > 10
    for path in notes:
        text = path.read_text(encoding="utf-8")
        jsonschema.validate(
            as_editors_editor_reads(front_matter(text) if path.suffix == ".md" else text), note
        )
    for name in ("actors", "issues", "feeds"):
        data = as_editors_editor_reads((CONTENT / "briefing" / f"{name}.yml").read_text(encoding="utf-8"))
        jsonschema.validate(data, schema(f"{name}.schema.json"))


GOOD = "date: 2025-03-03\ntitle: A\npositions:\n  - actor: keir-starmer\n    issue: coalition-of-the-willing\n    stance: supports\n"


@pytest.mark.parametrize(
    "mistake, replace",
    [
        ("an unknown stance", ("stance: supports", "stance: suports")),
        ("an unknown actor", ("actor: keir-starmer", "actor: keir-starmr")),
        ("a misspelt key", ("positions:", "postions:")),
        ("no title", ("title: A\n", "")),
        ("a date that is no date", ("date: 2025-03-03", "date: March 3rd")),
        ("a time without its offset", ("date: 2025-03-03", "date: 2025-03-03T17:30:00")),
        ("withdrawn not yes or no", ("stance: supports", "stance: supports\n    withdrawn: maybe")),
    ],
)
def test_a_broken_note_is_refused(mistake, replace):
    note = schema("note.schema.json")
    jsonschema.validate(as_editors_editor_reads(GOOD), note)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(as_editors_editor_reads(GOOD.replace(*replace)), note)


def test_an_actors_id_must_be_an_id():
    actors = schema("actors.schema.json")
    jsonschema.validate({"ok-id": {"name": "Ok"}}, actors)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"Not An Id": {"name": "No"}}, actors)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"no-name": {"role": "x"}}, actors)
