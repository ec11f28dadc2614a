"""A profile for a person at a terminal: the settings, the progress per stage, the clinical
experience, the letters and what only the person can confirm."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from imgplan.render.views import ProfileView


def draw_profile(console: Console, view: ProfileView) -> None:
    profile, rules, specialties, where = view.profile, view.rules, view.specialties, view.where
    specialty = specialties.find(profile.specialty) if profile.specialty else None
    listed = {True: "yes", False: "no", None: "not checked"}[profile.school_listed]
    settings = Table.grid(padding=(0, 2))
    settings.add_column(style="bold")
    settings.add_column()
    rows = [
        ("Profile", where),
        ("Name", profile.name or "-"),
        ("Graduation", str(profile.graduation) if profile.graduation else "-"),
        ("School listed (WDOMS sponsor note)", listed),
        ("Target specialty", specialty.name if specialty else (profile.specialty or "-")),
        ("Target Match", str(profile.match_year) if profile.match_year else "-"),
        ("Visa route", profile.visa),
        ("Pace", profile.pace),
    ]
    for label, value in rows:
        settings.add_row(label, Text(value))  # Text: a name is never read as markup
    console.print(settings)

    stages = Table(title="Progress", title_justify="left", header_style="bold")
    for column in ("Stage", "Status", "Date", "Details"):
        stages.add_column(column)
    names = {stage.id: stage.name for stage in rules.stages}
    for stage_id, record in profile.stages.items():
        details = []
        if record.started:
            details.append(f"started {record.started}")
        for sitting in record.sittings:  # every sitting, oldest first
            words = f"{sitting.result} {sitting.date}"
            if sitting.score is not None:
                words += f" (score {sitting.score})"
            if sitting.scores is not None:
                part = sitting.scores
                words += (f" (L {part.listening}, R {part.reading}, W {part.writing}, "
                          f"S {part.speaking})")
            details.append(words)
        if record.undated_attempts:
            details.append(f"{record.undated_attempts} earlier failed attempt(s), undated")
        if record.booked is not None and record.sittings:
            details.append(f"next sitting booked {record.booked}")
        if record.programs is not None:
            details.append(f"{record.programs} programs")
        if record.outcome is not None:
            details.append(record.outcome + (f": {record.program}" if record.program else ""))
        stages.add_row(Text(names.get(stage_id, stage_id)), record.state.replace("_", " "),
                       str(record.when or ""), Text("; ".join(details)))
    if profile.stages:
        console.print(stages)
    else:
        console.print(Text("No progress recorded yet: imgplan mark STAGE STATUS", style="dim"))
    for cycle in profile.cycles:
        kept = ", ".join(names.get(stage_id, stage_id) for stage_id in cycle.stages)
        console.print(Text(f"Match {cycle.match_year}: {cycle.outcome} ({cycle.date}); its "
                           f"records are kept apart: {kept}.", style="dim"))

    if profile.usce:
        # numbered as 'imgplan remove usce N' takes them
        usce = Table(title="Clinical experience", title_justify="left", header_style="bold")
        for column in ("#", "Kind", "Specialty", "From", "To", "Where"):
            usce.add_column(column)
        for number, period in enumerate(profile.usce, 1):
            usce.add_row(str(number), period.kind, Text(period.specialty or ""), str(period.start),
                         str(period.end), "US" if period.in_us else "outside the US")
        console.print(usce)
    if profile.letters:
        letters = Table(title="Letters", title_justify="left", header_style="bold")
        for column in ("#", "Writer", "US attending", "Specialty", "Received"):
            letters.add_column(column)
        for number, letter in enumerate(profile.letters, 1):
            letters.add_row(str(number), Text(letter.writer),
                            "yes" if letter.us_attending else "no",
                            Text(letter.specialty or ""), str(letter.received or ""))
        console.print(letters)
    if profile.confirmations:
        console.print(Text("Confirmed", style="bold"))
        for item, day in profile.confirmations.items():
            console.print(f"  {item.replace('_', ' ')}: {day}")
