"""Pure: stance timelines as numbers, which the theme draws as inline SVG (macros.html,
timeline_chart), each with a text alternative."""

from dataclasses import dataclass
from datetime import timedelta

WIDTH, HEIGHT = 600, 18


@dataclass(frozen=True)
class Band:
    stance: str
    x: float
    width: float
    label: str  # what it shows, in words


@dataclass(frozen=True)
class Timeline:
    bands: tuple[Band, ...]
    desc: str  # what the whole strip shows, in words
    width: int = WIDTH
    height: int = HEIGHT


def timeline(changes, start, end, stances, evidence_words):
    """A strip from `start` to `end`: one band per stance held, from its date to the next.

    `changes` are one actor's positions on one issue, oldest first; a reaffirmed stance continues
    its band, which says what its latest position rests on (`evidence_words(id)`). The
    chart says in words what it draws (desc): the theme puts it in its title and desc for screen
    readers, and again visibly beneath, so no reader depends on telling colours apart.
    """
    runs = []  # (stance, or None once withdrawn; first date; evidence), a new run at each change
    for change in changes:
        stance = None if change.position.withdrawn else change.position.stance
        if not runs or runs[-1][0] != stance:
            runs.append((stance, change.position.date, change.position.evidence))
        else:  # a restatement: what the stance rests on now
            runs[-1] = (stance, runs[-1][1], change.position.evidence)
    span = max((end - start).days + 1, 1)

    def x(day):
        return round((day - start).days / span * WIDTH, 2)

    bands, words = [], []
    for i, (stance, since, rests_on) in enumerate(runs):
        until = runs[i + 1][1] if i + 1 < len(runs) else end + timedelta(days=1)
        label = f"{stances[stance] if stance else 'No known position (withdrawn)'} from {since:%-d %B %Y}"
        if stance:
            label += f" ({evidence_words(rests_on)})"
        words.append(label)
        if stance is not None:  # else the background already shows no known position
            # max: a one-day stance at the end still shows
            bands.append(Band(stance, x(since), max(x(until) - x(since), 2), label))
    return Timeline(tuple(bands), "; ".join(words) + "." if words else "No known position.")
