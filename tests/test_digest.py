"""The pure digest: standings as of each date, marks, neighbours, who was active."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from briefing.core.digest import actor_rows, build, news_rows, recorded_with, stances_by_issue
from briefing.core.model import Actor, FeedItem, Issue, Mention, Note, Position

TZ = ZoneInfo("Europe/London")
ACTORS = {a: Actor(a, a.title()) for a in ("ann", "bob", "cy")}
ISSUES = {i: Issue(i, i.title()) for i in ("tax", "war")}
STANCES = {"supports": "Supports", "opposes": "Opposes", "conditional": "Conditional"}
EVIDENCE = {"on-record": "On record", "reported": "Reported"}
VOCABULARY = (STANCES, EVIDENCE, ("supports", "opposes"))


def note(day, *positions, tags=()):
    d = date.fromisoformat(day)
    return Note(
        path=f"{day}.yml",
        date=d,
        time=datetime.combine(d, time(), TZ),
        title=day,
        tags=tags,
        positions=tuple(Position(a, i, s, d) for a, i, s in positions),
    )


def mention(moment, actors=(), issues=()):
    item = FeedItem(id=moment, feed="f", title="t", link="", published=datetime.fromisoformat(moment))
    return Mention(item, actors, issues)


def digest(notes, mentions=()):
    return build(ACTORS, ISSUES, VOCABULARY, notes, mentions, TZ)


def test_standings_carry_the_latest_stance_with_marks_against_the_previous_briefing():
    d = digest([
        note("2025-03-01", ("ann", "tax", "supports")),
        note("2025-03-02", ("ann", "tax", "supports"), ("bob", "war", "opposes")),
        note("2025-03-03", ("ann", "tax", "conditional")),
        note("2025-03-04", ("cy", "war", "supports")),
    ])  # fmt: skip
    first, second, third, fourth = d.briefings
    assert first.standings[("ann", "tax")].mark == "new"
    assert second.standings[("ann", "tax")].mark == ""  # reaffirmed
    assert second.standings[("bob", "war")].mark == "new"
    assert third.standings[("ann", "tax")].mark == "changed"
    assert third.standings[("ann", "tax")].position.stance == "conditional"
    # A briefing shows the standings of its own positions' actors and issues only.
    assert set(second.standings) == {("ann", "tax"), ("bob", "war")}
    assert set(third.standings) == {("ann", "tax")}
    assert set(fourth.standings) == {("cy", "war")} and fourth.standings[("cy", "war")].mark == "new"
    # The whole matrix as it stands now, with the last briefing's marks.
    assert set(d.current) == {("ann", "tax"), ("bob", "war"), ("cy", "war")}
    assert d.current[("bob", "war")].position.date == date(2025, 3, 2)
    assert (d.current[("ann", "tax")].position.stance, d.current[("ann", "tax")].mark) == ("conditional", "")
    assert d.current[("cy", "war")].mark == "new"
    assert [c.mark for c in d.changes_by_actor["ann"]] == ["new", "reaffirmed", "changed"]
    assert [c.position.actor for c in d.changes_by_issue["war"]] == ["bob", "cy"]
    assert [c.mark for c in d.changes_by_pair[("ann", "tax")]] == ["new", "reaffirmed", "changed"]
    assert ("ann", "war") not in d.changes_by_pair


def test_a_move_between_the_opposite_stances_is_a_reversal_and_others_are_changes():
    notes = [
        note("2025-03-01", ("ann", "tax", "supports"), ("bob", "tax", "conditional")),
        note("2025-03-02", ("ann", "tax", "opposes"), ("bob", "tax", "opposes")),
        note("2025-03-03", ("ann", "tax", "supports")),
    ]
    d = digest(notes)
    second, third = d.briefings[1:]
    assert second.standings[("ann", "tax")].mark == "reversed"
    assert second.standings[("ann", "tax")].previous.stance == "supports"
    assert second.standings[("bob", "tax")].mark == "changed"
    assert third.standings[("ann", "tax")].mark == "reversed"
    # A site with no opposite pair calls every move a change.
    plain = build(ACTORS, ISSUES, (STANCES, EVIDENCE, ()), notes, (), TZ)
    assert plain.briefings[1].standings[("ann", "tax")].mark == "changed"


def test_briefings_are_dated_in_the_site_timezone_and_linked_to_neighbours():
    # 23:30 UTC on 31 March is 00:30 on 1 April in London (summer time).
    d = digest([note("2025-03-30")], [mention("2025-03-31T23:30:00+00:00", actors=("bob",))])
    assert [b.date for b in d.briefings] == [date(2025, 3, 30), date(2025, 4, 1)]
    assert (d.briefings[0].previous, d.briefings[0].next) == (None, date(2025, 4, 1))
    assert (d.briefings[1].previous, d.briefings[1].next) == (date(2025, 3, 30), None)


def test_active_actors_come_from_positions_then_tags_then_news():
    day = note("2025-03-01", ("bob", "tax", "supports"), tags=("cy", "war"))
    d = digest([day], [mention("2025-03-01T10:00:00+00:00", actors=("ann", "bob"), issues=("tax",))])
    (briefing,) = d.briefings
    assert briefing.actors == ("bob", "cy", "ann")
    assert d.dates_by_issue == {"tax": (date(2025, 3, 1),), "war": (date(2025, 3, 1),)}
    assert d.dates_by_actor["cy"] == (date(2025, 3, 1),)


def test_no_content_no_briefings():
    d = digest([])
    assert d.briefings == () and d.current == {}


def test_news_items_are_ordered_by_time_within_their_day():
    late, early = (
        mention("2025-03-01T15:00:00+00:00", ("ann",)),
        mention("2025-03-01T09:00:00+00:00", ("bob",)),
    )
    (briefing,) = digest([], [late, early]).briefings
    assert briefing.mentions == (early, late)
    assert briefing.date == datetime(2025, 3, 1, tzinfo=UTC).date()


def test_a_withdrawn_stance_returns_to_no_known_position():
    day1 = note("2025-03-01", ("ann", "tax", "supports"))
    d2 = date(2025, 3, 2)
    day2 = Note(path="w.yml", date=d2, time=datetime.combine(d2, time(), TZ), title="w",
                positions=(Position("ann", "tax", "supports", d2, withdrawn=True),))  # fmt: skip
    first, second = digest([day1, day2]).briefings
    assert ("ann", "tax") in first.standings and ("ann", "tax") not in second.standings
    (gone,) = second.withdrawn
    assert (gone.mark, gone.previous.date) == ("withdrawn", date(2025, 3, 1))
    assert [c.mark for c in digest([day1, day2]).changes_by_actor["ann"]] == ["new", "withdrawn"]


def test_a_briefings_standings_are_the_pairs_it_records_never_their_cross_product():
    d = digest([
        note("2025-03-01", ("ann", "war", "opposes")),
        note("2025-03-02", ("ann", "tax", "supports"), ("bob", "war", "opposes")),
    ])  # fmt: skip
    second = d.briefings[1]
    # ann on war stands (since the 1st) but the day records ann on tax and bob on war only.
    assert list(second.standings) == [("ann", "tax"), ("bob", "war")]
    assert stances_by_issue(d) == [("tax", {"supports": ["ann"]}), ("war", {"opposes": ["ann", "bob"]})]
    assert recorded_with(d, "actor", "ann") == ["tax", "war"] and recorded_with(d, "issue", "tax") == ["ann"]


def test_actor_rows_give_each_active_actor_role_affiliation_positions_and_news_count():
    actors = {**ACTORS, "bob": Actor("bob", "Bob", role="Minister", affiliation="Party")}
    d = build(
        actors,
        ISSUES,
        VOCABULARY,
        [note("2025-03-01", ("ann", "tax", "supports"), ("ann", "war", "opposes"), tags=("bob", "cy"))],
        [
            mention("2025-03-01T09:00:00+00:00", ("bob",)),
            mention("2025-03-01T10:00:00+00:00", ("bob", "ann")),
        ],
        TZ,
    )
    (b,) = d.briefings
    rows = {row[0]: row for row in actor_rows(b, actors)}
    assert [p.issue for p in rows["ann"][3]] == ["tax", "war"] and rows["ann"][4] == 1
    assert rows["bob"][1:] == ("Minister", "Party", (), 2)
    assert rows["cy"][3:] == ((), 0)


def test_news_rows_format_each_item_once_for_the_template():
    item = FeedItem(
        id="1",
        feed="f",
        title="Title",
        link="https://example.org/a",
        published=datetime(2025, 3, 1, 9, 5, tzinfo=UTC),
        summary="<p>one two three four</p>",
        author="Ann",
        publisher="Paper",
    )
    bare = FeedItem(id="2", feed="f", title="T", link="", published=datetime(2025, 3, 1, 23, 59, tzinfo=UTC))
    rows = news_rows([Mention(item, ("ann", "bob"), ("tax",)), Mention(bare, (), ())], excerpt_length=10)
    assert rows[0] == (
        "https://example.org/a",
        "Title",
        "Paper",
        "Ann",
        "2025-03-01T09:05:00+00:00",
        "09:05 UTC",
        "one two…",
        [("actor", "ann"), ("actor", "bob"), ("issue", "tax")],
    )
    assert rows[1] == ("", "T", "", "", "2025-03-01T23:59:00+00:00", "23:59 UTC", "", [])
