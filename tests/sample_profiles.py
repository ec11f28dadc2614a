"""Sample profiles shared by the tests: one copy of each, so they cannot drift apart."""

from __future__ import annotations

from typing import Any


def complete_application(**changes: Any) -> dict[str, Any]:
    """A whole application for Match 2027, recorded by 2026-11-22."""
    data: dict[str, Any] = {
        "graduation": "2024-06-30", "school_listed": True, "specialty": "internal-medicine",
        "match_year": 2027, "visa": "j1", "pace": "typical",
        "stages": {
            "credentials": {"status": "done", "date": "2024-09-01"},
            "step1": {"status": "passed", "date": "2025-05-10"},
            "step2ck": {"status": "passed", "date": "2025-09-20", "score": 252},
            "oet": {"status": "passed", "date": "2025-11-15",
                    "scores": {"listening": 360, "reading": 350, "writing": 320,
                               "speaking": 370}},
            "pathway": {"status": "done", "date": "2026-09-10"},
            "ecfmg_certification": {"status": "done", "date": "2026-10-01"},
            "usce": {"status": "done", "date": "2026-05-31", "started": "2026-03-01"},
            "lors": {"status": "done", "date": "2026-07-01"},
            "application_documents": {"status": "done", "date": "2026-08-01"},
            "eras": {"status": "done", "date": "2026-09-02", "programs": 120},
            "nrmp_registration": {"status": "done", "date": "2026-09-20"},
        },
        "usce": [{"kind": "externship", "specialty": "internal-medicine",
                  "start": "2026-03-01", "end": "2026-05-31"}],
        "letters": [
            {"writer": "Dr A", "us_attending": True, "specialty": "internal-medicine",
             "received": "2026-06-01"},
            {"writer": "Dr B", "us_attending": True, "received": "2026-06-15"},
            {"writer": "Dr C", "received": "2026-07-01"},
        ],
        "confirmations": {item: "2026-08-20" for item in
                          ("personal_statement", "eras_consistency", "visa_strategy",
                           "rank_strategy")},
    }
    for key, value in changes.items():
        if key == "stages":
            data["stages"] = {**data["stages"], **value}
        else:
            data[key] = value
    return data
