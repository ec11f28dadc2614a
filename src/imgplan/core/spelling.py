"""Ids as people type them: "Internal Medicine", "J-1", "H1B", "Step 1", "booked".

imgplan's ids are short and exact (``internal_medicine``, ``j1``, ``step1``, ``scheduled``),
but a person types the words they read: in the seeds' guides, on ECFMG's and NRMP's pages,
in imgplan's own tables and help ("an exam booked"). Found by a new user: the interactive
``init`` took "Internal Medicine", while ``--specialty "Internal Medicine"``, ``--visa J-1``
and ``mark "Step 1" booked`` were refused. Each reader here takes an id, or the same words
spelled another way (case, spaces, hyphens, underscores, dots, slashes), or a known synonym,
and gives the id; anything else is left to the caller to refuse with the known ids.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_SEPARATORS = re.compile(r"[\s\-_./]+")

# Words for a status that mean one of imgplan's (the help says "an exam booked").
STATUS_WORDS = {
    "booked": "scheduled", "scheduled": "scheduled", "registered": "scheduled",
    "pass": "passed", "passed": "passed", "fail": "failed", "failed": "failed",
    "incomplete": "incomplete", "inprogress": "in_progress", "started": "in_progress",
    "underway": "in_progress", "ongoing": "in_progress", "done": "done",
    "complete": "done", "completed": "done", "finished": "done",
    "matched": "matched", "unmatched": "unmatched",
}


def folded(text: str) -> str:
    """``text`` without case or separators: "Step 2 CK", "step-2-ck" and "STEP2CK" alike."""
    return _SEPARATORS.sub("", text.strip().lower())


def one_of(text: str, ids: Iterable[str], *, names: dict[str, Iterable[str]] | None = None
           ) -> str | None:
    """The id ``text`` means: an id itself, one spelled another way, or (``names``: the words
    each id is shown as) one of its names; None when it means none, or more than one."""
    ids = list(ids)
    if text in ids:
        return text
    wanted = folded(text)
    if not wanted:
        return None
    found = {item for item in ids if folded(item) == wanted}
    if not found and names:
        found = {item for item, words in names.items()
                 if any(folded(word) == wanted for word in words)}
    return found.pop() if len(found) == 1 else None


def nearest(text: str, ids: Iterable[str], count: int = 3) -> list[str]:
    """The ids closest to ``text`` typed any way, closest first: what a refusal suggests."""
    from difflib import get_close_matches

    by_fold = {folded(item): item for item in ids}
    return [by_fold[found] for found in get_close_matches(folded(text), list(by_fold),
                                                          n=count, cutoff=0.75)]


def suggestion(text: str, ids: Iterable[str]) -> str:
    """" (did you mean step1?)" for a refusal, or "" when nothing is near."""
    close = nearest(text, ids)
    return f" (did you mean {' or '.join(close)}?)" if close else ""


def visa_route(text: str, routes: Iterable[str]) -> str | None:
    """"J-1", "j1", "H-1B", "H1B" as the route ids."""
    return one_of(text, routes)


def status(text: str) -> str:
    """A status as imgplan's word for it ("booked" is "scheduled"); unknown words as typed,
    for the caller to refuse with the known ones."""
    return STATUS_WORDS.get(folded(text), text)
