"""Rendering small macros once: a briefing prints each actor's link, each stance, dozens of times."""

import jinja2


def once():
    """A template global: once('macro', *args) is that macro's output, rendered on first use only.

    A macro called through it may read only its arguments and what is the same for every page of a
    build, apart from in_content and SITEURL, which are part of the key. One per build: made where
    the generator's environment is.
    """
    done = {}

    @jinja2.pass_context
    def call(context, name, *args):
        key = (context.name, name, args, context.get("in_content"), context.get("SITEURL"))
        if key not in done:
            done[key] = context.resolve(name)(*args)
        return done[key]

    return call
