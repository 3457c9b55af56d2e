"""Full-text search: Pagefind indexes the written site, as the last step of the build."""

import logging
import subprocess
import sys

logger = logging.getLogger(__name__)


def index(pelican):
    """Run Pagefind over OUTPUT_PATH; a failure is a warning, as search only enhances the site."""
    if not pelican.settings["BRIEFING_SEARCH"]:
        return
    command = [sys.executable, "-m", "pagefind", "--site", pelican.output_path]
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    except (OSError, subprocess.TimeoutExpired) as e:
        logger.warning("briefing: search index not built: %s", e)
        return
    if run.returncode != 0:
        logger.warning(
            "briefing: search index not built (pagefind: %s)", (run.stderr or run.stdout).strip()[-500:]
        )
