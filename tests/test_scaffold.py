"""invoke new: the scaffold is a valid note as written, builds, and never overwrites."""

from datetime import date

import pytest
from conftest import build
from pelican.settings import DEFAULT_CONFIG
from test_content import make_site

from tasks import checks, scaffold


@pytest.mark.parametrize("kind", ["yml", "md"])
def test_a_new_note_passes_the_check_and_builds(tmp_path, kind):
    settings = make_site(tmp_path, {})
    title = 'Talks: "what next?" — Zelenskiy & co'
    subs = DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"]
    path = scaffold.note_path(str(tmp_path / "content/notes"), date(2025, 3, 21), title, kind, subs)
    assert path.endswith(f"2025-03-21-talks-what-next-zelenskiy-co.{kind}")
    scaffold.write_new(
        path,
        scaffold.note_text(
            date(2025, 3, 21),
            title,
            kind,
            {"keir-starmer": None},
            {},
            ({"supports": "S"}, {"on-record": "O"}),
        ),
    )
    problems, _ = checks.run(settings)
    assert problems == []
    site = build(tmp_path / "content", tmp_path / "output")
    page = (site / "briefings/2025/03/21/index.html").read_text(encoding="utf-8")
    assert "<h1>Talks: &quot;what next?&quot; — Zelenskiy &amp; co</h1>" in page


def test_an_existing_note_is_never_overwritten(tmp_path):
    path = tmp_path / "notes/2025-03-21-x.yml"
    scaffold.write_new(str(path), "date: 2025-03-21\n")
    with pytest.raises(FileExistsError):
        scaffold.write_new(str(path), "overwritten")
    assert path.read_text(encoding="utf-8") == "date: 2025-03-21\n"


@pytest.mark.parametrize(
    "title, name",
    [("Переговоры в Лондоне", "peregovory-v-londone"), ("«»", "note"), ("x" * 80, "x" * 60)],
)
def test_a_new_notes_name_is_its_title_as_pelican_slugifies_it(title, name):
    subs = DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"]
    assert (
        scaffold.note_path("notes", date(2025, 3, 21), title, "yml", subs) == f"notes/2025-03-21-{name}.yml"
    )
