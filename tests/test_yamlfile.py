"""The safe YAML reader: lines for every key, and refusals that name the line."""

import pytest
import yaml

from briefing.core import yamlfile
from briefing.core.problems import ContentError


def load(text):
    return yamlfile.load(text, "content/x.yml")


def test_keeps_the_line_of_every_key():
    data = load("a: 1\nb:\n  - x\n  - y\n")
    assert data == {"a": 1, "b": ["x", "y"]}
    assert data.lines == {"a": 1, "b": 2}
    assert data["b"].lines == [3, 4]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("actors:\n  a: 1\n  a: 2\n", 3, "duplicate key 'a' (also on line 2)"),
        ("x: !!python/object/apply:os.system ['echo hi']\n", 1, "tag !!python/object/apply:os.system"),
        ("x: !custom 3\n", 1, "tag !custom"),
        ("a: &x [1]\nb: *x\n", 2, "aliases"),
        ("date: 2025-02-30\n", 1, "'2025-02-30' is not a possible value"),
        ("title: a: b\n", 1, "not valid YAML"),
        ("a: 1\n---\nb: 2\n", 2, "not valid YAML"),
        ("<<: {a: 1}\n", 1, "tag !!merge"),
    ],
    ids=[
        "duplicate-key",
        "python-tag",
        "local-tag",
        "alias",
        "impossible-date",
        "bad-syntax",
        "two-documents",
        "merge-key",
    ],
)
def test_refusals_name_the_line(text, line, words):
    with pytest.raises(ContentError) as caught:
        load(text)
    (problem,) = caught.value.problems
    assert problem.line == line
    assert words in problem.message
    assert str(problem).startswith(f"content/x.yml:{line}: ")


def test_alias_bomb_is_refused_at_once():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    with pytest.raises(ContentError) as caught:
        load(bomb)
    # Refused at the first alias, before anything could be expanded.
    assert caught.value.problems[0].line == 2


def test_tag_is_never_executed(tmp_path):
    marker = tmp_path / "ran"
    with pytest.raises(ContentError):
        load(f"x: !!python/object/apply:os.system ['touch {marker}']\n")
    assert not marker.exists()


def test_every_string_and_key_is_held_to_the_text_rule():
    # Escapes write what the reader refuses raw: NUL, a lone surrogate, a noncharacter, NEL, an override.
    data = load('"k\\x00ey": "a\\x00b\\ud800c\\uffffd\\x85e\\u202ef"\nlist: ["\\x1f", 1.50]\n')
    assert data == {"key": "abcd ef", "list": ["", 1.5]}
    assert data.lines == {"key": 1, "list": 2}


def test_scalars_resolve_as_yaml_says():
    """The fast loader's own tag resolution gives each scalar the type PyYAML's safe loader gives it."""
    values = ["12", "-1.5e3", ".inf", "0x1F", "yes", "True", "off", "~", "null", "", "2025-03-02",
              "2025-03-02T17:30:00+00:00", "'12'", '"true"', "1_000", "text", "Null island", "*"]  # fmt: skip
    text = "".join(f"k{n}: {v}\n" for n, v in enumerate(values) if v != "*") + "list: [1, a, ~, 2.5]\n"
    assert load(text) == yaml.safe_load(text)
    assert [type(v) for v in load(text).values()][:-1] == [type(v) for v in yaml.safe_load(text).values()][
        :-1
    ]
    # A '*' only in text is no alias.
    assert load("title: '*starred*'\nquote: a * b\n") == {"title": "*starred*", "quote": "a * b"}
