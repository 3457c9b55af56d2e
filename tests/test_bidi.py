"""Right-to-left text from feeds and sources is isolated in <bdi>: in a real Chromium, the site's own
words and times beside it keep their order."""

import json

import pytest
from browsing import chromium, serve, watched_tab
from conftest import build, write

HEBREW = "מערכת החדשות"  # "the news desk"
ARABIC = "وكالة الأنباء"  # "the news agency"
# A right-to-left override and a time written backwards: shown raw, it read "09:00 UTC" beside ours.
FAKE_TIME = f"{HEBREW} \u202eCTU 00:90"
ITEM = {
    "id": "i1", "feed": "wire", "title": f"Ann {HEBREW}", "link": "https://wire.test/1",
    "published": "2025-03-01T10:00:00+00:00", "summary": "", "author": FAKE_TIME, "publisher": ARABIC,
    "fetched": "2025-03-01T12:00:00+00:00",
}  # fmt: skip
NOTE = f"""
    date: 2025-03-01
    title: A day
    sources:
      - {{id: s, url: "https://wire.test/2", title: "{HEBREW}", publisher: "{ARABIC}"}}
    positions:
      - {{actor: ann, issue: tax, stance: supports, source: s}}
"""

# Per news item and source: whether the time sits in a <bdi>, the text outside any <bdi> (the
# site's own), the text inside each, and whether the time is drawn after (right of) all that precedes it.
INSPECT = """() => [...document.querySelectorAll("ul.news li, p.sources, td[data-label=Source]")].map(el => {
  const own = [];
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) if (!walker.currentNode.parentElement.closest("bdi")) own.push(walker.currentNode.data);
  const time = el.querySelector(".news-meta time");
  const before = document.createRange();  // everything of the line before the time
  if (time) { before.setStart(time.parentElement, 0); before.setEndBefore(time); }
  return {
    own: own.join(""),
    isolated: [...el.querySelectorAll("bdi")].map(b => b.textContent),
    timeInBdi: !!(time && time.closest("bdi")),
    timeAfter: !time || Math.min(...[...time.getClientRects()].map(r => r.left))
      >= Math.max(...[...before.getClientRects()].map(r => r.right)) - 0.5,
  };
})"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    base = tmp_path_factory.mktemp("bidi")
    write(base, {
        "content/briefing/actors.yml": "ann:\n  name: Ann\n",
        "content/briefing/issues.yml": "tax:\n  title: Tax\n",
        "content/briefing/feeds.yml": f'wire: {{title: "{HEBREW}", url: "https://wire.test/feed"}}\n',
        "content/archive/2025-03.jsonl": json.dumps(ITEM, ensure_ascii=False) + "\n",
        "content/notes/day.yml": NOTE,
    })  # fmt: skip
    with serve(build(base / "content", base / "output", BRIEFING_SEARCH=False)) as url:
        yield url


def test_feed_and_source_text_is_isolated_and_the_time_keeps_its_place(site):
    with chromium() as browser, watched_tab(browser) as (tab, _, _):
        tab.goto(site + "briefings/2025/03/01/")
        note_sources, position_source, news = tab.evaluate(INSPECT)  # in the order of the page
        assert news["isolated"] == [f"Ann {HEBREW}", ARABIC, f"{HEBREW} CTU 00:90"]  # the override gone
        assert news["own"].replace(" ", "").replace("\n", "") == ",·10:00UTCMentions:Ann"
        assert not news["timeInBdi"] and news["timeAfter"], news
        for source in (note_sources, position_source):
            assert source["isolated"] == [HEBREW, ARABIC], source
        tab.goto(site + "sources/")
        feed_title = tab.locator("th[scope=row] bdi").first.text_content()
        assert feed_title == HEBREW
