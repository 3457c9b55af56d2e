"""Pure: stance timelines as inline SVG, drawn at build time, each with a text alternative."""

from datetime import timedelta
from html import escape

WIDTH, HEIGHT = 600, 18


def timeline(changes, start, end, stances, title, chart_id):
    """A strip from `start` to `end`: one coloured band per stance held, from its date to the next.

    `changes` are one actor's positions on one issue, oldest first; a reaffirmed stance continues
    its band. The chart says in words what it draws: in its title and desc for screen readers,
    and again visibly beneath, so no reader depends on telling colours apart.
    """
    runs = []  # (stance, or None once withdrawn; first date), a new run at each change
    for change in changes:
        stance = None if change.position.withdrawn else change.position.stance
        if not runs or runs[-1][0] != stance:
            runs.append((stance, change.position.date))
    span = max((end - start).days + 1, 1)

    def x(day):
        return round((day - start).days / span * WIDTH, 2)

    bands, words = [], []
    for i, (stance, since) in enumerate(runs):
        until = runs[i + 1][1] if i + 1 < len(runs) else end + timedelta(days=1)
        label = f"{stances[stance] if stance else 'No known position (withdrawn)'} from {since:%-d %B %Y}"
        words.append(label)
        if stance is None:
            continue  # the background already shows no known position
        width = max(x(until) - x(since), 2)  # a one-day stance at the end still shows
        bands.append(
            f'<rect class="band band-{escape(stance)}" x="{x(since)}" y="0" width="{width}"'
            f' height="{HEIGHT}"><title>{escape(label)}</title></rect>'
        )
    desc = "; ".join(words) + "." if words else "No known position."
    return (
        f'<svg class="timeline" viewBox="0 0 {WIDTH} {HEIGHT}" preserveAspectRatio="none" role="img"'
        f' aria-labelledby="{chart_id}-t {chart_id}-d"><title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>'
        f'<rect class="band band-none" x="0" y="0" width="{WIDTH}" height="{HEIGHT}"/>{"".join(bands)}</svg>'
        f'<span class="timeline-words" aria-hidden="true">{escape(desc)}</span>'
    )
