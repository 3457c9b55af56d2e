"""Sources that outlive link rot on the pages: every cited source has its archived copy, and one
that invoke check-links found dead leads with the copy and says since when."""

from datetime import UTC, datetime, timedelta

from conftest import build, write

from briefing.ingest import links

DEAD = "https://gone.test/story"
ALIVE = "https://alive.test/story"


def site(folder):
    write(folder, {
        "content/briefing/actors.yml": "ann:\n  name: Ann\n",
        "content/briefing/issues.yml": "tax:\n  title: Tax\n",
        "content/briefing/feeds.yml": "",
        "content/notes/a.yml": f"""\
            date: 2025-03-02
            title: A
            sources:
              - {{id: gone, url: "{DEAD}", title: Gone story, publisher: Wire}}
              - {{id: alive, url: "{ALIVE}", title: Alive story}}
            positions:
              - {{actor: ann, issue: tax, stance: supports, evidence: on-record, source: gone}}
        """,
        "content/notes/b.yml": "date: 2025-03-09\ntitle: B\n",
    })  # fmt: skip
    return folder


def checked(folder, failures):
    """links.json as invoke check-links leaves it after `failures` failed checks of DEAD."""
    state, start = links.LinkState(), datetime(2026, 11, 2, 6, tzinfo=UTC)
    for week in range(failures):
        state = links.after(state, "failed", start + timedelta(weeks=week), 404, "HTTP 404")
    ok = links.after(links.LinkState(), "ok", start, 200)
    links.save(str(folder / "content" / "archive"), {DEAD: state, ALIVE: ok})


def render(folder, output="out"):
    out = build(folder / "content", folder / output, CACHE_CONTENT=True, CACHE_PATH=str(folder / "cache"))
    return {
        name: (out / name / "index.html").read_text(encoding="utf-8")
        for name in ("briefings/2025/03/02", "briefings/2025/03/09", "actors/ann", "issues/tax")
    }


def test_every_source_has_its_archived_copy_as_of_the_day_it_was_cited(tmp_path):
    pages = render(site(tmp_path))
    day = pages["briefings/2025/03/02"]
    assert f'<a class="archived" href="https://web.archive.org/web/20250302/{ALIVE}"' in day
    assert f'<a class="archived" href="https://web.archive.org/web/20250302/{DEAD}"' in day
    assert "link dead since" not in day


def test_a_source_dead_on_enough_checks_in_a_row_leads_with_its_copy(tmp_path):
    folder = site(tmp_path)
    checked(folder, 2)  # failing, not yet dead (BRIEFING_LINKS_DEAD_AFTER is 3)
    before = render(folder, "out1")
    assert "link dead since" not in before["briefings/2025/03/02"]
    checked(folder, 3)
    after = render(folder, "out2")  # warm: the cache knows every page, but the link died
    copy = f"https://web.archive.org/web/20250302/{DEAD}"
    for name in ("briefings/2025/03/02", "actors/ann", "issues/tax"):
        assert (
            f'<a href="{copy}" rel="noopener noreferrer nofollow"><bdi>Gone story</bdi> (archived copy)</a>'
            in (after[name])
        ), name
        assert '<span class="dead">link dead since 2 November 2026</span>' in after[name]
        assert f'(<a href="{DEAD}" rel="noopener noreferrer nofollow">original address' in after[name]
    # A page that cites neither is the same file as before.
    assert after["briefings/2025/03/09"] == before["briefings/2025/03/09"]
    assert (
        f'<a href="{ALIVE}" rel="noopener noreferrer nofollow"><bdi>Alive story</bdi></a>'
        in after["briefings/2025/03/02"]
    )
