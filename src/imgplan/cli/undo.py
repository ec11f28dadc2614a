"""``imgplan undo``: put back the profile as it was before the last change."""

from __future__ import annotations

import typer

from imgplan.cli.options import ProfileFile, RulesFile, Today


def undo(today: Today = None, rules: RulesFile = None, profile: ProfileFile = None) -> None:
    """Put back your profile as it was before the last change (its .bak), and say what that
    changes back. Run it again to redo."""
    from imgplan.cli.options import resolve_today
    from imgplan.core.profile import differences
    from imgplan.files.locking import hold
    from imgplan.files.profile_store import present, profile_path, undo_profile
    from imgplan.files.rules_file import load_rules

    day = resolve_today(today)
    path = profile_path(profile)
    if present(path):
        hold(path)  # a damaged profile too: putting the earlier version back is what undo is for
    replaced, restored = undo_profile(path, load_rules(rules), day)
    if replaced is None:
        typer.echo(f"Restored {path} from its earlier version (the one replaced could not be "
                   "read; it is kept as the .bak).")
        return
    changed = differences(replaced, restored)
    if not changed:
        typer.echo(f"Restored {path} from its earlier version: nothing differs.")
        return
    typer.echo(f"Undone, in {path}:")
    for line in changed:
        typer.echo(f"  {line}")
    typer.echo("Run 'imgplan undo' again to redo.")
