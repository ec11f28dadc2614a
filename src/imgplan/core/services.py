"""Application services: which one a person applies through, and the rules as they read for it.

Emergency Medicine applies through ResidencyCAS from Match 2026, OB/GYN from Match 2025 and
Plastic Surgery through the PSCA (data/specialties.yaml, with sources); every other specialty
through ERAS. A service has its own key dates, which stand in for ERAS's (``stands_for`` in
data/rules.yaml), its own deadlines, and its own words for the application stage. Pure: the
rules and a service id in, the rules as that service's applicant meets them out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

from imgplan.core.datatype import datatype
from imgplan.core.rules import Deadline, KeyDateRule, RelativeRule, Rules, Service, Stage, Window

# for_service is called for every Match year the earliest-feasible search plans: the rules are
# read-only (imgplan.core.rules), so one specialised copy per (rules, service) serves them all.
# The rules object is kept beside its copy so that its id cannot be reused while cached.
_SPECIALISED: dict[tuple[int, str], tuple[Rules, Rules]] = {}
_Anchor = Callable[[str | None], str | None]


@datatype(frozen=True)
class Applying:
    """The person's specialty and the services it applies through, by Match year."""

    specialty: str  # its name, as a person reads it
    # the first Match year each service applies from (0: from the first one imgplan plans)
    # -> its id, None where the data does not say
    by_year: Mapping[int, str | None]


@datatype(frozen=True)
class ServiceChoice:
    """The service a person applies through for one Match, and why."""

    service: Service | None  # None: the data does not say which service (planned as ERAS)
    specialty: str | None  # the specialty's name; None when none is recorded


def for_service(rules: Rules, service_id: str) -> Rules:
    """``rules`` as they read for a person applying through ``service_id``: only its own key
    dates and deadlines, its dates in place of the ERAS dates they stand for, and its words for
    the application stage. Rules without services are returned as they are."""
    if not rules.services:
        return rules
    kept = _SPECIALISED.get((id(rules), service_id))
    if kept is not None:
        return kept[1]
    service = rules.service(service_id)
    if service is None:
        raise KeyError(service_id)
    anchors = dict(service.stands_for)

    def anchor(key_id: str | None) -> str | None:
        return anchors.get(key_id, key_id) if key_id is not None else None

    def own(rule: KeyDateRule) -> KeyDateRule:
        if isinstance(rule.estimate, RelativeRule) and rule.estimate.from_ in anchors:
            return replace(rule, estimate=replace(rule.estimate,
                                                  from_=anchors[rule.estimate.from_]))
        return rule

    key_dates = [own(rule) for rule in rules.key_dates
                 if rule.service is None or rule.service == service_id]
    stages = [_stage_for(stage, service, anchor) for stage in rules.stages]
    specialised = replace(rules, key_dates=key_dates, stages=stages)
    _SPECIALISED[(id(rules), service_id)] = (rules, specialised)
    return specialised


def _stage_for(stage: Stage, service: Service, anchor: _Anchor) -> Stage:
    deadlines = [_deadline_for(d, anchor) for d in stage.deadlines
                 if d.service is None or d.service == service.id]
    window = stage.window
    if window is not None:
        window = Window(opens=anchor(window.opens), closes=anchor(window.closes),
                        earliest_finish=anchor(window.earliest_finish), span=window.span,
                        strict=window.strict, closes_level=window.closes_level,
                        reason=window.reason)
    changed = replace(stage, deadlines=deadlines, window=window)
    text = service.stage_text
    if stage.id == service.stage and text is not None:
        changed = replace(changed, name=text.name, short=text.short,
                          description=text.description, advice=text.advice)
    return changed


def _deadline_for(deadline: Deadline, anchor: _Anchor) -> Deadline:
    moved = anchor(deadline.anchor)
    return deadline if moved == deadline.anchor or moved is None else \
        replace(deadline, anchor=moved)


def choose(rules: Rules, applying: Applying | None, match_year: int) -> ServiceChoice:
    """The service for Match ``match_year``: the specialty's, by the first Match each service
    applies from; without a specialty, the rules' first service (ERAS, which most use)."""
    if not rules.services:
        return ServiceChoice(None, None)
    if applying is None:
        return ServiceChoice(rules.services[0], None)
    # chosen once for a specialty's services (``Specialties.applying`` gives one object a
    # specialty) and a year: the search asks for each year of each of a cohort's rows
    key = (id(rules), id(applying), match_year)
    kept = _CHOSEN.get(key)
    if kept is None:
        if len(_CHOSEN) > 20_000:
            _CHOSEN.clear()
        kept = _CHOSEN[key] = (rules, applying, _chosen(rules, applying, match_year))
    return kept[2]


# The choices made, with the rules and services they were made from (whose ids are in the key,
# kept from being reused while cached).
_CHOSEN: dict[tuple[int, int, int], tuple[Rules, Applying, ServiceChoice]] = {}


def _chosen(rules: Rules, applying: Applying, match_year: int) -> ServiceChoice:
    years = [year for year in sorted(applying.by_year) if year <= match_year]
    if not years:
        return ServiceChoice(None, applying.specialty)
    service_id = applying.by_year[years[-1]]
    found = rules.service(service_id) if service_id is not None else None
    return ServiceChoice(found, applying.specialty)
