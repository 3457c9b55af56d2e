"""Where a site's content is, and its feeds, actors and issues as the build and the fetch both read them."""

import os

from . import content


def locations(settings):
    """The content folder, the site root (content's parent) and the archive folder."""
    path = os.path.abspath(settings["PATH"])
    # Messages name files from the site root, as the repository shows them: content/notes/...
    return path, os.path.dirname(path), os.path.join(path, settings["BRIEFING_ARCHIVE_DIR"])


def load_feeds(settings, problems):
    path, root, _ = locations(settings)
    return content.read_feeds(os.path.join(path, settings["BRIEFING_DATA_DIR"], "feeds.yml"), problems, root)


def load_tracked(settings, problems):
    """The actors and issues, as (actors, issues)."""
    path, root, _ = locations(settings)
    data = os.path.join(path, settings["BRIEFING_DATA_DIR"])
    actors = content.read_actors(os.path.join(data, "actors.yml"), problems, root)
    return actors, content.read_issues(os.path.join(data, "issues.yml"), problems, root)
