"""The BRIEFING_* settings: each default given as a copy, and every value that cannot work refused
with the setting's name."""

import pytest

from briefing.site import settings
from briefing.site.settings import DEFAULTS, complete, validate


def test_a_build_gets_copies_of_the_defaults():
    first, second = {}, {}
    complete(first)
    first["BRIEFING_STANCES"]["leans-yes"] = "Leans yes"
    complete(second)
    assert "leans-yes" not in second["BRIEFING_STANCES"] and "leans-yes" not in DEFAULTS["BRIEFING_STANCES"]


def test_a_sites_own_values_are_kept():
    config = {"BRIEFING_STANCES": {"yes": "Yes"}, "BRIEFING_EXCERPT_LENGTH": 100}
    complete(config)
    assert config["BRIEFING_STANCES"] == {"yes": "Yes"} and config["BRIEFING_EXCERPT_LENGTH"] == 100


def test_a_vocabulary_of_its_own_keeps_what_fits_of_the_defaults_that_name_ids():
    config = {
        "BRIEFING_STANCES": {"yes": "Yes", "no": "No"},
        "BRIEFING_EVIDENCE": {"filed": "Filed", "reported": "R"},
    }
    complete(config)
    assert config["BRIEFING_OPPOSITE_STANCES"] is None
    assert config["BRIEFING_EVIDENCE_UNCONFIRMED"] == ("reported",)
    # Given, they are the site's word, and checked.
    with pytest.raises(ValueError, match="BRIEFING_OPPOSITE_STANCES must be two stance ids"):
        complete({"BRIEFING_STANCES": {"yes": "Yes"}, "BRIEFING_OPPOSITE_STANCES": ("supports", "opposes")})


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("BRIEFING_STANCE", {}, "BRIEFING_STANCE: unknown setting"),
        ("BRIEFING_STANCES", {}, "BRIEFING_STANCES must be a non-empty mapping"),
        ("BRIEFING_STANCES", ["supports"], "BRIEFING_STANCES must be a non-empty mapping"),
        ("BRIEFING_STANCES", {"Not An Id": "x"}, "BRIEFING_STANCES: 'Not An Id' must be an id"),
        ("BRIEFING_STANCES", {"yes": 1}, "BRIEFING_STANCES: 'yes' must be an id mapped to a label"),
        ("BRIEFING_ACTOR_URL", "actors/{id}", "BRIEFING_ACTOR_URL must end with '/'"),
        ("BRIEFING_PAGE_TEMPLATES", "page", "BRIEFING_PAGE_TEMPLATES must be a non-empty list"),
        ("BRIEFING_PAGE_TEMPLATES", (), "BRIEFING_PAGE_TEMPLATES must be a non-empty list"),
        ("BRIEFING_EXCERPT_LENGTH", 0, "BRIEFING_EXCERPT_LENGTH must be a positive number, not 0"),
        ("BRIEFING_FETCH_TIMEOUT", True, "BRIEFING_FETCH_TIMEOUT must be a positive number, not True"),
        ("BRIEFING_FETCH_WORKERS", "16", "BRIEFING_FETCH_WORKERS must be a positive number, not '16'"),
        ("BRIEFING_FETCH_RETRIES", -1, "BRIEFING_FETCH_RETRIES must be a whole number, 0 or more"),
        ("BRIEFING_FETCH_MAX_REDIRECTS", 1.5, "BRIEFING_FETCH_MAX_REDIRECTS must be a whole number"),
        ("BRIEFING_EVIDENCE", {"On Record": "x"}, "BRIEFING_EVIDENCE: 'On Record' must be an id"),
        ("BRIEFING_EVIDENCE_UNCONFIRMED", ("rumour",), "BRIEFING_EVIDENCE_UNCONFIRMED must be a list of ids"),
        (
            "BRIEFING_SCORECARD_ACTORS",
            0,
            "BRIEFING_SCORECARD_ACTORS must be a whole number above 0, or a list",
        ),
        ("BRIEFING_SCORECARD_ISSUES", None, "BRIEFING_SCORECARD_ISSUES must be a whole number above 0, or"),
        ("BRIEFING_SCORECARD_ISSUES", 2.5, "BRIEFING_SCORECARD_ISSUES must be a whole number above 0, or"),
        ("BRIEFING_SCORECARD_ACTORS", ["Not An Id"], "BRIEFING_SCORECARD_ACTORS must be a whole number"),
        (
            "BRIEFING_FULL_SCORECARD_ACTORS",
            2.5,
            "BRIEFING_FULL_SCORECARD_ACTORS must be a whole number above 0, not",
        ),
        ("BRIEFING_FULL_SCORECARD_ISSUES", ["tax"], "BRIEFING_FULL_SCORECARD_ISSUES must be a whole number"),
        ("BRIEFING_STANCES", {"yes": " "}, "BRIEFING_STANCES: 'yes' must be an id mapped to a label"),
        (
            "BRIEFING_STANCE_SYMBOLS",
            {"supports": "S", "opposes": "S"},
            "BRIEFING_STANCE_SYMBOLS: two stances",
        ),
        ("BRIEFING_STANCE_SYMBOLS", {"supports": ""}, "BRIEFING_STANCE_SYMBOLS must map stance ids"),
    ],
)
def test_a_value_that_cannot_work_is_refused_by_name(name, value, message):
    config = {name: value}
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(").replace("[", r"\[")):
        complete(config)


def test_the_defaults_pass():
    config = {}
    complete(config)
    validate(config)
    assert config.keys() == DEFAULTS.keys() and settings.url_for(config, "actor", "x") == "actors/x/"
