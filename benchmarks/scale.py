"""Scale benchmark: a synthetic site of N days built cold, against plain Pelican with as many articles.

    .venv/bin/python benchmarks/scale.py [--days 100 1000 3650] [--density full|light] [--profile DAYS]
                                         [--project DIR] [--work DIR] [--keep]

For each size: 1. write a seeded, reproducible site ending on 2025-12-31 (100 actors, 50 issues,
3 feeds, about 20 positions and 50 archived feed items a day, or 8 and 20 with --density light, a
Markdown note every few days) under
/tmp/scale-bench/days-N/ (or --work), 2. build it cold with the project (fresh output and cache
folders; the repository's settings, theme and plugins; search included), 3. build cold a plain
Pelican site of one Markdown article a day holding the same text (theme `simple`, no plugins),
4. rebuild the project site warm after editing one note, 5. run `invoke check` on it. Every build
runs alone, in a subprocess; its peak RSS is that of its largest process (Pagefind included), from
wait4(). A lock keeps two runs out of one work folder; --project measures a copy of the project
(e.g. `git archive HEAD | tar -x -C DIR`), immune to edits made to this checkout during a run.
Each size's output (gigabytes) is deleted once measured, unless --keep. With --profile DAYS
(and `--days` alone to skip the sizes), the cold project build of that size runs again under
cProfile (/tmp/scale-bench/prof-DAYS.out) and the top functions are printed.
Prints Markdown tables for BENCHMARKS.md. A benchmark, not a test: it asserts nothing.
"""

import argparse
import fcntl
import json
import os
import platform
import pstats
import random
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import unicodedata
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # its .venv runs everything
PROJECT = ROOT  # whose settings, theme and plugins are measured (--project)
WORK = Path("/tmp/scale-bench")
END = date(2025, 12, 31)  # every run ends here, so a seed always gives the same site
STANCES = ("supports", "opposes", "conditional", "unclear")
EVIDENCE = ("official-text", "on-record", "spokesperson", "reported", "anonymous")

import pelican  # noqa: E402

# --- the people, issues and outlets of the synthetic story ---------------------------------------

FIRST = (
    "Anneliese", "Tomasz", "Mireille", "Oleksandr", "Ingrid", "Rafael", "Dorota", "Henrik", "Amara",
    "Giulia", "Mateusz", "Sofía", "Kristjan", "Leontine", "Bogdan", "Hélène", "Viktor", "Astrid",
    "Jonas", "Marta", "Dragoș", "Elif", "Pieter", "Zofia", "Nikolai", "Camille", "Lukas", "Yara",
    "Teodor", "Ilse", "Jiří", "Aurélie", "Kasimir", "Noor", "Stellan", "Renata", "Émile", "Halina",
)  # fmt: skip
SURNAMES = (
    "Okonkwo-Baines", "Varga", "Lindqvist", "Moreau-Delaune", "Castellano", "Brennagh", "Kowalczyk",
    "Haddadin", "Nakashima", "Petrescu", "Van Aalsum", "Oyelaran", "Whitcombe", "Sandoval", "Ferreira",
    "Halvorsen", "Dimitrov", "Kaczmarek", "Albescu", "Rasmussen", "Tkachenko", "Grünewald", "Ostrowski",
    "Mäkinen", "Ivanauskas", "Bergström", "Laurentiu", "Karpenko", "Delacroix-Hale", "Szabó",
    "Vasquez-Orr", "Hrubá", "Janssens", "Kallas-Mere", "Zielińska", "Bonvicini", "Ruszczyk",
    "Marchetti", "Oduya", "Fitzallan", "Sørhaug", "Vukovic", "Ebenholt", "Caradoc", "Ilyushkin",
    "Pärtel", "Andrioti", "Quennell", "Tarasiuk", "Montserrat", "Haverkamp", "Novotná", "Roszak",
    "Esterházy", "Kolářová", "Achterberg", "Dunleavy", "Sarkisian", "Bellweather", "Lemaire-Fox",
    "Ortolani", "Yildirimoglu", "Hakkarainen", "Villiers-Court", "Stromberg", "Przybylski",
    "Adeyemi-Cole", "Tamberlane", "Veselý", "Gallowglass", "Brancusi", "Kettridge", "Oberholzer",
    "Mavridis", "Castlereagh", "Zeller-Munz", "Rydzewski", "Valtonen", "Delgado-Reis", "Mordaunt-Kay",
)  # fmt: skip
ROLES = (
    "Prime Minister", "President", "Foreign Minister", "Defence Minister", "Finance Minister",
    "National Security Adviser", "Special Envoy", "Ambassador to the United Nations", "Chancellor",
    "Leader of the Opposition", "Speaker of Parliament", "Chief of Defence Staff", "Energy Minister",
    "Deputy Prime Minister", "Head of the Presidential Office", "Trade Commissioner",
)  # fmt: skip
COUNTRIES = (
    "United Kingdom", "France", "Germany", "Poland", "Ukraine", "Russia", "United States", "Italy",
    "Spain", "Netherlands", "Sweden", "Finland", "Norway", "Denmark", "Estonia", "Latvia", "Lithuania",
    "Romania", "Hungary", "Slovakia", "Czech Republic", "Turkey", "Canada", "Japan", "Belgium",
    "Austria", "Portugal", "Greece", "European Union", "NATO",
)  # fmt: skip
GOVERNMENTS = (
    ("Polish government", "Poland", ("Warsaw government",)),
    ("German government", "Germany", ("Berlin government", "federal government in Berlin")),
    ("French government", "France", ("Paris government",)),
    ("Ukrainian government", "Ukraine", ("Kyiv government", "government in Kyiv")),
    ("Russian government", "Russia", ("Kremlin",)),
    ("US administration", "United States", ("White House", "Washington administration")),
    ("Hungarian government", "Hungary", ("Budapest government",)),
    ("Turkish government", "Turkey", ("Ankara government",)),
    ("Italian government", "Italy", ("Rome government",)),
    ("Finnish government", "Finland", ("Helsinki government",)),
    ("Romanian government", "Romania", ("Bucharest government",)),
    ("Baltic states", "Estonia, Latvia and Lithuania", ("Baltic governments",)),
)  # fmt: skip
ORGANISATIONS = (
    ("Atlantic Defence Forum", ("ADF",)),
    ("European Reconstruction Bank", ("ERB", "Reconstruction Bank")),
    ("Baltic Energy Agency", ("BEA",)),
    ("International Grain Council", ("Grain Council",)),
    ("Black Sea Shipping Authority", ("BSSA",)),
    ("Eastern Partnership Monitor", ("EPM monitors",)),
    ("Council for Nuclear Safety", ("CNS inspectors",)),
    ("Humanitarian Corridors Office", ("HCO",)),
)  # fmt: skip
ISSUES = (  # title, the question a stance answers, keywords
    (
        "Full ceasefire",
        "Should the fighting stop on all fronts before a settlement?",
        ("ceasefire", "cessation of hostilities"),
    ),
    (
        "Energy-infrastructure truce",
        "Should both sides stop striking energy infrastructure?",
        ("energy infrastructure", "power grid strikes"),
    ),
    (
        "Black Sea corridor",
        "Should shipping in the Black Sea be protected by agreement?",
        ("Black Sea corridor", "safe passage for ships"),
    ),
    (
        "Prisoner exchanges",
        "Should all prisoners of war be exchanged?",
        ("prisoner exchange", "prisoner swap"),
    ),
    (
        "Return of deported children",
        "Should deported children be returned before any deal?",
        ("deported children", "return of children"),
    ),
    (
        "Security guarantees",
        "Should a settlement come with binding security guarantees?",
        ("security guarantees", "security guarantee"),
    ),
    (
        "European reassurance force",
        "Should European troops be deployed after a ceasefire?",
        ("reassurance force", "peacekeepers"),
    ),
    (
        "NATO membership",
        "Should Ukraine be offered a path to NATO membership?",
        ("NATO membership", "NATO accession"),
    ),
    ("EU accession", "Should EU accession talks be accelerated?", ("EU accession", "accession talks")),
    (
        "Territorial concessions",
        "Should territory be ceded in exchange for peace?",
        ("territorial concessions", "ceding territory"),
    ),
    (
        "Frozen assets",
        "Should frozen Russian state assets be used for Ukraine?",
        ("frozen assets", "immobilised assets"),
    ),
    (
        "Sanctions relief",
        "Should sanctions be eased as part of a deal?",
        ("sanctions relief", "easing of sanctions"),
    ),
    (
        "New sanctions package",
        "Should a new package of sanctions be adopted?",
        ("sanctions package", "new sanctions"),
    ),
    ("Oil price cap", "Should the oil price cap be lowered?", ("oil price cap", "price cap")),
    (
        "Minerals agreement",
        "Should a minerals agreement be signed?",
        ("minerals agreement", "minerals deal", "rare earths"),
    ),
    (
        "Reconstruction fund",
        "Should an international reconstruction fund be set up?",
        ("reconstruction fund", "rebuilding fund"),
    ),
    (
        "Air-defence deliveries",
        "Should more air-defence systems be delivered?",
        ("air defence", "interceptor missiles"),
    ),
    (
        "Long-range missiles",
        "Should long-range missiles be supplied and allowed for deep strikes?",
        ("long-range missiles", "deep strikes"),
    ),
    ("Fighter jets", "Should fighter jets be transferred?", ("fighter jets", "combat aircraft")),
    (
        "Defence spending target",
        "Should allies commit to a higher defence spending target?",
        ("defence spending", "spending target"),
    ),
    (
        "Joint defence borrowing",
        "Should Europe borrow jointly to pay for defence?",
        ("joint borrowing", "defence bonds"),
    ),
    (
        "Ammunition production",
        "Should ammunition production be scaled up with public money?",
        ("ammunition production", "shell production"),
    ),
    (
        "Nuclear plant safety zone",
        "Should a safety zone be set up around the occupied nuclear plant?",
        ("nuclear plant", "safety zone"),
    ),
    (
        "Demilitarised zone",
        "Should a demilitarised zone separate the armies?",
        ("demilitarised zone", "buffer zone"),
    ),
    (
        "Monitoring mission",
        "Should an international mission monitor a ceasefire?",
        ("monitoring mission", "ceasefire monitors"),
    ),
    (
        "Special tribunal",
        "Should a special tribunal try the crime of aggression?",
        ("special tribunal", "war crimes tribunal"),
    ),
    ("Amnesty", "Should a settlement include an amnesty?", ("amnesty",)),
    (
        "Wartime elections",
        "Should elections be held before the war ends?",
        ("wartime elections", "snap elections"),
    ),
    (
        "Minority language rights",
        "Should minority language rights be part of a settlement?",
        ("language rights", "minority rights"),
    ),
    (
        "Refugee return",
        "Should refugees be encouraged to return now?",
        ("refugee return", "returning refugees"),
    ),
    (
        "Humanitarian corridors",
        "Should humanitarian corridors be opened in the occupied areas?",
        ("humanitarian corridors", "humanitarian corridor"),
    ),
    ("Grain exports", "Should grain exports be guaranteed by treaty?", ("grain exports", "grain deal")),
    ("Gas transit", "Should gas transit through Ukraine resume?", ("gas transit", "transit agreement")),
    (
        "Intelligence sharing",
        "Should intelligence sharing continue without conditions?",
        ("intelligence sharing",),
    ),
    ("Military aid", "Should military aid continue at the current level?", ("military aid", "aid package")),
    (
        "Leaders' summit",
        "Should the leaders meet face to face before a deal is ready?",
        ("leaders' summit", "face-to-face talks"),
    ),
    ("Third-party mediation", "Should a third country mediate the talks?", ("mediation", "mediator")),
    ("Neutral status", "Should Ukraine adopt a neutral status?", ("neutral status", "neutrality")),
    (
        "Troop withdrawal",
        "Should foreign troops withdraw to the pre-war lines?",
        ("troop withdrawal", "withdrawal of troops"),
    ),
    (
        "Line of contact",
        "Should the current line of contact become a border?",
        ("line of contact", "border demarcation"),
    ),
    ("War reparations", "Should the aggressor pay reparations?", ("reparations", "war reparations")),
    ("Cyber-attack norms", "Should a settlement cover cyber attacks?", ("cyber attacks", "cyberattacks")),
    ("Demining", "Should demining be funded internationally?", ("demining", "mine clearance")),
    (
        "Export controls",
        "Should export controls on dual-use goods be tightened?",
        ("export controls", "dual-use goods"),
    ),
    (
        "LNG imports",
        "Should Europe stop importing liquefied gas from Russia?",
        ("LNG imports", "liquefied natural gas"),
    ),
    (
        "Budget support",
        "Should allies keep paying for Ukraine's budget?",
        ("budget support", "macro-financial assistance"),
    ),
    ("Mobilisation age", "Should Ukraine lower its mobilisation age?", ("mobilisation age", "conscription")),
    (
        "Nuclear deterrence",
        "Should Europe build its own nuclear deterrent?",
        ("nuclear deterrent", "nuclear umbrella"),
    ),
    (
        "Shadow fleet",
        "Should the shadow fleet of tankers be stopped at sea?",
        ("shadow fleet", "tanker inspections"),
    ),
    (
        "Peace conference",
        "Should a peace conference be convened this year?",
        ("peace conference", "peace summit"),
    ),
)
FEEDS = (
    ("world-news-wire", "World News Wire", "https://news.example.org/world/rss.xml", "news.example.org"),
    ("europe-desk", "Europe Desk", "https://europe-desk.example.net/feed.atom", "europe-desk.example.net"),
    (
        "capital-report",
        "The Capital Report",
        "https://capitalreport.example.com/rss",
        "capitalreport.example.com",
    ),
)
CITIES = (
    "London", "Paris", "Berlin", "Warsaw", "Kyiv", "Brussels", "Geneva", "Istanbul", "Helsinki",
    "Vilnius", "Riyadh", "Rome", "Vienna", "Stockholm", "The Hague", "Bucharest", "Oslo", "Madrid",
)  # fmt: skip
AUTHORS = (
    "Amira Holt", "Luc Garnier", "Dana Whitford", "Nora Pell", "Tariq Osei", "Beatrix Lund",
    "Kenji Morrow", "Europe Desk (syndicated)", "Felix Arden", "Priya Castell", "", "",
)  # fmt: skip
PUBLISHERS = ("Reuters-style Wire", "Evening Ledger", "Continental Review", "Harbour Times", "Daily Dispatch")

TITLE_TEMPLATES = (
    "{A} signals support for {kw} ahead of talks in {city}",
    "{A} and {B} clash over {kw} at {city} meeting",
    "{A} says {kw} must come before any wider agreement",
    "Allies press {A} on {kw} as negotiators gather in {city}",
    "{A} rejects calls for {kw}, citing risks to the talks",
    "Officials in {city} expect {A} to back {kw} this week",
    "{A} warns {kw} could collapse without firm commitments from partners",
    "What {A}'s remarks on {kw} mean for the negotiations",
    "{A} to meet {B} in {city} as {kw} dominates the agenda",
    "{A} hints at compromise on {kw} after late-night talks",
    "Pressure grows on {A} over {kw} as deadline nears",
    "{A} calls {kw} a test of Europe's resolve at {city} summit",
)  # fmt: skip
SENTENCES = (
    "{A} told reporters in {city} that {kw} remained the central question of the talks.",
    "Diplomats said the two delegations would meet again on {weekday} to go through the text line by line.",
    "{B} said any agreement on {kw} would have to be verified before it could take effect.",
    "The proposal has not been published, but officials familiar with it said it runs to about {n} pages.",
    "Several governments have asked for more detail on how {kw} would be financed and monitored.",
    "{A}'s office later issued a statement saying the position had not changed.",
    "Critics at home accused {A} of moving too fast, while allies urged patience.",
    "Talks in {city} ended without a joint communiqué, though both sides described them as constructive.",
    "Analysts said the wording on {kw} left room for very different interpretations.",
    "{B} is expected to raise {kw} when ministers gather in {city} next week.",
    "The question of {kw} has divided European capitals since the start of the year.",
    "A spokesperson declined to say whether {A} had spoken to {B} directly.",
    "Officials cautioned that no date had been set for a signing ceremony.",
    "Markets barely moved on the news, which had been widely expected.",
    "Opposition lawmakers demanded a vote before any commitment on {kw} is made.",
)  # fmt: skip
QUOTES = (
    "We will not accept {kw} imposed from outside.", "There can be no lasting peace without {kw}.",
    "Our position on {kw} is clear and has not changed.",
    "{kw} is on the table, but only as part of a wider package.",
    "We are ready to discuss {kw} as soon as the other side is serious.",
    "Nobody should mistake our patience for weakness on {kw}.",
)  # fmt: skip
EDITOR_NOTES = (
    "Said at a press conference after the talks.",
    "Repeated the line given to parliament the previous week.",
    "Set out in a written statement from the ministry.",
    "Made the remarks in an interview with a national broadcaster.",
    "Conditional on a verifiable commitment from the other side.",
    "Appeared to soften an earlier refusal.",
    "A spokesperson later said the remarks were taken out of context.",
)  # fmt: skip
LEADS = (
    "Talks on {kw} dominate as {A} and {B} meet in {city}", "{A} shifts on {kw}; {B} holds firm",
    "A quiet day in {city}, a loud one on {kw}", "{kw}: allies split as {A} sets conditions",
    "{A} and {B} trade proposals on {kw}", "Deadline looms for {kw} as negotiators regroup in {city}",
)  # fmt: skip


def slug(text):
    text = unicodedata.normalize("NFKD", text.replace("ø", "o")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def zipf(n, rng):
    """Weights 1/rank over n ids in a shuffled order: a few prominent actors and hot issues."""
    ranks = list(range(1, n + 1))
    rng.shuffle(ranks)
    return [1 / r for r in ranks]


def folded(key, text, indent):
    """A YAML `key: >-` folded block, the way the sample content writes long text."""
    pad = " " * (indent + 2)
    body = textwrap.fill(text, 96 - len(pad), initial_indent=pad, subsequent_indent=pad)
    return f"{' ' * indent}{key}: >-\n{body}\n"


def q(text):
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


# Positions and news items a day, (fewest, most), by --density: a busy desk, and a light one.
DENSITIES = {"full": ((16, 24), (45, 55)), "light": ((6, 10), (18, 22))}


class Story:
    """The whole synthetic site, made from one seeded random generator."""

    def __init__(self, days, seed, density="full"):
        self.rng = random.Random(seed)
        # Positions and news items a day: (fewest, most).
        self.positions_a_day, self.news_a_day = DENSITIES[density]
        self.days = [END - timedelta(days=n) for n in range(days - 1, -1, -1)]
        self.actors = self._actors()
        self.issues = {
            slug(title): {"title": title, "question": question, "keywords": keywords}
            for title, question, keywords in ISSUES
        }
        self.actor_ids, self.issue_ids = list(self.actors), list(self.issues)
        self.actor_weights = zipf(len(self.actor_ids), self.rng)
        self.issue_weights = zipf(len(self.issue_ids), self.rng)
        self.standing = {}  # (actor, issue) -> stance, to write realistic changes and withdrawals
        self.counts = Counter()

    def _actors(self):
        rng = self.rng
        actors = {}
        surnames = list(SURNAMES)
        rng.shuffle(surnames)
        for surname in surnames[:80]:
            name = f"{rng.choice(FIRST)} {surname}"
            role = rng.choice(ROLES)
            country = rng.choice(COUNTRIES)
            aliases = [surname]
            if role in ("President", "Prime Minister", "Chancellor", "Foreign Minister", "Defence Minister"):
                aliases.append(f"{role} {surname}")
            if "-" in surname:
                aliases.append(surname.split("-")[0] + " " + surname.split("-")[1])
            said = self.sentence(name, "their counterparts", "the talks")
            actors[slug(name)] = {
                "name": name,
                "kind": "person",
                "role": role,
                "affiliation": country,
                "aliases": aliases,
                "links": [f"https://who.example.org/people/{slug(name)}"],
                "description": f"{role} of {country}. {said}",
            }
        for name, country, aliases in GOVERNMENTS:
            said = self.sentence(name, name, "the talks")
            actors[slug(name)] = {
                "name": name,
                "kind": "government",
                "affiliation": country,
                "aliases": list(aliases),
                "links": [f"https://www.{slug(country)}.example.gov/"],
                "description": f"The government of {country}, as a whole. {said}",
            }
        for name, aliases in ORGANISATIONS:
            actors[slug(name)] = {
                "name": name,
                "kind": "organisation",
                "aliases": list(aliases),
                "links": [f"https://{slug(name)}.example.org/"],
                "description": f"An international body. {self.sentence(name, name, 'the talks')}",
            }
        return actors

    def sentence(self, a, b, kw, city=None):
        return self.rng.choice(SENTENCES).format(
            A=a,
            B=b,
            kw=kw,
            city=city or self.rng.choice(CITIES),
            weekday=self.rng.choice(("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")),
            n=self.rng.randint(4, 40),
        )

    def pick_actor(self):
        return self.rng.choices(self.actor_ids, self.actor_weights)[0]

    def pick_issue(self):
        return self.rng.choices(self.issue_ids, self.issue_weights)[0]

    def press_name(self, actor_id):
        a = self.actors[actor_id]
        return self.rng.choice([a["name"], *a["aliases"]])

    def keyword(self, issue_id):
        return self.rng.choice(self.issues[issue_id]["keywords"])

    def paragraph(self, words, a, b, kw):
        out = []
        while sum(len(s.split()) for s in out) < words:
            out.append(self.sentence(a, b, kw))
        return " ".join(out)

    # --- editors' files ---

    def write_briefing_files(self, folder):
        lines = ["# Synthetic actors for the scale benchmark (benchmarks/scale.py); made up.\n\n"]
        for aid, a in self.actors.items():
            lines.append(f"{aid}:\n  name: {q(a['name'])}\n  kind: {a['kind']}\n")
            for key in ("role", "affiliation"):
                if a.get(key):
                    lines.append(f"  {key}: {q(a[key])}\n")
            lines.append("  aliases:\n" + "".join(f"    - {q(x)}\n" for x in a["aliases"]))
            lines.append("  links:\n" + "".join(f"    - {x}\n" for x in a["links"]))
            lines.append(folded("description", a["description"], 2) + "\n")
        (folder / "actors.yml").write_text("".join(lines), encoding="utf-8")
        lines = ["# Synthetic issues for the scale benchmark; made up.\n\n"]
        for iid, i in self.issues.items():
            lines.append(f"{iid}:\n  title: {q(i['title'])}\n  question: {q(i['question'])}\n  keywords:\n")
            lines.append("".join(f"    - {q(k)}\n" for k in i["keywords"]))
            text = f"{i['question']} {self.sentence('the mediators', 'the delegations', i['keywords'][0])}"
            lines.append(folded("description", text, 2) + "\n")
        (folder / "issues.yml").write_text("".join(lines), encoding="utf-8")
        (folder / "feeds.yml").write_text(
            "# Synthetic feeds; never fetched (the archive is generated).\n\n"
            + "".join(
                f"{fid}:\n  title: {title}\n  url: {url}\n  only_matching: true\n\n"
                for fid, title, url, _ in FEEDS
            ),
            encoding="utf-8",
        )

    def positions_of_day(self, count):
        """count positions of distinct (actor, issue) pairs, stances following the story so far."""
        pairs, out = set(), []
        while len(out) < count:
            pair = (self.pick_actor(), self.pick_issue())
            if pair in pairs:
                continue
            pairs.add(pair)
            held = self.standing.get(pair)
            roll = self.rng.random()
            if held and roll < 0.03:
                out.append((*pair, held, True))
                del self.standing[pair]
                continue
            reaffirmed = held and roll < 0.75
            stance = held if reaffirmed else self.rng.choices(STANCES, (4, 4, 2, 1))[0]
            self.standing[pair] = stance
            out.append((*pair, stance, False))
        return out

    def note_text(self, day, positions, markdown):
        rng = self.rng
        a, b = self.press_name(positions[0][0]), self.press_name(positions[-1][0])
        kw = self.keyword(positions[0][1])
        title = rng.choice(LEADS).format(A=a, B=b, kw=kw, city=rng.choice(CITIES))
        title = title[0].upper() + title[1:]
        publishers = rng.sample(PUBLISHERS, min(rng.randint(1, 3), len(positions)))
        sources = [
            (
                f"{slug(p)}-{n}",
                f"{p}: {self.sentence(a, b, kw)[:-1]}",
                f"https://{slug(p)}.example.com/{day:%Y/%m/%d}/{slug(title)[:60]}-{n}",
                p,
            )
            for n, p in enumerate(publishers, start=1)
        ]
        out = []
        if day.day % 7 == 3:
            at = f"{rng.randint(8, 17):02d}:{rng.choice((0, 15, 30, 45)):02d}"
            out.append(f"date: {day.isoformat()}T{at}:00+00:00\n")
        else:
            out.append(f"date: {day.isoformat()}\n")
        out.append(f"title: {q(title)}\n")
        out.append(folded("summary", self.paragraph(45, a, b, kw), 0))
        tags = sorted({p[1] for p in positions[:3]})
        out.append("tags:\n" + "".join(f"  - {t}\n" for t in tags))
        out.append("sources:\n")
        for sid, stitle, url, publisher in sources:
            out.append(
                f"  - id: {sid}\n    title: {q(stitle)}\n    url: {url}\n    publisher: {q(publisher)}\n"
            )
        out.append("positions:\n")
        for n, (actor, issue, stance, withdrawn) in enumerate(positions):
            out.append(f"  - actor: {actor}\n    issue: {issue}\n    stance: {stance}\n")
            # As editors do; not drawn from rng, so the rest of the story is the same as before it.
            out.append(f"    evidence: {EVIDENCE[(n + day.toordinal()) % len(EVIDENCE)]}\n")
            if withdrawn:
                out.append("    withdrawn: true\n")
            elif rng.random() < 0.5:
                said = rng.choice(QUOTES).format(kw=self.keyword(issue))
                out.append(f"    quote: {q(said[0].upper() + said[1:])}\n")
            out.append(f"    source: {sources[n % len(sources)][0]}\n")  # every source cited
            if rng.random() < 0.6:
                out.append(f"    note: {q(rng.choice(EDITOR_NOTES))}\n")
        if rng.random() < 0.005:
            fix = min(day + timedelta(days=rng.randint(0, 2)), END)
            text = q("An earlier version misattributed a quote.")
            out.append(f"corrected:\n  - date: {fix.isoformat()}\n    text: {text}\n")
        self.counts["positions"] += len(positions)
        body = ""
        if markdown:
            paragraphs = [
                self.paragraph(rng.randint(60, 100), f"**{a}**" if i == 0 else a, b, kw)
                for i in range(rng.randint(3, 5))
            ]
            if rng.random() < 0.5:
                paragraphs.insert(
                    2, f"*Background:* [{sources[0][3]}]({sources[0][2]}) has the full text of the statement."
                )
            body = "\n\n".join(textwrap.fill(p, 88) for p in paragraphs) + "\n"
            self.counts["md notes"] += 1
        self.counts["notes"] += 1
        return title, "".join(out), body

    def news_of_day(self, day, count):
        """count archived items, each naming tracked actors and an issue; a few shared or updated."""
        rng = self.rng
        records = []
        for n in range(count):
            fid, _, _, host = rng.choice(FEEDS)
            actor, other, issue = self.pick_actor(), self.pick_actor(), self.pick_issue()
            a, b, kw = self.press_name(actor), self.press_name(other), self.keyword(issue)
            city = rng.choice(CITIES)
            title = rng.choice(TITLE_TEMPLATES).format(A=a, B=b, kw=kw, city=city)
            title = title[0].upper() + title[1:]
            summary = self.paragraph(rng.randint(50, 65), a, b, kw)
            if rng.random() < 0.3:
                summary = summary.replace(kw, f"<strong>{kw}</strong>", 1)
            published = datetime(
                day.year, day.month, day.day, rng.randint(6, 21), rng.randint(0, 59), tzinfo=UTC
            )
            link = f"https://{host}/{day:%Y/%m/%d}/{slug(title)[:70]}-{n}"
            record = {
                "author": rng.choice(AUTHORS),
                "feed": fid,
                "fetched": (published + timedelta(hours=1)).isoformat(),
                "id": f"{fid}-{day.isoformat()}-{n}",
                "link": link,
                "published": published.isoformat(),
                "publisher": dict((f[0], f[1]) for f in FEEDS)[fid],
                "summary": f"<p>{summary}</p>",
                "title": title,
            }
            records.append(record)
            if rng.random() < 0.05:  # the same story from another outlet: merged, its link kept as "also"
                other_feed = next(f for f in FEEDS if f[0] != fid)
                records.append(
                    {
                        **record,
                        "feed": other_feed[0],
                        "publisher": other_feed[1],
                        "id": f"{other_feed[0]}-{day.isoformat()}-{n}",
                        "link": link + "?utm_source=rss",
                    }
                )
            elif rng.random() < 0.01:  # changed at the source: a second line, the latest kept
                records.append(
                    {
                        **record,
                        "title": title + " (updated)",
                        "changed": (published + timedelta(hours=3)).isoformat(),
                    }
                )
        self.counts["archived items"] += len(records)
        return records

    def write(self, site):
        """Write content/ (and nothing else) for every day; return the text of each day for the plain site."""
        content = site / "content"
        if content.exists():
            shutil.rmtree(content)
        for sub in ("briefing", "notes", "archive", "pages"):
            (content / sub).mkdir(parents=True)
        self.write_briefing_files(content / "briefing")
        shutil.copy(PROJECT / "content" / "pages" / "about.md", content / "pages" / "about.md")
        months, plain = defaultdict(list), {}
        for day in self.days:
            rng = self.rng
            positions = self.positions_of_day(rng.randint(*self.positions_a_day))
            markdown = rng.random() < 0.3
            n_notes = rng.randint(2, 4)
            cuts = sorted(rng.sample(range(1, len(positions)), n_notes - 1))
            chunks = [positions[i:j] for i, j in zip([0, *cuts], [*cuts, len(positions)], strict=True)]
            folder = content / "notes" / f"{day:%Y}"
            folder.mkdir(exist_ok=True)
            texts = []
            for k, chunk in enumerate(chunks):
                md = markdown and k == 0
                title, front, body = self.note_text(day, chunk, md)
                name = f"{day.isoformat()}-{slug(title)[:50]}-{k}"
                if md:
                    (folder / f"{name}.md").write_text(f"---\n{front}---\n{body}", encoding="utf-8")
                else:
                    (folder / f"{name}.yml").write_text(front, encoding="utf-8")
                texts.append((title, front, body))
            news = self.news_of_day(day, rng.randint(*self.news_a_day))
            months[f"{day:%Y-%m}"].extend(news)
            plain[day] = (texts, news)
        for month, records in months.items():
            with open(content / "archive" / f"{month}.jsonl", "w", encoding="utf-8") as f:
                f.writelines(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in records)
        last = datetime(END.year, END.month, END.day, 23, 0, tzinfo=UTC).isoformat()
        first = datetime(self.days[0].year, self.days[0].month, self.days[0].day, tzinfo=UTC).isoformat()
        states = {
            fid: {
                "error": "",
                "etag": "",
                "failures": 0,
                "fetch_url": url,
                "first_attempt": first,
                "http_status": 200,
                "items_seen": 20,
                "last_attempt": last,
                "last_modified": "",
                "last_new_item": last,
                "last_success": last,
                "new_items": 3,
                "retry_after": "",
                "rules": "0000000000000000",
                "status": "ok",
                "url": url,
                "warning": "",
            }
            for fid, _, url, _ in FEEDS
        }
        (content / "archive" / "feeds.json").write_text(
            "{\n"
            + ",\n".join(
                f"{json.dumps(k)}: {json.dumps(v, sort_keys=True)}" for k, v in sorted(states.items())
            )
            + "\n}\n",
            encoding="utf-8",
        )
        write_site_conf(site)
        return plain


def write_site_conf(site):
    """The site's pelicanconf.py: the project's own settings, its theme and its plugins."""
    conf, theme, plugins = (str(PROJECT / sub) for sub in ("pelicanconf.py", "themes/briefing", "plugins"))
    (site / "pelicanconf.py").write_text(
        '"""Written by benchmarks/scale.py: the repository\'s settings, theme and plugins."""\n\n'
        "import importlib.util as _util\n\n"
        f"_spec = _util.spec_from_file_location('_repo_pelicanconf', {conf!r})\n"
        "_repo = _util.module_from_spec(_spec)\n_spec.loader.exec_module(_repo)\n"
        "globals().update({k: v for k, v in vars(_repo).items() if k.isupper()})\n\n"
        'PATH = "content"\nOUTPUT_PATH = "output"\nCACHE_PATH = "cache"\n'
        f"THEME = {theme!r}\nPLUGIN_PATHS = [{plugins!r}]\n",
        encoding="utf-8",
    )


def write_plain_site(site, plain):
    """One ordinary Markdown article a day with that day's notes and news as text; Pelican defaults."""
    content = site / "content"
    if content.exists():
        shutil.rmtree(content)
    content.mkdir(parents=True)
    for day, (texts, news) in plain.items():
        title = texts[0][0]
        parts = []
        for k, (note_title, front, body) in enumerate(texts):
            summary = re.search(r"summary: >-\n((?:  .*\n)+)", front).group(1)
            if k:
                parts.append(f"## {note_title}")
            parts.append(textwrap.dedent(summary).strip())
            if body:
                parts.append(body.strip())
        parts.append("## In the news")
        for r in news:
            text = re.sub(r"<[^>]+>", "", r["summary"])
            parts.append(f"- **[{r['title']}]({r['link']})** — {r['publisher']}. {text}")
        tags = ", ".join(
            sorted({t for _, front, _ in texts for t in re.findall(r"^  - ([a-z0-9-]+)$", front, re.M)})[:4]
        )
        folder = content / f"{day:%Y}"
        folder.mkdir(exist_ok=True)
        (folder / f"{day.isoformat()}.md").write_text(
            f"Title: {title}\nDate: {day.isoformat()}\nCategory: Briefings\nTags: {tags}\n"
            f"Slug: {day.isoformat()}\n\n" + "\n\n".join(parts) + "\n",
            encoding="utf-8",
        )
    (site / "pelicanconf.py").write_text(
        '"""Plain Pelican for comparison: its own theme, no plugins, near-default settings."""\n\n'
        'SITENAME = "Plain Pelican"\nSITEURL = ""\nRELATIVE_URLS = True\nTIMEZONE = "Europe/London"\n'
        'DEFAULT_LANG = "en"\nPATH = "content"\nOUTPUT_PATH = "output"\nCACHE_PATH = "cache"\n'
        f"THEME = {str(Path(pelican.__file__).parent / 'themes' / 'simple')!r}\n"
        "PLUGINS = []  # None would load every installed namespace plugin (pelican-sitemap)\n"
        "DEFAULT_PAGINATION = 10\nFEED_MAX_ITEMS = 50\n",
        encoding="utf-8",
    )


# --- measuring ----------------------------------------------------------------------------------


def measured(command, cwd, log, timeout):
    """Run a command alone; return (seconds, peak RSS in bytes of its largest process, exit status)."""
    started = time.perf_counter()
    with open(log, "w") as out:
        process = subprocess.Popen(
            command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - started > timeout:
                os.killpg(process.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(process.pid, 0)
                status = None
                break
            time.sleep(0.05)
    process.returncode = 0  # reaped by wait4 above
    code = None if status is None else os.waitstatus_to_exitcode(status)
    return time.perf_counter() - started, usage.ru_maxrss * 1024, code


def output_stats(folder):
    """HTML pages, and bytes by kind: pages, feeds and sitemap, open data, search index."""
    pages, size = 0, Counter()
    for path, _, files in os.walk(folder):
        for name in files:
            full = os.path.join(path, name)
            n = os.path.getsize(full)
            if os.sep + "pagefind" in full[len(str(folder)) :]:
                size["search"] += n
            elif name.endswith(".html"):
                pages += 1
                size["html"] += n
            elif name.endswith((".xml", ".opml")):
                size["feeds"] += n
            elif name.endswith((".json", ".csv")):
                size["data"] += n
            else:
                size["other"] += n
    return pages, size


def cold(site, command, log, timeout):
    for sub in ("output", "cache"):
        shutil.rmtree(site / sub, ignore_errors=True)
    seconds, rss, code = measured(command, site, log, timeout)
    pages, size = output_stats(site / "output")
    return {"seconds": seconds, "rss": rss, "code": code, "pages": pages, "size": size}


def pelican_command(site):
    return [sys.executable, "-m", "pelican", "-s", str(site / "pelicanconf.py")]


def touch_one_note(site):
    """An editor's small edit: one more sentence at the end of the latest Markdown note."""
    note = max((site / "content" / "notes").rglob("*.md"))
    with open(note, "a", encoding="utf-8") as f:
        f.write("\nThis paragraph was added after publication, to time a warm rebuild.\n")
    return note


def run_size(days, seed, timeout, density):
    base = WORK / f"days-{days}"
    site, plain_site = base / "briefing", base / "plain"
    started = time.perf_counter()
    story = Story(days, seed, density)
    plain = story.write(site)
    write_plain_site(plain_site, plain)
    generated = time.perf_counter() - started
    result = {"days": days, "generated": generated, "counts": dict(story.counts)}
    print(f"[{days} days] site written in {generated:.1f} s: {dict(story.counts)}", file=sys.stderr)
    result["project"] = cold(site, pelican_command(site), base / "project-cold.log", timeout)
    print(f"[{days} days] project cold: {result['project']['seconds']:.1f} s", file=sys.stderr)
    result["briefings"] = (
        sum(1 for _ in (site / "output" / "data" / "briefings").glob("*.json"))
        if (site / "output" / "data" / "briefings").exists()
        else 0
    )
    result["plain"] = cold(plain_site, pelican_command(plain_site), base / "plain-cold.log", timeout)
    print(f"[{days} days] plain cold: {result['plain']['seconds']:.1f} s", file=sys.stderr)
    if result["project"]["code"] == 0:
        touched = touch_one_note(site)
        seconds, rss, code = measured(pelican_command(site), site, base / "project-warm.log", timeout)
        result["warm"] = {"seconds": seconds, "rss": rss, "code": code, "note": touched.name}
        print(f"[{days} days] project warm: {seconds:.1f} s", file=sys.stderr)
    invoke = ROOT / ".venv" / "bin" / "invoke"
    seconds, rss, code = measured(
        [str(invoke), "-r", str(PROJECT), "check"], site, base / "check.log", timeout
    )
    summary = (base / "check.log").read_text(encoding="utf-8").strip().splitlines()
    result["check"] = {
        "seconds": seconds,
        "rss": rss,
        "code": code,
        "summary": summary[-1] if summary else "",
    }
    print(f"[{days} days] check: {seconds:.1f} s, {result['check']['summary']}", file=sys.stderr)
    return result


def profile(days, seed, timeout):
    base = WORK / f"days-{days}"
    site = base / "briefing"
    if not (site / "content").exists():
        Story(days, seed).write(site)
    write_site_conf(site)  # the content may have been written for another --project
    out = WORK / f"prof-{days}.out"
    for sub in ("output", "cache"):
        shutil.rmtree(site / sub, ignore_errors=True)
    command = [
        sys.executable,
        "-m",
        "cProfile",
        "-o",
        str(out),
        "-m",
        "pelican",
        "-s",
        str(site / "pelicanconf.py"),
    ]
    seconds, _, code = measured(command, site, base / "profile.log", timeout)
    print(
        f"\n### cProfile, cold project build, {days} days ({seconds:.1f} s under the profiler, exit {code})\n"
    )
    if code != 0:
        return
    print("A template's root and blocks are generators: their calls count each resumption.\n")
    for key in ("cumulative", "tottime"):
        print(f"Top 25 by {key}:\n\n```")
        stats = pstats.Stats(str(out), stream=sys.stdout)
        stats.strip_dirs().sort_stats(key).print_stats(25)
        print("```\n")
    stats = pstats.Stats(str(out), stream=sys.stdout)
    ours = [str(PROJECT / "plugins" / "briefing"), str(PROJECT / "themes" / "briefing")]
    rows = [
        (ct, tt, nc, _where(file, line, name))
        for (file, line, name), (_, nc, tt, ct, _) in stats.stats.items()
        if any(file.startswith(o) for o in ours)
    ]
    for title, index in (("cumulative", 0), ("own (total)", 1)):
        print(f"The plugin's functions and the theme's templates, by {title} time:\n\n```")
        print(f"{'cumtime':>9} {'tottime':>9} {'calls':>9}  function")
        for ct, tt, nc, where in sorted(rows, key=lambda r: r[index], reverse=True)[:25]:
            print(f"{ct:9.2f} {tt:9.2f} {nc:9d}  {where}")
        print("```\n")


class _AnyName(dict):
    """Filters and tests for compiling templates outside Pelican: any name the theme uses exists."""

    def get(self, key, default=None):
        return super().get(key) or (lambda *args, **kwargs: None)


def _where(file, line, name):
    """file:line(name), and for a compiled template the template line it comes from."""
    where = f"{os.path.relpath(file, PROJECT)}:{line}({name})"
    if not file.endswith(".html"):
        return where
    import jinja2  # noqa: PLC0415 - only to read the profile of templates

    folder, template = os.path.split(file)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(folder), trim_blocks=True, lstrip_blocks=True)
    env.filters, env.tests = _AnyName(env.filters), _AnyName(env.tests)
    try:
        source_line = env.get_template(template).get_corresponding_lineno(line)
        text = Path(file).read_text(encoding="utf-8").splitlines()[source_line - 1].strip()
    except Exception:  # a label only; the raw location is printed anyway
        return where
    return f"{where} = template line {source_line}: {text[:60]}"


def mb(n):
    return f"{n / 1e6:,.1f} MB" if n < 1e9 else f"{n / 1e9:,.2f} GB"


def seconds_text(build):
    if build["code"] is None:
        return "timed out"
    return f"{build['seconds']:.1f} s" + ("" if build["code"] == 0 else f" (exit {build['code']})")


def project_version():
    """The commit measured, and whether plugins/ or themes/ had changes not yet committed."""
    if not (PROJECT / ".git").exists():
        return f"the copy in {PROJECT}"
    git = ["git", "-C", str(PROJECT)]
    commit = subprocess.run(
        [*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout
    dirty = subprocess.run(
        [*git, "status", "--porcelain", "plugins", "themes", "pelicanconf.py"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return (commit.strip() or "unknown") + (
        " with uncommitted changes to the plugin or theme" if dirty else ""
    )


def table(header, rows):
    print("| " + " | ".join(header) + " |")
    print("|" + " --- |" * len(header))
    for row in rows:
        print("| " + " | ".join(str(cell) for cell in row) + " |")
    print()


def per_page(build):
    return build["seconds"] * 1000 / build["pages"] if build["pages"] else float("nan")


def report(results, seed, version, density):
    print(
        f"Scale benchmark, {datetime.now(UTC):%Y-%m-%d}: synthetic sites ending {END}, seed {seed},"
        f" {density} density ({'-'.join(map(str, DENSITIES[density][0]))} positions and"
        f" {'-'.join(map(str, DENSITIES[density][1]))} news items a day);"
    )
    now = project_version()
    print(f"the project at {version}" + ("" if now == version else f" (at {now} by the end)") + ";")
    print(f"Python {platform.python_version()}, Pelican {pelican.__version__},")
    print(f"{platform.machine()} with {os.cpu_count()} cores. Cold builds: fresh output and cache folders.\n")
    table(
        ("days", "briefings", "notes", "positions", "archived items"),
        [
            (r["days"], r["briefings"], f"{r['counts']['notes']} ({r['counts']['md notes']} .md)",
             r["counts"]["positions"], r["counts"]["archived items"])
            for r in results
        ],
    )  # fmt: skip
    rows = []
    for r in results:
        for name in ("project", "plain"):
            b, size = r[name], r[name]["size"]
            parts = " / ".join(mb(size[k]) for k in ("html", "feeds", "data", "search"))
            rows.append((
                r["days"], name, seconds_text(b), b["pages"], f"{per_page(b):.1f}",
                f"{b['seconds'] * 1000 / r['days']:.1f}", mb(b["rss"]), f"{mb(sum(size.values()))}: {parts}",
            ))  # fmt: skip
    table(
        ("days", "site", "cold build", "HTML pages", "ms per page", "ms per day", "peak RSS",
         "output: HTML / feeds / data / search"),
        rows,
    )  # fmt: skip
    rows = []
    for r in results:
        p, b, warm, check = r["project"], r["plain"], r.get("warm"), r["check"]
        rows.append((
            r["days"], f"{p['seconds'] / b['seconds']:.1f}x",
            f"{sum(p['size'].values()) / max(sum(b['size'].values()), 1):.0f}x",
            f"{seconds_text(warm)}, {mb(warm['rss'])}" if warm else "not run",
            f"{seconds_text(check)}, {mb(check['rss'])}", check["summary"],
        ))  # fmt: skip
    table(
        ("days", "project / plain, time", "project / plain, output", "warm rebuild, one note edited",
         "invoke check", "check says"),
        rows,
    )  # fmt: skip
    if len(results) > 1:
        first = results[0]
        print("Growth against the smallest size (× = this size's cost divided by the smallest's):\n")
        rows = []
        for r in results:
            p, b, p0, b0 = r["project"], r["plain"], first["project"], first["plain"]
            rows.append((
                r["days"], f"{r['days'] / first['days']:.0f}",
                f"{p['seconds'] / p0['seconds']:.1f}", f"{b['seconds'] / b0['seconds']:.1f}",
                f"{per_page(p):.1f} ({per_page(p) / per_page(p0):.2f}×)",
                f"{per_page(b):.1f} ({per_page(b) / per_page(b0):.2f}×)",
                f"{mb(p['rss'])} ({p['rss'] / p0['rss']:.1f}×)",
                f"{mb(sum(p['size'].values()) / r['days'])}",
            ))  # fmt: skip
        table(
            ("days", "× days", "× project time", "× plain time", "project ms per page", "plain ms per page",
             "project peak RSS", "project output per day"),
            rows,
        )  # fmt: skip


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--days", type=int, nargs="*", default=[100, 1000, 3650], help="sizes; none with --profile"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--density",
        choices=DENSITIES,
        default="full",
        help="full: about 20 positions and 50 news items a day; light: about 8 and 20",
    )
    parser.add_argument(
        "--work", type=Path, default=Path("/tmp/scale-bench"), help="where sites and outputs go"
    )
    parser.add_argument("--keep", action="store_true", help="keep each size's output (gigabytes)")
    parser.add_argument(
        "--project",
        type=Path,
        default=ROOT,
        help="a copy of the project to measure (e.g. from git archive), so that edits made meanwhile"
        " to this checkout do not change the code halfway through a run",
    )
    parser.add_argument("--timeout", type=float, default=1800, help="seconds any one build may take")
    parser.add_argument(
        "--profile", type=int, metavar="DAYS", help="profile the cold project build of this size"
    )
    args = parser.parse_args()
    global PROJECT, WORK  # set once, before anything reads them
    PROJECT, WORK = args.project.resolve(), args.work.resolve()
    WORK.mkdir(parents=True, exist_ok=True)
    lock = open(WORK / ".lock", "w")  # noqa: SIM115 - held until the process ends
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        sys.exit(f"another scale benchmark is using {WORK}: wait for it, or give another --work")
    version, results = project_version(), []
    for days in sorted(args.days):
        results.append(run_size(days, args.seed, args.timeout, args.density))
        if not args.keep:  # the project's output runs to gigabytes; the content stays, to rebuild
            for sub in ("briefing/output", "briefing/cache", "plain/output", "plain/cache"):
                shutil.rmtree(WORK / f"days-{days}" / sub, ignore_errors=True)
    (WORK / "results.json").write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    if results:
        report(results, args.seed, version, args.density)
    if args.profile:
        profile(args.profile, args.seed, args.timeout)


if __name__ == "__main__":
    main()
