"""What the whole road costs, dated by the plan: every fee the plan implies, when it is paid,
how much, and how sure that amount is.

Each line's amount is the rules' own (data/rules.yaml ``fees`` and each service's ``fees``,
with their sources). For the year it is paid: the amount of that year keeps its source's
basis (official or secondary); any other year's is ``estimated`` from the nearest stored
one, and says which. A fee no stored source prices is listed with no amount, never a guess.
Pure: a plan, the rules and the profile in, the budget out.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import field, replace
from typing import Literal

from imgplan.core.datatype import datatype
from imgplan.core.planner import Plan
from imgplan.core.profile import Profile
from imgplan.core.rules import Fee, FeeAmount, Rules, Service, ServiceFees

Basis = Literal["official", "secondary", "estimated", "not stored"]


@datatype(frozen=True)
class Line:
    id: str
    name: str
    date: dt.date
    amount_usd: int | None
    basis: Basis
    source: str | None
    status: Literal["paid", "planned"]
    amount_text: str | None = None  # an amount in another currency, as its source gives it
    note: str | None = None
    payer: str | None = None  # someone other than the person usually pays it

    @property
    def yours(self) -> bool:
        return self.payer is None


@datatype
class Budget:
    match_year: int
    visa: str
    lines: list[Line] = field(default_factory=list)
    programs: dict[str, int] = field(default_factory=dict)  # specialty (or "") -> count
    programs_from: str = ""  # where the counts come from, in words

    @property
    def total_usd(self) -> int:
        return sum(line.amount_usd or 0 for line in self.lines if line.yours)

    @property
    def to_pay_usd(self) -> int:
        """What is still to pay: the person's priced lines not yet paid."""
        return sum(line.amount_usd or 0 for line in self.lines
                   if line.yours and line.status == "planned")

    @property
    def unpriced(self) -> list[Line]:
        return [line for line in self.lines if line.yours and line.amount_usd is None]

    def by_month(self) -> list[tuple[str, int]]:
        """(YYYY-MM, US dollars of the person's priced lines), in order."""
        months: dict[str, int] = defaultdict(int)
        for line in self.lines:
            if line.yours:
                months[f"{line.date:%Y-%m}"] += line.amount_usd or 0
        return sorted(months.items())


def budget(plan: Plan, rules: Rules, profile: Profile | None, *,
           programs: dict[str, int], programs_from: str,
           services: dict[str, Service | None], ranked: int | None = None) -> Budget:
    """The budget of ``plan``; ``programs``: the programs applied to, by specialty ("" for
    the plan's own), ``services``: each specialty's application service, and ``ranked``:
    the programs the person's list marks ranked (None: no list)."""
    found = Budget(plan.match_year, plan.visa, programs=programs, programs_from=programs_from)
    for fee in rules.fees:
        if fee.routes and plan.visa not in fee.routes and not (
                plan.visa == "undecided" and "j1" in fee.routes):  # undecided plans as J-1
            continue
        stage = plan.stage(fee.stage)
        if stage is None or stage.status == "closed":
            continue
        record = profile.record(fee.stage) if profile is not None else None
        sittings = [s.date for s in record.sittings] if record is not None else []
        if fee.per_sitting:
            for day in sittings:  # each sitting recorded was a registration paid
                found.lines.append(_line(fee, day, "paid", plan.match_year))
            passed = record is not None and record.passed is not None
            if record is not None and record.booked is not None:
                # booked: registered, and so paid, by now (the day it was paid is not kept)
                found.lines.append(_line(fee, min(plan.today, record.booked), "paid",
                                         plan.match_year))
            elif not passed and stage.status != "done":
                found.lines.append(_line(fee, _when(fee, stage.start, stage.finish), "planned",
                                         plan.match_year))
            continue
        done = stage.status == "done"
        line = _line(fee, _when(fee, stage.start, stage.finish),
                     "paid" if done else "planned", plan.match_year)
        if fee.per_rank_over is not None:
            extra = (ranked or 0) - fee.per_rank_over
            if extra <= 0:
                continue  # no list, or no more ranks than the registration covers
            line = replace(line, amount_usd=None if line.amount_usd is None
                           else line.amount_usd * extra,
                           note=_joined(f"{extra} ranked beyond {fee.per_rank_over}, by your "
                                        "program list", line.note))
        found.lines.append(line)
    application = plan.stage("eras")
    if application is not None and application.status != "closed":
        day = application.finish
        status: Literal["paid", "planned"] = "paid" if application.status == "done" \
            else "planned"
        # a service whose bands do not start again by specialty prices all its programs as
        # one application (ResidencyCAS); ERAS's start again with each specialty
        pooled: dict[str, tuple[Service, list[str], int]] = {}
        for specialty, count in programs.items():
            service = services.get(specialty)
            if service is None or not service.fees:
                continue
            season = _season(service, plan.match_year)[0]
            if season.per == "specialty":
                found.lines.append(_application_line(service, specialty, count, day,
                                                     plan.match_year, status))
                continue
            _, names, total = pooled.get(service.id, (service, [], 0))
            pooled[service.id] = (service, [*names, specialty], total + count)
        for service, names, total in pooled.values():
            found.lines.append(_application_line(service, ", ".join(n for n in names if n),
                                                 total, day, plan.match_year, status))
    found.lines.sort(key=lambda line: (line.date, line.id))
    return found


def _when(fee: Fee, start: dt.date, finish: dt.date) -> dt.date:
    return start if fee.paid == "start" else finish


def _line(fee: Fee, day: dt.date, status: Literal["paid", "planned"], match_year: int) -> Line:
    amount, basis = _amount(fee.amounts, match_year if fee.season else day.year)
    if amount is None:
        return Line(fee.id, fee.name, day, None, "not stored", None, status, note=fee.note,
                    payer=fee.payer)
    note = fee.note
    if basis == "estimated":
        what = "season's" if fee.season else "amount"
        note = _joined(f"estimated from the {amount.year} {what}, the nearest stored", note)
    return Line(fee.id, fee.name, day, amount.usd, basis, amount.source, status,
                amount_text=amount.text, note=note, payer=fee.payer)


def _amount(amounts: list[FeeAmount], year: int) -> tuple[FeeAmount | None, Basis]:
    if not amounts:
        return None, "not stored"
    same = [a for a in amounts if a.year == year]
    if same:
        return same[-1], _basis(same[-1].kind)
    # the nearest year; of two as near, the later (a price rises more often than it falls)
    return min(reversed(amounts), key=lambda a: abs(a.year - year)), "estimated"


def _basis(kind: str) -> Basis:
    # a heuristic amount is imgplan's or a guide's estimate, not a published fee
    return "official" if kind == "official" else "secondary" if kind == "secondary" \
        else "estimated"


def _application_line(service: Service, specialty: str, count: int, day: dt.date,
                      match_year: int, status: Literal["paid", "planned"]) -> Line:
    season, exact = _season(service, match_year)
    basis: Basis = _basis(season.kind) if exact else "estimated"
    who = f" for {specialty}" if specialty else ""
    note = f"{count} programs{who}, by the {season.match_year} season's bands"
    if season.per == "specialty":
        note += " (they start again with each specialty)"
    if basis == "estimated":
        note += f"; estimated: Match {match_year}'s prices are not stored"
    return Line(f"application_{service.id}" + (f"_{specialty}" if specialty else ""),
                f"{service.name} application fees{who}", day, season.cost(count), basis,
                season.source, status, note=note)


def _season(service: Service, match_year: int) -> tuple[ServiceFees, bool]:
    """The service's prices for Match ``match_year``, or the nearest season's (and whether
    they are that Match's own)."""
    same = [f for f in service.fees if f.match_year == match_year]
    if same:
        return same[-1], True
    return min(reversed(service.fees), key=lambda f: abs(f.match_year - match_year)), False


def _joined(first: str, second: str | None) -> str:
    return f"{first}; {second}" if second else first
