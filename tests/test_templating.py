"""templating.once: a small macro's output by argument, rendered on first use, per page address."""

import jinja2

from briefing.site import templating

MACROS = (
    '{% macro link(id) %}{% set _ = calls.append(id) %}<a href="{{ SITEURL }}/{{ id }}">{{ id }}</a>'
    "{% endmacro %}"
    "{% set links = once('link') %}"
)
PAGE = (
    "{% import 'macros.html' as m with context %}{{ m.links['a'] }} {{ m.links['<b>'] }} {{ m.links['a'] }}"
)


def environment():
    env = jinja2.Environment(
        loader=jinja2.DictLoader({"macros.html": MACROS, "page.html": PAGE}), autoescape=True
    )
    env.globals["once"] = templating.once()
    return env


def test_each_output_is_rendered_once_a_build_for_each_page_address():
    env, calls = environment(), []
    page = env.get_template("page.html")
    first = page.render(SITEURL="..", calls=calls)
    assert first == '<a href="../a">a</a> <a href="../&lt;b&gt;">&lt;b&gt;</a> <a href="../a">a</a>'
    assert page.render(SITEURL="..", calls=calls) == first
    assert calls == ["a", "<b>"]
    # Another address, or a body rendered for the feeds, is another set of outputs.
    assert page.render(SITEURL="../..", calls=calls).startswith('<a href="../../a">')
    page.render(SITEURL="..", in_content=True, calls=calls)
    assert calls == ["a", "<b>", "a", "<b>", "a", "<b>"]


def test_each_build_renders_afresh():
    calls = []
    for _ in range(2):
        environment().get_template("page.html").render(SITEURL="", calls=calls)
    assert calls == ["a", "<b>", "a", "<b>"]
