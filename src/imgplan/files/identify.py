"""Which of imgplan's own files a file is, told by its place or its top-level keys.

Both writers need it: a save of the profile must never replace the packaged rules or another
file put where the profile should be (``init --force`` with ``IMGPLAN_PROFILE`` set by
mistake), and ``--output`` must never replace a rules file, a profile or the package's files.
The keys come from the shapes themselves (``imgplan.core``), so a new field is known here
without a list to keep up to date.
"""

from __future__ import annotations

import dataclasses
import os
from functools import cache
from pathlib import Path
from typing import Any, Literal

# The first line imgplan writes in every profile (imgplan.files.profile_store).
PROFILE_HEADER = b"# imgplan profile"

Kind = Literal["rules", "profile", "specialties", "other"]


@cache
def _keys() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    from imgplan.core.profile import Profile
    from imgplan.core.rules import Rules
    from imgplan.core.specialties import Specialties

    def names(shape: type) -> frozenset[str]:
        return frozenset(part.name.rstrip("_") for part in dataclasses.fields(shape))

    rules, profile, specialties = names(Rules), names(Profile), names(Specialties)
    # what only that file has: a profile and the rules share schema_version and stages
    return rules - profile, profile - rules, specialties - rules - profile


def kind_of(data: Any, *, versioned_is_profile: bool = False) -> Kind:
    """What a file whose YAML is ``data`` is, by the keys of its top-level mapping.

    ``versioned_is_profile``: any ``schema_version`` with no rules' keys is a profile, however
    damaged (where a profile is expected: it is then reported, or replaced by ``init
    --force``); otherwise ``schema_version`` beside unknown keys is some other tool's file.
    """
    if not isinstance(data, dict):
        return "other"
    keys = {key for key in data if isinstance(key, str)}
    rules, profile, specialties = _keys()
    if keys & rules:
        return "rules"
    if keys & specialties:
        return "specialties"
    if keys & (profile | {"stages"}) or keys == {"schema_version"}:
        return "profile"
    if versioned_is_profile and "schema_version" in keys:
        return "profile"
    return "other"


@cache
def own_folders() -> tuple[tuple[Path, str], ...]:
    """The installed package's folder and the data folder it reads, resolved, with names."""
    import imgplan
    from imgplan.files.rules_file import data_path

    return ((Path(os.path.realpath(Path(imgplan.__file__).parent)), "imgplan's package folder"),
            (Path(os.path.realpath(data_path("rules.yaml").parent)), "imgplan's data folder"))


def inside_own_folders(target: Path) -> bool:
    """Whether the resolved path ``target`` is in the package's or the data folder."""
    return any(target == folder or folder in target.parents for folder, _ in own_folders())
