"""Bad inputs for the whole public API, one row per case (see ``tests/test_bad_inputs.py``).

Each ``rows_<area>.py`` module holds ``ROWS``, a list of :class:`Bad`: the call with the bad
input, the exception type the validation policy asks for (``graphcourse/_validate.py``) and a
fragment of the message. ``covers`` names the public function or class the row exercises, as
``module:name`` (``"graphcourse.metrics:accuracy"``); a public name without a row fails
``test_every_public_name_has_a_row``. Chapters 05-09 add their rows in files of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Bad:
    """One bad-input case: ``call()`` must raise ``error`` with ``match`` in its message."""

    covers: str            # "graphcourse.metrics:accuracy"
    case: str              # what is wrong, in a few words: "index mask instead of bool mask"
    call: Callable[[], Any]
    error: type[BaseException]
    match: str             # a regular expression searched in the message
