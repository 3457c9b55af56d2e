"""Rendering small macros once: a briefing prints each actor's link, each stance, dozens of times."""

import jinja2


class _Outputs(dict):
    """A one-argument macro's output by argument, each rendered on first use."""

    def __init__(self, macro):
        super().__init__()
        self.macro = macro

    def __missing__(self, arg):
        self[arg] = output = self.macro(arg)
        return output


def once():
    """A template global: once('macro') maps an argument to that macro's output, rendered on first use only.

    `{% set links = once('actor_link') %}...{{ links[id] }}` costs a dict lookup a link, where a call
    costs a macro's or a function's. A macro read through it may read only its argument and what is
    the same for every page of a build, apart from in_content and SITEURL, which are part of the key.
    One per build: made where the generator's environment is.
    """
    done = {}

    @jinja2.pass_context
    def outputs(context, name):
        key = (context.name, name, context.get("in_content"), context.get("SITEURL"))
        if key not in done:
            done[key] = _Outputs(context.resolve(name))
        return done[key]

    return outputs
