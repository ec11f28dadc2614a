"""Every fact honest and current (issue 11): official means the issuing body's own site, the
application service follows the specialty and the Match year, imgplan's margins are apart
from the rules they protect, and the 2026 rules (FSMB, score blackouts, Step 3's permit, the
H-1B proclamation, each year's Pathways deadline) are in the plan.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from imgplan.core.planner import Person, plan
from imgplan.core.rules import Rules
from imgplan.core.services import Applying

Run = Callable[..., Any]
TODAY = ("--today", "2026-12-02")
OFFICIAL_SITES = ("nrmp.org", "aamc.org", "ecfmg.org", "usmle.org", "fsmb.org", "intealth.org",
                  "liaisonedu.com", "residencycas.liaisoncas.org", "acaplasticsurgeons.org")


def ok(result: Any) -> str:
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return str(result.stdout)


def as_json(cli: Run, *args: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok(cli(*args, "--format", "json")))
    return data


def stages(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {stage["id"]: stage for stage in data["stages"]}


def init(cli: Run, specialty: str, match: str, *, visa: str = "j1") -> None:
    ok(cli("init", "--no-input", "--match", match, "--specialty", specialty, "--visa", visa,
           "--graduation", "2024-06-30", *TODAY))


@pytest.mark.parametrize("year", ["2023", "2024", "2025", "2026", "2027"])
@pytest.mark.parametrize("specialty", ["internal-medicine", "emergency-medicine",
                                       "plastic-surgery"])
def test_no_date_is_official_unless_its_body_published_it(cli: Run, year: str,
                                                          specialty: str) -> None:
    data = as_json(cli, "calendar", "--match", year, "--today", f"{int(year) - 1}-01-15",
                   "--specialty", specialty)
    for key_id, entry in data["key_dates"].items():
        assert entry["official"] == (entry["basis"] == "official"), key_id
        if entry["official"]:
            assert any(site in entry["source"] for site in OFFICIAL_SITES), (key_id, entry)


def test_the_eras_opening_from_a_prep_blog_is_secondary(cli: Run) -> None:
    opens = as_json(cli, "calendar", "--match", "2027", *TODAY)["key_dates"]["eras_opens"]
    assert (opens["date"], opens["basis"], opens["official"]) == ("2026-06-03", "secondary",
                                                                  False)
    assert "quantaprep" in opens["source"]
    table = ok(cli("calendar", "--match", "2027", *TODAY))
    row = table[table.index("Wed 3 Jun 2026"):].splitlines()
    assert row[1].startswith("secondary ")  # the basis, under the date


def test_emergency_medicine_applies_through_residencycas_and_says_so(cli: Run) -> None:
    init(cli, "emergency-medicine", "2028")
    data = as_json(cli, "timeline", *TODAY)
    assert data["application_service"] == "residencycas"
    keys = data["key_dates"]
    assert not any(key.startswith("eras_") for key in keys)
    assert {"residencycas_opens", "residencycas_submit", "residencycas_deadline",
            "residencycas_release"} <= set(keys)
    # one cycle observed: the 2028 dates are estimates and say so
    assert keys["residencycas_release"]["basis"] == "estimated"
    assert "one observation" in keys["residencycas_release"]["rule"]
    application = stages(data)["eras"]
    assert application["name"] == "ResidencyCAS application submitted"
    # ResidencyCAS closes: its deadline is a hard one, and the programs' review day its own
    anchors = {(d["anchor"], d["level"]) for d in application["deadlines"]}
    assert {("residencycas_deadline", "hard"), ("residencycas_release", "target")} <= anchors
    table = ok(cli("timeline", *TODAY))
    assert "Applying through ResidencyCAS" in " ".join(table.split())
    assert "Emergency Medicine's service for Match 2028" in " ".join(table.split())


def test_the_check_speaks_of_the_person_s_service(cli: Run) -> None:
    init(cli, "emergency-medicine", "2028")
    result = cli("check", *TODAY, "--format", "json")
    data = json.loads(result.stdout)
    titles = {item["id"]: item["title"] for item in data["items"]}
    assert titles["eras_early"] == "ResidencyCAS submitted before programs start reviewing"
    assert titles["eras_consistency"] == "ResidencyCAS application consistent across documents"
    advice = " ".join(a["action"] for a in data["next_actions"])
    assert "ResidencyCAS access link" in advice


def test_internal_medicine_applies_through_eras(cli: Run) -> None:
    init(cli, "internal-medicine", "2028")
    data = as_json(cli, "timeline", *TODAY)
    assert data["application_service"] == "eras"
    assert "eras_review" in data["key_dates"]
    assert not any(key.startswith(("residencycas_", "psca_")) for key in data["key_dates"])
    assert stages(data)["eras"]["name"] == "ERAS application submitted"


def test_the_service_follows_the_match_year(cli: Run) -> None:
    # OB/GYN moved with the 2024-25 cycle: Match 2024 on ERAS, Match 2025 on ResidencyCAS
    before = as_json(cli, "timeline", "--match", "2024", "--today", "2023-03-01",
                     "--specialty", "obstetrics-gynecology")
    after = as_json(cli, "timeline", "--match", "2025", "--today", "2024-03-01",
                    "--specialty", "obstetrics-gynecology")
    assert (before["application_service"], after["application_service"]) == (
        "eras", "residencycas")
    em = as_json(cli, "calendar", "--match", "2026", "--today", "2025-03-01",
                 "--specialty", "emergency-medicine")
    assert em["application_service"] == "residencycas"
    # the 2025-26 cycle's dates, from Liaison, which runs ResidencyCAS: official
    assert {key: entry["date"] for key, entry in em["key_dates"].items()
            if key.startswith("residencycas_")} == {
        "residencycas_opens": "2025-06-04", "residencycas_submit": "2025-09-03",
        "residencycas_deadline": "2025-09-24", "residencycas_release": "2025-10-01"}
    assert em["key_dates"]["residencycas_release"]["basis"] == "official"


def test_plastic_surgery_applies_through_the_psca(cli: Run) -> None:
    data = as_json(cli, "calendar", "--match", "2023", "--today", "2022-03-01",
                   "--specialty", "plastic-surgery")
    assert data["application_service"] == "psca"
    assert data["key_dates"]["psca_deadline"]["date"] == "2022-09-16"
    assert data["key_dates"]["psca_release"]["basis"] == "official"
    table = " ".join(ok(cli("calendar", "--match", "2023", "--today", "2022-03-01",
                            "--specialty", "plastic-surgery")).split())
    assert "Applying through PSCA" in table


def test_an_unknown_specialty_on_the_command_line_is_refused(cli: Run) -> None:
    result = cli("timeline", *TODAY, "--specialty", "emergency")
    assert result.exit_code == 2
    assert "unknown specialty 'emergency'" in result.stderr


def test_a_service_the_data_does_not_know_is_said_not_assumed(rules: Rules) -> None:
    # a specialty whose service is known only from Match 2030: for 2029 the data is silent
    applying = Applying("Example Surgery", {2030: "residencycas"})
    planned = plan(rules, 2029, today=dt.date(2026, 12, 2), person=Person(applying=applying))
    unknown = [f for f in planned.findings if f.id == "service_unknown"]
    assert len(unknown) == 1
    assert "Example Surgery" in unknown[0].message and "Match 2029" in unknown[0].message
    assert planned.application_service is not None and planned.application_service.id == "eras"
    later = plan(rules, 2030, today=dt.date(2026, 12, 2), person=Person(applying=applying))
    assert not [f for f in later.findings if f.id == "service_unknown"]
    assert later.application_service is not None and later.application_service.id == \
        "residencycas"


def test_step2ck_keeps_the_rule_apart_from_imgplan_s_margin(cli: Run) -> None:
    data = as_json(cli, "timeline", "--match", "2029", *TODAY)
    deadlines = stages(data)["step2ck"]["deadlines"]
    rol = data["key_dates"]["rol_deadline"]["date"]
    rule = [d for d in deadlines if d["anchor"] == "rol_deadline" and d["level"] == "hard"]
    margin = [d for d in deadlines if d["anchor"] == "rol_deadline" and d["level"] == "target"]
    assert len(rule) == len(margin) == 1
    # the rule, as NRMP states it: the rank-order-list deadline itself, official
    assert (rule[0]["due"], rule[0]["kind"]) == (rol, "official")
    # imgplan's margin: 4 weeks earlier, heuristic, with its reason
    assert margin[0]["kind"] == "heuristic"
    assert dt.date.fromisoformat(rol) - dt.date.fromisoformat(margin[0]["due"]) == \
        dt.timedelta(weeks=4)
    assert "imgplan's margin" in margin[0]["reason"]
    # and the interview season's end is no NRMP rule: a target, imgplan's reading
    season = stages(data)["interviews"]["deadlines"]
    assert [(d["level"], d["kind"]) for d in season] == [("target", "heuristic")]


def test_a_score_due_in_the_last_week_of_december_comes_after_it(cli: Run,
                                                                 profile_path: Path) -> None:
    init(cli, "internal-medicine", "2029")
    ok(cli("mark", "step1", "passed", "--date", "2026-10-01", *TODAY))
    ok(cli("mark", "step2ck", "scheduled", "--date", "2027-12-01", *TODAY))
    step2ck = stages(as_json(cli, "timeline", *TODAY))["step2ck"]
    # four weeks on is Wednesday 2027-12-29, in the week of December 31 (Mon 27 - Sun 2)
    assert step2ck["finish"] == "2027-12-01"
    assert step2ck["result"] == "2028-01-03"
    # and the week of July 4 (2027: Mon June 28 - Sun July 4)
    ok(cli("mark", "step2ck", "scheduled", "--date", "2027-06-01", *TODAY))
    assert stages(as_json(cli, "timeline", *TODAY))["step2ck"]["result"] == "2027-07-05"
    # an OET result is not a USMLE score: no blackout
    ok(cli("mark", "oet", "scheduled", "--date", "2027-12-06", *TODAY))
    oet = stages(as_json(cli, "timeline", *TODAY))["oet"]
    assert oet["result"] == "2027-12-28"


def test_h1b_plans_fsmb_s_steps_and_says_what_the_proclamation_leaves_open(cli: Run) -> None:
    data = as_json(cli, "timeline", "--match", "2030", "--visa", "h1b", *TODAY)
    planned = stages(data)
    permit, step3 = planned["step3_permit"], planned["step3"]
    assert permit["start"] == planned["ecfmg_certification"]["finish"]
    assert step3["start"] == permit["finish"]
    assert "FSMB" in permit["name"]
    found = [f for f in data["findings"] if f["id"] == "h1b_proclamation"]
    assert len(found) == 1 and found[0]["level"] == "warning"
    assert "$100,000" in found[0]["message"] and "not settled" in found[0]["message"]
    assert "source:" in found[0]["message"]
    j1 = as_json(cli, "timeline", "--match", "2030", "--visa", "j1", *TODAY)
    assert "step3_permit" not in stages(j1)
    assert "h1b_proclamation" not in {f["id"] for f in j1["findings"]}


def test_step3_waits_for_fsmb_to_verify_a_recent_graduation(rules: Rules) -> None:
    person = Person(graduation=dt.date(2028, 6, 30))
    planned = plan(rules, 2030, today=dt.date(2026, 12, 2), visa="h1b", person=person)
    permit = planned.stage("step3_permit")
    assert permit is not None
    # up to 12 weeks after graduation (FSMB), planned at its longest
    assert permit.start >= dt.date(2028, 6, 30) + dt.timedelta(weeks=12)


def test_the_usmle_stages_name_fsmb(cli: Run, rules: Rules) -> None:
    init(cli, "internal-medicine", "2029")
    actions = json.loads(cli("check", *TODAY, "--format", "json").stdout)["next_actions"]
    step2ck = next(a for a in actions if a["stage"] == "step2ck")
    assert "FSMB" in step2ck["action"]
    step1 = rules.stage("step1")
    assert "FSMB" in (step1.advice or "") and "ECFMG issues" not in (step1.advice or "")


def test_each_year_s_pathways_deadline_and_it_is_met_by_the_pathway_done(cli: Run) -> None:
    # 2024 Pathways: first December 31, 2023, then February 15, 2024 (ECFMG)
    key = as_json(cli, "calendar", "--match", "2024", "--today", "2023-03-01")["key_dates"]
    deadline = key["pathway_application_deadline"]
    assert (deadline["date"], deadline["basis"]) == ("2024-02-15", "official")
    # a year with none published is estimated, and its rule says the date moves
    later = as_json(cli, "calendar", "--match", "2029", *TODAY)["key_dates"]
    estimated = later["pathway_application_deadline"]
    assert estimated["basis"] == "estimated" and "moves from year to year" in estimated["rule"]
    pathway = stages(as_json(cli, "timeline", "--match", "2029", *TODAY))["pathway"]
    rule = next(d for d in pathway["deadlines"] if d["anchor"] == "pathway_application_deadline")
    assert (rule["applies_to"], rule["level"]) == ("finish", "hard")


def test_old_data_is_said_once_by_every_planning_command(cli: Run) -> None:
    late = ("--today", "2028-06-01")
    calendar = as_json(cli, "calendar", "--match", "2030", *late)
    assert [f["id"] for f in calendar["findings"]] == ["rules_stale"]
    table = " ".join(ok(cli("calendar", "--match", "2030", *late)).split())
    assert table.count("more than 12 months ago") == 1
    timeline = as_json(cli, "timeline", "--match", "2030", *late)
    assert [f["id"] for f in timeline["findings"]].count("rules_stale") == 1
    sources = as_json(cli, "rules", "sources", "--match", "2030", *late)
    assert [f["id"] for f in sources["findings"]] == ["rules_stale"]
    # within a year of the newest check, nothing is said
    fresh = as_json(cli, "calendar", "--match", "2030", *TODAY)
    assert fresh["findings"] == []


def test_rules_sources_lists_what_a_plan_rests_on_by_basis_and_age(cli: Run) -> None:
    data = as_json(cli, "rules", "sources", "--match", "2029", *TODAY)
    facts = data["facts"]
    order = ["official", "secondary", "estimated", "heuristic"]
    ranks = [(order.index(f["basis"]), f["last_verified"]) for f in facts]
    assert ranks == sorted(ranks)  # by basis, then the oldest check first
    assert {f["basis"] for f in facts} == set(order)
    ids = {f["id"] for f in facts}
    # the plan's own key dates, its stages' facts, the USMLE rules, its service
    assert {"key_dates.match_day", "stages.step1.duration", "stages.step2ck.deadlines.1",
            "retakes", "score_blackouts", "services.eras"} <= ids
    for fact in facts:
        assert fact["source"] and fact["age_days"] == (
            dt.date(2026, 12, 2) - dt.date.fromisoformat(fact["last_verified"])).days
    # the route and the service change what the plan rests on
    h1b = {f["id"] for f in as_json(cli, "rules", "sources", "--match", "2029", "--visa",
                                    "h1b", *TODAY)["facts"]}
    assert {"stages.step3_permit.graduation_wait", "notices.h1b_proclamation"} <= h1b - ids
    em = {f["id"] for f in as_json(cli, "rules", "sources", "--match", "2029", "--specialty",
                                   "emergency-medicine", *TODAY)["facts"]}
    assert "key_dates.residencycas_release" in em and "key_dates.eras_review" not in em
    table = " ".join(ok(cli("rules", "sources", "--match", "2029", *TODAY)).split())
    assert "official first, oldest first in each kind" in table


def test_docs_sources_lists_the_same_facts(cli: Run) -> None:
    page = (Path(__file__).resolve().parents[2] / "docs" / "sources.md").read_text("utf-8")
    section = page.split('<a id="oldest-first"></a>', 1)[1]
    data = as_json(cli, "rules", "sources", "--match", "2029", "--today", "2026-11-22")
    for fact in data["facts"]:
        assert f"`{fact['id']}`" in section, fact["id"]


def test_old_us_experience_is_measured_to_the_person_s_service(cli: Run) -> None:
    init(cli, "emergency-medicine", "2029")
    ok(cli("add", "usce", "--kind", "externship", "--start", "2025-01-06", "--end",
           "2025-02-28", *TODAY))
    items = json.loads(cli("check", *TODAY, "--format", "json").stdout)["items"]
    usce = next(item for item in items if item["id"] == "usce")
    assert "before ResidencyCAS submission opens" in usce["detail"]
