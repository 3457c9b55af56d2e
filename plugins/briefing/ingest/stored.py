"""What the ingest keeps in the archive folder beside the items (each feed's state, each cited
address's): JSON objects read back safely, every field of its type, a damaged file a problem
naming the task that writes it, never an exception."""

import json
import os
from dataclasses import fields

from ..core import safefile
from ..core.problems import ContentError, Problem


def load(path, root, problems, parse, what, task):
    """{key: parse(entry)} of the JSON object at `path`; {} when there is none yet, or when it is
    damaged (a problem: `what` cannot be read, restore it; `task` writes it)."""
    if not os.path.lexists(path):
        return {}
    try:
        with safefile.open_file(path, root, safefile.DATA_MAX_BYTES) as f:
            data = json.load(f)
        return {key: parse(entry) for key, entry in data.items()}
    except ContentError as e:
        problems.extend(e.problems)
    except (ValueError, TypeError, AttributeError, RecursionError) as e:
        problems.append(
            Problem(
                os.path.relpath(path, root),
                None,
                f"{what} cannot be read ({e})",
                f"restore it from git; it is written by `invoke {task}`",
            )
        )
    return {}


def typed(cls, entry, readers=None):
    """A `cls` (a dataclass whose fields all have defaults) from a JSON object: each field of its
    default's type, or read by `readers[name]`, which raises ValueError on a wrong value."""
    values = {}
    for f in fields(cls):
        value = entry.get(f.name, f.default)
        if readers and f.name in readers:
            value = readers[f.name](value)
        elif type(value) is not type(f.default):
            raise ValueError(f"'{f.name}' should be {type(f.default).__name__}, not {value!r}")
        values[f.name] = value
    return cls(**values)
