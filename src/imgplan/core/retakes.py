"""The USMLE rules on sitting a Step again, as the planner and the checks apply them.

Pure: the rules (``Rules.retakes``, ``Rules.steps_window`` and the ``usmle_attempt_limit``
threshold, all data) and the days of a person's sittings in; the first day a next sitting is
allowed, or that none is, out.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from imgplan.core.datatype import datatype
from imgplan.core.rules import Retakes, Rules


@datatype(frozen=True)
class NextSitting:
    """When the next sitting of a Step may be: ``allowed`` False when no further one is."""

    allowed: bool
    earliest: date | None  # the first day allowed; None: no rule holds it back
    reason: str


def next_sitting(rules: Rules, sittings: Sequence[date], attempts: int) -> NextSitting:
    """What the rules say of the next sitting, after the dated ``sittings`` (oldest first) and
    ``attempts`` in all (the undated ones of an older profile included)."""
    limit = rules.thresholds.get("usmle_attempt_limit")
    if limit is not None and isinstance(limit.value, int) and attempts >= limit.value:
        return NextSitting(False, None, f"{attempts} attempts reach the USMLE limit of "
                                        f"{limit.value}: no further attempt is allowed")
    if rules.retakes is None or not sittings:
        return NextSitting(True, None, "")
    return _spaced(rules.retakes, sorted(sittings), attempts + 1)


def _spaced(rule: Retakes, days: list[date], attempt: int) -> NextSitting:
    bounds: list[tuple[date, str]] = []
    if len(days) >= rule.most_within:
        # the next sitting may not make most_within + 1 inside one period
        bounds.append((rule.within.after(days[-rule.most_within]),
                       f"at most {rule.most_within} sittings of a Step within "
                       f"{rule.within.spoken}"))
    if attempt >= rule.spaced_from:
        bounds.append((rule.after_first.after(days[0]),
                       f"attempt {attempt} must be {rule.after_first.spoken} after the first "
                       f"({days[0]})"))
        bounds.append((rule.after_last.after(days[-1]),
                       f"attempt {attempt} must be {rule.after_last.spoken} after the most recent "
                       f"({days[-1]})"))
    if not bounds:
        return NextSitting(True, None, "")
    earliest, reason = max(bounds, key=lambda bound: bound[0])
    return NextSitting(True, earliest, f"USMLE rule: {reason}")


def steps_window_ends(rules: Rules, first_pass: date) -> date | None:
    """ECFMG's last day to pass the remaining Steps, once one was passed on ``first_pass``."""
    if rules.steps_window is None:
        return None
    return rules.steps_window.length.after(first_pass)
