"""The words imgplan's output uses, each in two or three plain sentences: ``imgplan explain``
and docs/terms.md say them from here.

Found by new users: "slack", "late chain" and "critical" were in every table and never
explained. A term's words are imgplan's own (design.md, "Words"); a fact about the pathway
in them is one ``data/`` holds with its source, named where it comes from.
"""

from __future__ import annotations

from imgplan.core.datatype import datatype


@datatype(frozen=True)
class Term:
    id: str
    name: str
    text: str
    also: tuple[str, ...] = ()  # the other words a person may look it up by


TERMS: tuple[Term, ...] = (
    Term("slack", "Slack",
         "The days a stage can slip with every deadline after it still met: for most stages, "
         "from its planned finish to its Finish by. A stage the cycle's calendar fixes "
         "(interviews, the rank list, the Match) finishes when the calendar says, so its "
         "slack is how far its start can slip. A negative slack means a deadline is already "
         "out of reach with this plan.", ("spare",)),
    Term("finish-by", "Finish by (latest finish)",
         "The last day a stage can finish and still meet every deadline after it. It is the "
         "earliest of the stage's own deadlines and what the stages after it need, counted "
         "back from the Match's key dates.", ("latest finish", "latest", "latest start")),
    Term("critical", "Critical (*)",
         "The stages with the least slack: the chain that decides whether the Match year "
         "works. A day lost on a critical stage is a day lost at the end; a day lost "
         "elsewhere is taken from that stage's own slack first.", ("*", "critical path")),
    Term("late-chain", "Late chain",
         "When a plan misses a deadline, the late chain is the run of stages that makes it "
         "late, and the verdict names the stage it starts at. Starting that stage sooner, or "
         "shortening it, is what moves the missed deadline back into reach.",
         ("late", "chain")),
    Term("hard", "Hard deadline",
         "An eligibility rule: missed, the Match cannot be entered or you are withdrawn from "
         "it. For example, Step 1 and Step 2 CK passed and on record by the rank-order-list "
         "deadline (data/rules.yaml gives each one's source).", ("hard deadline",)),
    Term("target", "Target deadline",
         "What a strong application needs, not what the rules require: for example a Step 2 "
         "CK score that programs can see when they start reviewing applications. A plan that "
         "misses only targets is eligible but weak.", ("target deadline",)),
    Term("official", "Official date",
         "A date published by the body that sets it (NRMP, AAMC, ECFMG, USMLE), carried in "
         "imgplan's data with the page it comes from. 'imgplan rules sources' lists each one.",
         ("published",)),
    Term("secondary", "Secondary date",
         "A date that has been published, but found in a secondary source (a guide, a "
         "school's or a prep company's page) rather than on the body's own site. Confirm it "
         "on the official site before you stake anything on it.", ("published (secondary",)),
    Term("estimated", "Estimated date (~)",
         "A date not yet published, worked out from the cycle's pattern in earlier years (the "
         "rule is shown beside it in 'imgplan calendar'). Replace it with the official date "
         "when NRMP, AAMC or ECFMG publish it.", ("~", "estimate")),
    Term("heuristic", "Heuristic",
         "A figure no official body sets, such as how long Step 1 preparation takes or how "
         "much slack is too little: the seeds' guides or imgplan's own judgement, and said so "
         "wherever it is used. Give your own durations in the profile when you know better.",
         ("margin",)),
    Term("pace", "Pace",
         "fast, typical or steady: which end of each stage's usual range of durations the "
         "plan uses (the seeds' guides say Step 1 takes 6 to 9 months of preparation). "
         "Choose the one that matches the hours you have.", ("fast", "typical", "steady")),
    Term("feasible", "Feasible (reachable)",
         "Every deadline, hard and target, is met by the plan: the Match year is reachable "
         "with a strong application.", ("reachable",)),
    Term("eligible", "Eligible (possible but weak)",
         "Every hard deadline is met, so you can enter the Match, but a target is missed: a "
         "weaker application. The verdict says which target and by how many days.",
         ("weak", "possible but weak")),
    Term("pathway", "Pathway (ECFMG Pathways)",
         "For ECFMG certification an IMG must meet the clinical and communication skills "
         "requirements, through an ECFMG Pathway (which includes OET Medicine) or a former "
         "Step 2 CS pass. Each Pathways year has its own application window and deadline; "
         "imgplan's Pathway stage is that application.", ("pathways",)),
    Term("key-date", "Key date",
         "A dated event of one Match cycle that the plan is counted back from: MyERAS opens, "
         "programs start reviewing, the rank-order-list deadline, Match Day. 'imgplan "
         "calendar' lists them with their sources or rules.", ("key dates",)),
    Term("match-year", "Match year",
         "The year of the NRMP Main Residency Match, in March. Match 2027's applications open "
         "in June 2026 and its residency starts on July 1, 2027.", ("match",)),
    Term("implied", "Done (implied)",
         "A stage you did not record but that something you recorded shows was done: an exam "
         "taken means the ECFMG application was made. It is never planned again.", ()),
    Term("closed", "Closed",
         "A stage that can no longer happen in this Match's cycle: its window has shut, or no "
         "sitting is left. The verdict says what that means for the Match year.", ()),
    Term("usce", "USCE",
         "US clinical experience: externships, observerships, research or other work in US "
         "clinical settings. Many programs ask for it, and some accept only hands-on kinds.",
         ("us clinical experience",)),
)


def lookup(text: str) -> Term | None:
    """The term ``text`` names: its id, name or another word for it, typed any way."""
    from imgplan.core.spelling import folded

    wanted = folded(text)
    for term in TERMS:
        if wanted in {folded(word) for word in (term.id, term.name, *term.also)}:
            return term
    return None


def nearest(text: str) -> list[str]:
    """The term ids closest to what was typed, for an error that suggests them."""
    from imgplan.core.spelling import nearest as closest

    return closest(text, [term.id for term in TERMS])
